"""``try: await work finally: await cleanup()``, for the modules mypyc compiles.

Compiled by mypyc (mypy 2.4), a coroutine that awaits inside a ``finally`` block while an
exception passes through it leaves that exception behind in the thread's handled-exception
state, and the next compiled ``finally`` that awaits raises it again: a broker's timeout
came back out of a closing socket's cleanup, in another task (akin to mypyc/mypyc#1114; seen
on this server under load with the hot modules compiled, and in a ten-line program). This
module is never compiled (``scripts/build_mypyc.py``'s ``HOT`` leaves it out), so its
``finally`` runs as CPython runs it, and the compiled modules await nothing in a
``finally`` of their own (``tests/test_mypyc.py`` reads their sources for one).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def finally_await(work: Awaitable[T], cleanup: Callable[[], Awaitable[object]]) -> T:
    """``work``'s result (or exception), after ``cleanup()`` has run and been awaited
    either way."""
    try:
        return await work
    finally:
        await cleanup()
