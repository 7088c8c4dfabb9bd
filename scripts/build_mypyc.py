"""Compile the rules engine (``game/``) and the hot server modules with mypyc, outside the
source tree.

    .venv/bin/python scripts/build_mypyc.py          # prints the directory to put on PYTHONPATH
    .venv/bin/python scripts/build_mypyc.py --quick  # the tests' build (below)

The sources of ``game/`` and ``server/`` are copied to ``build/mypyc/<flavour>-<key>/`` and
compiled there, so no ``.so`` ever lands in the source tree: all of ``game/``, and of
``server/`` the modules a move runs through (``HOT``, below); the rest of ``server/`` stays
Python in the same copy, beside them, so the build directory first on ``PYTHONPATH`` holds
whole packages. (``decks/`` is copied too, for mypy to type the imports, and dropped after.)
``<key>`` hashes those sources, this script, the flavour, mypy's version and the
interpreter's ABI: a second run with the same sources finds the finished build and returns
at once. The interpreted code stays the reference (``make run`` without ``MYPYC`` never
builds or uses this).

Two flavours of the same mypyc output (the same IR: mypyc's own optimisations do not depend
on the C compiler's level), compiled differently:

- ``optimised`` (the default; ``make run MYPYC=1``, ``python -m bench.compiled``,
  ``python -m bench.run --mypyc``): mypyc's own defaults, one C file (11 MB) at gcc
  ``-O3 -g1``, so gcc may inline across modules: about 31 s of CPU, nearly all of it in one
  gcc process, so as long on the clock (a minute or more on a busy machine).
- ``quick`` (``tests/test_mypyc.py``): a C file per module (mypyc's ``multi_file``) at
  ``-O0 -g0``, compiled on every core at once: about 14 s of CPU (80 gcc runs, much of it
  each one's fixed cost) and 9 s on the clock on two idle cores (11 to 17 s on busy ones).
  Compiled at ``-O0``, the engine's tests take about a second more CPU than on the
  optimised build (7 s against 6), and mypyc keeps its C runtime's assertions
  (``-UNDEBUG``), which only makes them stricter.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
DONE = ".built"  # written last: a directory without it is not a finished build


class Flavour(NamedTuple):  # (not a dataclass: the tests load this file without importing it)
    """How the C that mypyc writes is compiled."""

    name: str
    opt_level: str  # gcc -O<level>
    debug_level: str  # gcc -g<level>
    multi_file: bool  # a C file per module (else one for all, which gcc can inline across)


# The server modules a move runs through, from the socket's bytes to the store call and the
# views written back (issue 16; ``python -m bench.profile "redis closed 1000" --ws-direct``
# names them).
# A module whose classes subclass a compiled one is compiled too (mypyc: "interpreted
# classes cannot inherit from compiled"): the party and daily sockets and codecs, the bus.
HOT = (
    "server/http/direct.py",
    "server/http/sansio.py",
    "server/http/shell.py",
    "server/http/ws.py",
    "server/rooms/moves.py",
    "server/rooms/service.py",
    "server/rooms/checks.py",
    "server/fanout/hub.py",
    "server/fanout/conn.py",
    "server/store/batch.py",
    "server/store/wire.py",
    "server/store/guard.py",
    "server/store/redis.py",
    "server/wire/broker.py",
    "server/wire/blob.py",
    "server/wire/frames.py",
    "server/wire/protocol.py",
    "server/ratelimit.py",
    "server/tokens.py",
    "server/metrics.py",
    "server/keys.py",
    "server/http/party.py",  # subclasses of the above
    "server/http/daily.py",
    "server/store/bus.py",
    "server/wire/party.py",
    "server/wire/daily.py",
)
# mypy's settings for the copy (mypyc type-checks what it compiles): the project's
# packages without stubs, as in pyproject.toml.
MYPY_INI = """[mypy]
python_version = 3.11
[mypy-msgpack,msgpack.*,uvloop,psutil,pywebpush,py_vapid,http_ece]
ignore_missing_imports = True
"""

OPTIMISED = Flavour("optimised", opt_level="3", debug_level="1", multi_file=False)
QUICK = Flavour("quick", opt_level="0", debug_level="0", multi_file=True)

# Run in the staging directory: mypyc writes its C into build/ and setuptools compiles it.
# The compiler's ``compile`` is given one source file at a time on a pool of threads (the
# work is gcc's, in its own processes), the largest first: setuptools' own ``-j`` only
# builds separate extensions side by side, and mypyc's C files all go into one.
SETUP = """
import os, sys
from concurrent.futures import ThreadPoolExecutor
from setuptools import setup
from setuptools.command.build_ext import build_ext
from mypyc.build import mypycify

opt_level, debug_level, layout, jobs = sys.argv[1:5]
compiled = open("compiled.txt").read().split()
del sys.argv[1:5]  # the rest is setuptools' command line
jobs = int(jobs)

def on_every_core(compile):
    def run(sources, *args, **kwargs):
        with ThreadPoolExecutor(jobs) as pool:
            order = sorted(sources, key=lambda s: -os.path.getsize(s))
            done = {s: pool.submit(compile, [s], *args, **kwargs) for s in order}
            return [obj for s in sources for obj in done[s].result()]
    return run

class BuildExt(build_ext):
    def build_extensions(self):
        if jobs > 1:
            self.compiler.compile = on_every_core(self.compiler.compile)
        super().build_extensions()

setup(
    name="game",
    ext_modules=mypycify(compiled, opt_level=opt_level, debug_level=debug_level,
                         multi_file=layout == "multi"),
    cmdclass={"build_ext": BuildExt},
)
"""


def sources(root: Path = ROOT) -> list[Path]:
    """Every file copied (and hashed): the packages' Python sources."""
    found = [p for d in ("game", "server", "decks") for p in (root / d).rglob("*.py")]
    return sorted(p for p in found if "__pycache__" not in p.parts)


def compiled(root: Path = ROOT) -> list[str]:
    """The sources mypyc compiles: all of game/, and the hot server modules."""
    names = [p.relative_to(root).as_posix() for p in sources(root)]
    return [name for name in names if name.startswith("game/")] + list(HOT)


def key(root: Path = ROOT, flavour: Flavour = OPTIMISED) -> str:
    digest = hashlib.sha256()
    abi = f"mypy {version('mypy')} python {sys.version} {sysconfig.get_config_var('EXT_SUFFIX')}"
    digest.update(abi.encode())
    digest.update(repr(flavour).encode())
    digest.update(Path(__file__).read_bytes())  # how it is built is part of what is built
    for path in sources(root):
        digest.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def build(root: Path = ROOT, flavour: Flavour = OPTIMISED, *, log: bool = True) -> Path:
    """The finished build's directory, compiling it first when there is none for these
    sources. Safe to run twice at once: each compiles in its own staging directory and the
    first to finish keeps its result."""
    target = root / "build" / "mypyc" / f"{flavour.name}-{key(root, flavour)}"
    if (target / DONE).exists():
        return target
    stage = target.with_name(f"{target.name}.tmp{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    for path in sources(root):
        copy = stage / path.relative_to(root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    if log:
        print(f"mypyc: compiling game/ and server's hot modules into {target} ...",
              file=sys.stderr, flush=True)  # fmt: skip
    (stage / "compiled.txt").write_text("\n".join(compiled(root)) + "\n")
    (stage / "mypy.ini").write_text(MYPY_INI)
    started = time.monotonic()
    cores = jobs() if flavour.multi_file else 1
    layout = "multi" if flavour.multi_file else "single"
    settings = [flavour.opt_level, flavour.debug_level, layout, str(cores)]
    done = subprocess.run(
        [sys.executable, "-c", SETUP, *settings, "build_ext", "--inplace"],
        cwd=stage, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        shutil.rmtree(stage, ignore_errors=True)
        raise SystemExit(f"mypyc: the build failed (exit {done.returncode})")
    # mypyc's C files and objects, and mypy's cache, are not needed to import the result.
    shutil.rmtree(stage / "build", ignore_errors=True)
    shutil.rmtree(stage / ".mypy_cache", ignore_errors=True)
    shutil.rmtree(stage / "decks", ignore_errors=True)  # only there for mypy: the tree's runs
    (stage / DONE).write_text(f"{time.monotonic() - started:.1f} s\n")
    try:
        stage.rename(target)
    except OSError:  # another build finished first
        shutil.rmtree(stage, ignore_errors=True)
    _prune(target.parent, flavour)
    if log:
        print(f"mypyc: built in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return target


def _prune(builds: Path, flavour: Flavour, keep: int = 3, stale: float = 3600) -> None:
    """Keep the ``keep`` newest builds of this flavour; drop staging directories left by a
    build that was killed more than ``stale`` seconds ago."""
    now = time.time()
    mine = [p for p in builds.iterdir() if p.name.startswith(f"{flavour.name}-")]
    done = sorted((p for p in mine if (p / DONE).exists()), key=_mtime)
    left = [p for p in builds.iterdir() if ".tmp" in p.name and now - _mtime(p) > stale]
    for path in done[:-keep] + left:
        shutil.rmtree(path, ignore_errors=True)


def _mtime(path: Path) -> float:
    return path.stat().st_mtime


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="the tests' build (-O0, every core)")
    print(build(flavour=QUICK if parser.parse_args().quick else OPTIMISED))
