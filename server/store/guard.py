"""One store call bounded by the reply deadline, its failures as refusals with our codes
(a hung Redis answers within the deadline as ``store/unavailable``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from server.errors import ErrorCode, Refused, StoreFull, StoreUnavailable

T = TypeVar("T")


def refusal(exc: BaseException) -> Exception:
    """A failed store call as the client hears of it: full, unreachable (a timeout or
    a cancelled call too), or the exception itself when it is neither."""
    if isinstance(exc, StoreFull):
        return Refused(ErrorCode.STORE_FULL, "Storage is full; nothing was saved.")
    if isinstance(exc, (StoreUnavailable, TimeoutError)) or not isinstance(exc, Exception):
        return Refused(ErrorCode.STORE_UNAVAILABLE, "Storage unreachable; retry.")
    return exc


async def bounded(call: Awaitable[T], deadline: float, observe: Callable[[float], None]) -> T:
    start = time.perf_counter()
    try:
        async with asyncio.timeout(deadline):
            return await call
    except (StoreFull, StoreUnavailable, TimeoutError) as exc:
        raise refusal(exc) from None
    finally:
        observe(time.perf_counter() - start)
