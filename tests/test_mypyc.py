"""The engine's tests (tests/game) again, on ``game/`` compiled by mypyc.

``scripts/build_mypyc.py --quick`` compiles into ``build/mypyc/quick-<source hash>/`` (at
once when the sources did not change): mypyc's output for ``game/``, the same as in the
optimised build that ``make run MYPYC=1`` and the benchmarks use, but compiled by gcc at
``-O0``, a C file per module on every core (about 9 s on two idle cores, against about 31 s at
``-O3`` in one file). When ``tests/game`` runs first in the same session (``make test``), that
build was started in the background as they began (``tests/support/mypyc.py``) and is
waited for here, so this test's own duration leaves out most of the build.

The tests then run in a subprocess with that directory first on the path and the source
tree last (``-P``, ``--import-mode=append``), and the run itself reports which files its
``game`` modules came from: every one must be an extension module, or the compiled engine
was not what ran.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import inspect
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.mypyc import NEEDS_IT, EarlyBuild

ROOT = Path(__file__).resolve().parent.parent
COMPILED = tuple(importlib.machinery.EXTENSION_SUFFIXES)

# pytest, then the files every loaded ``game`` module came from, one a line after a marker.
RUN = """
import sys, pytest
code = pytest.main(sys.argv[1:])
from server.serve import engine_build
print("--- engine:", engine_build())
print("--- game modules ---")
for name, module in sorted(sys.modules.items()):
    if name == "game" or name.startswith("game."):
        print(name, module.__file__)
sys.exit(code)
"""


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_mypyc", ROOT / "scripts/build_mypyc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _require_a_compiler() -> None:
    headers = Path(sysconfig.get_path("include")) / "Python.h"
    checks = (("gcc", shutil.which("gcc") is not None), (str(headers), headers.exists()))
    missing = [what for what, ok in checks if not ok]
    if missing:
        message = f"mypyc needs {', '.join(missing)} (scripts/system-deps.sh installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.slow
def test_the_engine_tests_pass_on_the_engine_compiled_by_mypyc(
    mypyc_early_build: EarlyBuild,
) -> None:
    _require_a_compiler()
    builder = _builder()
    mypyc_early_build.wait()  # started while tests/game ran, when it ran first (make test)
    build = builder.build(ROOT, builder.QUICK)
    assert build == builder.build(ROOT, builder.QUICK)  # the second time, the cached build
    assert ROOT / "build" in build.parents
    assert not [p for p in (ROOT / "game").rglob("*") if p.name.endswith(COMPILED)]

    # Coverage of the parent run must not follow into the child (it measures game/'s
    # sources; the compiled modules have none to report).
    env = {k: v for k, v in os.environ.items() if not k.startswith("COV_CORE")}
    env["PYTHONPATH"] = str(build)
    done = subprocess.run(
        [sys.executable, "-P", "-c", RUN, "tests/game", "--import-mode=append", "-q",
         "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    report, _, modules = done.stdout.partition("--- game modules ---\n")
    assert done.returncode == 0, report[-6000:] + done.stderr[-3000:]
    assert "--- engine: compiled by mypyc (" in report  # what the server logs at startup
    files = dict(line.split(" ", 1) for line in modules.splitlines())
    assert {"game", "game.rules", "game.actions", "game.party.reducer"} <= set(files)
    interpreted = {name: file for name, file in files.items() if not file.endswith(COMPILED)}
    assert not interpreted, interpreted
    assert all(Path(file).is_relative_to(build) for file in files.values())


def test_the_tests_quick_build_is_never_the_one_the_server_and_benchmarks_reuse() -> None:
    builder = _builder()
    quick, optimised = builder.QUICK, builder.OPTIMISED
    assert builder.key(ROOT, quick) != builder.key(ROOT, optimised)
    assert inspect.signature(builder.build).parameters["flavour"].default == optimised
    assert (optimised.opt_level, optimised.multi_file) == ("3", False)


def test_the_build_starts_early_only_when_engine_tests_run_before_the_compiled_run() -> None:
    engine, compiled = "tests/game/test_turns.py::test_x", NEEDS_IT
    for ids, wanted in (
        ([engine, "tests/server/test_http.py::test_y", compiled], True),
        ([compiled, engine], False),
        ([compiled], False),
        ([engine], False),
    ):
        early = EarlyBuild()
        early.plan(ids)
        assert early.wanted is wanted, ids
    early = EarlyBuild()
    early.plan([engine, compiled])
    early.starting("tests/server/test_http.py::test_y")  # not an engine test: nothing starts
    assert early.process is None


def test_the_server_says_the_engine_runs_interpreted_by_default() -> None:
    from server.serve import engine_build

    assert engine_build().startswith("interpreted")
