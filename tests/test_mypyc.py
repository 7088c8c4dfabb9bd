"""The engine's tests (tests/game) again, on ``game/`` compiled by mypyc; and the server's
tests of a move's path (the hot path, the sockets served without ASGI, the protocol) on
the hot server modules compiled with it.

``scripts/build_mypyc.py --quick`` compiles into ``build/mypyc/quick-<source hash>/`` (at
once when the sources did not change): mypyc's output for ``game/``, the same as in the
optimised build that ``make run MYPYC=1`` and the benchmarks use, but compiled by gcc at
``-O0``, a C file per module on every core (about 9 s on two idle cores, against about 31 s at
``-O3`` in one file). When ``tests/game`` runs first in the same session (``make test``), that
build was started in the background as they began (``tests/support/mypyc.py``) and is
waited for here, so this test's own duration leaves out most of the build.

The tests then run in a subprocess with that directory first on the path and the source
tree last (``-P``, ``--import-mode=append``), and the run itself reports which files its
``game`` and ``server`` modules came from: every ``game`` module and every hot server
module loaded must be an extension module, or the compiled code was not what ran.
"""

from __future__ import annotations

import ast
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

# pytest, then the files every loaded ``game`` and ``server`` module came from, one a line
# after a marker.
RUN = """
import sys, pytest
code = pytest.main(sys.argv[1:])
from server.serve import engine_build
print("--- engine:", engine_build())
print("--- modules ---")
for name, module in sorted(sys.modules.items()):
    if name.split(".")[0] in ("game", "server") and getattr(module, "__file__", None):
        print(name, module.__file__)
sys.exit(code)
"""
# The server's tests of a move's path, from the socket's bytes to the store and back, on
# the in-process store and Redis (about 13 s). Not the whole of tests/server: a compiled
# class cannot be patched or subclassed by a test (tests/server/test_relay.py and
# test_replies.py do), and the rest of the server runs interpreted in the build anyway.
SERVER_TESTS = (
    "tests/server/test_hot_path.py",
    "tests/server/test_ws_direct.py",
    "tests/server/test_protocol.py",
)


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


def _compiled_build(early: EarlyBuild) -> Path:
    _require_a_compiler()
    builder = _builder()
    early.wait()  # started while tests/game ran, when it ran first (make test)
    build: Path = builder.build(ROOT, builder.QUICK)
    assert build == builder.build(ROOT, builder.QUICK)  # the second time, the cached build
    assert ROOT / "build" in build.parents
    for package in ("game", "server"):
        assert not [p for p in (ROOT / package).rglob("*") if p.name.endswith(COMPILED)]
    return build


def _run_on(build: Path, tests: list[str]) -> tuple[str, dict[str, str]]:
    """pytest on ``tests`` with the build first on the path: its report, and the file
    each loaded module of ``game`` and ``server`` came from."""
    # Coverage of the parent run must not follow into the child (it measures game/'s
    # sources; the compiled modules have none to report).
    env = {k: v for k, v in os.environ.items() if not k.startswith("COV_CORE")}
    env["PYTHONPATH"] = str(build)
    done = subprocess.run(
        [sys.executable, "-P", "-c", RUN, *tests, "--import-mode=append", "-q",
         "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    report, _, modules = done.stdout.partition("--- modules ---\n")
    assert done.returncode == 0, report[-6000:] + done.stderr[-3000:]
    assert "--- engine: compiled by mypyc (" in report  # what the server logs at startup
    files = dict(line.split(" ", 1) for line in modules.splitlines())
    assert all(Path(file).is_relative_to(build) for file in files.values())
    return report, files


@pytest.mark.slow
def test_the_engine_tests_pass_on_the_engine_compiled_by_mypyc(
    mypyc_early_build: EarlyBuild,
) -> None:
    build = _compiled_build(mypyc_early_build)
    _, files = _run_on(build, ["tests/game"])
    engine = {name: file for name, file in files.items() if name.split(".")[0] == "game"}
    assert {"game", "game.rules", "game.actions", "game.party.reducer"} <= set(engine)
    interpreted = {name: file for name, file in engine.items() if not file.endswith(COMPILED)}
    assert not interpreted, interpreted


@pytest.mark.slow
def test_a_moves_server_tests_pass_on_the_hot_server_modules_compiled_by_mypyc(
    mypyc_early_build: EarlyBuild,
) -> None:
    build = _compiled_build(mypyc_early_build)
    report, files = _run_on(build, list(SERVER_TESTS))
    assert " passed" in report and " failed" not in report
    hot = {path.removesuffix(".py").replace("/", ".") for path in _builder().HOT}
    loaded = {name: file for name, file in files.items() if name in hot}
    assert {"server.rooms.moves", "server.http.direct", "server.fanout.hub"} <= set(loaded)
    interpreted = {name: file for name, file in loaded.items() if not file.endswith(COMPILED)}
    assert not interpreted, interpreted
    # The rest of server/ runs from the build's copy, interpreted.
    assert files["server.http.app"].endswith("app.py")


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


def _awaits_in_finally(source: str) -> list[int]:
    """Lines of the ``finally`` blocks, in ``source``, that await (or ``async with``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Try | ast.TryStar):
            for statement in node.finalbody:
                kinds = (ast.Await, ast.AsyncWith, ast.AsyncFor)
                if any(isinstance(n, kinds) for n in ast.walk(statement)):
                    found.append(statement.lineno)
    return found


def test_no_compiled_module_awaits_in_a_finally_block() -> None:
    # mypyc (2.4) leaves the exception passing through such a block in the handled
    # state, and the next such block raises it again, in whatever task (server/aio.py).
    assert _awaits_in_finally("try:\n    pass\nfinally:\n    await f()\n") == [4]
    builder = _builder()
    compiled = builder.compiled(ROOT)
    assert "server/aio.py" not in compiled
    found = {}
    for name in compiled:
        lines = _awaits_in_finally((ROOT / name).read_text())
        if lines:
            found[name] = lines
    assert not found, f"await in a finally block, use server.aio.finally_await: {found}"
