"""The tests' mypyc build, started before ``tests/test_mypyc.py`` needs it.

When a session runs the compiled-engine test after some of ``tests/game``, the build
(``scripts/build_mypyc.py --quick``) starts in the background, niced, as the first engine
test starts: those tests are plain computation on one core, with nothing timed and no
servers, so gcc gets the core they leave idle. The compiled-engine test then waits for it
and finds the build finished. Nothing depends on it having worked: the test asks
``build()`` for the same build either way, which compiles it (and reports any error)
when the early one failed or was never started.

Measured (``pytest tests/game tests/test_mypyc.py`` against the same two files the other
way round, fresh builds, the shared 2-core machine at load average 2 to 3): 28 to 32 s
against 38 to 42 s; the engine tests themselves 2 to 3 s slower, the compiled-engine test
10 s against 23 s. (At load average 3.5 to 4, with no core left idle: 2.5 to 4 s gained.)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NEEDS_IT = "tests/test_mypyc.py::test_the_engine_tests_pass_on_the_engine_compiled_by_mypyc"
OVERLAPS = "tests/game/"  # the tests it may run beside


class EarlyBuild:
    def __init__(self) -> None:
        self.wanted = False
        self.process: subprocess.Popen[bytes] | None = None

    def plan(self, test_ids: Sequence[str]) -> None:
        """Start early only when some engine test runs before the one that needs it."""
        if NEEDS_IT in test_ids:
            before = test_ids[: test_ids.index(NEEDS_IT)]
            self.wanted = any(i.startswith(OVERLAPS) for i in before)

    def starting(self, test_id: str) -> None:
        if self.wanted and self.process is None and test_id.startswith(OVERLAPS):
            nice = ["nice", "-n", "10"] if shutil.which("nice") else []
            env = {k: v for k, v in os.environ.items() if not k.startswith("COV_CORE")}
            self.process = subprocess.Popen(
                [*nice, sys.executable, "scripts/build_mypyc.py", "--quick"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True,  # its own group: stop() ends its gcc processes too
            )  # fmt: skip

    def wait(self, timeout: float = 600) -> None:
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.stop()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
