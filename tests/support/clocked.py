"""The production server with a clock a test moves: ``python -m tests.support.clocked
<file> [serve options]`` runs ``server.serve`` whose wall clock is the real one plus the
seconds written in ``<file>`` (a file the test owns; missing or empty: 0).

This is a test launcher, not a server feature: no setting, header or message reaches the
clock; only whoever can write that file (the test) moves it. ``move_clock`` writes it.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

READ_EVERY = 0.05  # seconds between looks at the file


class FileClock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0.0
        self.read_at = float("-inf")

    def __call__(self) -> float:
        now = time.time()
        if now - self.read_at >= READ_EVERY:
            self.read_at = now
            # a file being rewritten keeps the last offset
            with contextlib.suppress(OSError, ValueError):
                self.offset = float(self.path.read_text() or 0)
        return now + self.offset


class MovableClock:
    """An in-process clock for ``InProcessServer`` and services: the wall clock plus
    ``offset`` seconds, which the test moves."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def __call__(self) -> float:
        return time.time() + self.offset

    def move(self, seconds: float) -> None:
        self.offset += seconds


def move_clock(path: Path, seconds: float) -> None:
    """Move a launched server's clock ``seconds`` further (atomically: a rename)."""
    try:
        current = float(path.read_text() or 0)
    except (OSError, ValueError):
        current = 0.0
    tmp = path.with_suffix(".tmp")
    tmp.write_text(repr(current + seconds))
    tmp.replace(path)
    time.sleep(2 * READ_EVERY)  # the server reads it within this


def main() -> int:
    from server import serve

    path = Path(sys.argv[1])
    return serve.main(serve.parse(sys.argv[2:]), clock=FileClock(path))


if __name__ == "__main__":
    sys.exit(main())
