"""Compile the rules engine (``game/``) with mypyc, outside the source tree.

    .venv/bin/python scripts/build_mypyc.py      # prints the directory to put on PYTHONPATH

The sources are copied to ``build/mypyc/<key>/`` and compiled there, so no ``.so`` ever
lands in ``game/``. ``<key>`` hashes the sources of ``game/``, this script, mypy's version
and the interpreter's ABI: a second run with the same sources finds the finished build and
returns at once. ``make run MYPYC=1`` and ``tests/test_mypyc.py`` use it; the interpreted
``game/`` stays the reference (``make run`` without ``MYPYC`` never builds or uses this).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DONE = ".built"  # written last: a directory without it is not a finished build


def sources(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / "game").rglob("*.py") if "__pycache__" not in p.parts)


def key(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    abi = f"mypy {version('mypy')} python {sys.version} {sysconfig.get_config_var('EXT_SUFFIX')}"
    digest.update(abi.encode())
    digest.update(Path(__file__).read_bytes())  # how it is built is part of what is built
    for path in sources(root):
        digest.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build(root: Path = ROOT, *, log: bool = True) -> Path:
    """The finished build's directory, compiling it first when there is none for these
    sources. Safe to run twice at once: each compiles in its own staging directory and the
    first to finish keeps its result."""
    target = root / "build" / "mypyc" / key(root)
    if (target / DONE).exists():
        return target
    stage = target.with_name(f"{target.name}.tmp{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    for path in sources(root):
        copy = stage / path.relative_to(root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    if log:
        print(f"mypyc: compiling game/ into {target} ...", file=sys.stderr, flush=True)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mypyc", "game"],
        cwd=stage,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        shutil.rmtree(stage, ignore_errors=True)
        raise SystemExit(f"mypyc: the build failed (exit {done.returncode})")
    # mypyc's C files and objects, and mypy's cache, are not needed to import the result.
    shutil.rmtree(stage / "build", ignore_errors=True)
    shutil.rmtree(stage / ".mypy_cache", ignore_errors=True)
    (stage / DONE).write_text(f"{time.monotonic() - started:.1f} s\n")
    try:
        stage.rename(target)
    except OSError:  # another build finished first
        shutil.rmtree(stage, ignore_errors=True)
    _prune(target.parent)
    if log:
        print(f"mypyc: built in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return target


def _prune(builds: Path, keep: int = 3, stale: float = 3600) -> None:
    """Keep the ``keep`` newest builds; drop staging directories left by a build that
    was killed more than ``stale`` seconds ago."""
    now = time.time()
    done = sorted((p for p in builds.iterdir() if (p / DONE).exists()), key=_mtime)
    left = [p for p in builds.iterdir() if ".tmp" in p.name and now - _mtime(p) > stale]
    for path in done[:-keep] + left:
        shutil.rmtree(path, ignore_errors=True)


def _mtime(path: Path) -> float:
    return path.stat().st_mtime


if __name__ == "__main__":
    print(build())
