"""One store call bounded by the reply deadline, its failures as refusals with our codes
(a hung Redis answers within the deadline as ``store/unavailable``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from server.errors import ErrorCode, Refused, StoreFull, StoreUnavailable

T = TypeVar("T")


async def bounded(call: Awaitable[T], deadline: float, observe: Callable[[float], None]) -> T:
    start = time.perf_counter()
    try:
        async with asyncio.timeout(deadline):
            return await call
    except StoreFull:
        raise Refused(ErrorCode.STORE_FULL, "Storage is full; nothing was saved.") from None
    except (StoreUnavailable, TimeoutError):
        raise Refused(ErrorCode.STORE_UNAVAILABLE, "Storage unreachable; retry.") from None
    finally:
        observe(time.perf_counter() - start)
