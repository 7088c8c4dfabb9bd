"""Coalescing: calls made while a round trip is in flight leave together in one
pipeline (not a transaction; each command is atomic on its own, the Lua scripts
included). A lone call costs one round trip as before; under load, hundreds of moves
share one, which is where Redis throughput comes from (ARCHITECTURE.md: pipelines
roughly double moves per second). On a cluster, redis-py splits the pipeline per node.

Scripts are sent as EVALSHA; a NOSCRIPT answer (Redis restarted, a new node) loads the
script and sends that command again once.

On a single Redis the batcher writes the packed commands itself on one connection of
its own and reads the replies under the one timer of the round trip: redis-py's
pipeline packs each argument by repeated concatenation and reads each reply under a
timer of its own, which cost more than the rest of a move's store work. Replies then
come as Redis sends them (HGETALL as a flat list). A cluster keeps redis-py's pipeline,
which routes each command to its node.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
from collections import deque
from collections.abc import Sequence
from typing import Any, cast

from redis import exceptions as rx
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.connection import AbstractConnection

Client = Redis | RedisCluster
MAX_BATCH = 512


class Slots:
    """At most ``limit`` holders at once; the others wait, first come first served.

    ``asyncio.Semaphore`` scans all its waiters on every acquire (3.11), so a burst
    past the limit cost time per call in proportion to the queue; here taking a free
    slot is a counter, and a released slot goes straight to the oldest waiter."""

    def __init__(self, limit: int) -> None:
        self._free = limit
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def free(self) -> int:
        return self._free

    async def __aenter__(self) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()  # handed a slot while being cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
            raise

    async def __aexit__(self, *_: object) -> None:
        self._release()

    def _release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot changes hands: _free stays
                return
        self._free += 1


class Script:
    """A Lua script known by its SHA1, runnable through a ``Batcher``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sha = hashlib.sha1(text.encode()).hexdigest()


class _Call:
    __slots__ = ("args", "future", "script")

    def __init__(self, args: tuple[Any, ...], script: Script | None) -> None:
        self.args = args
        self.script = script
        self.future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()


class Batcher:
    def __init__(self, client: Client, *, timeout: float, max_batch: int = MAX_BATCH) -> None:
        self._client = client
        self._timeout = timeout
        self._max_batch = max_batch
        self._queue: deque[_Call] = deque()
        self._flusher: asyncio.Task[None] | None = None
        self._direct = isinstance(client, Redis)
        self._conn: AbstractConnection | None = None
        self.round_trips = 0

    async def command(self, *args: Any) -> Any:
        return await self._submit(_Call(args, None))

    async def script(self, script: Script, keys: Sequence[str], args: Sequence[Any]) -> Any:
        call = _Call(("EVALSHA", script.sha, len(keys), *keys, *args), script)
        return await self._submit(call)

    async def _submit(self, call: _Call) -> Any:
        self._queue.append(call)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush())
        return await call.future

    async def _flush(self) -> None:
        while self._queue:
            batch = [self._queue.popleft() for _ in range(min(len(self._queue), self._max_batch))]
            batch = [call for call in batch if not call.future.done()]  # callers gone
            if batch:
                await self._send(batch, reload=True)

    async def _send(self, batch: list[_Call], *, reload: bool) -> None:
        self.round_trips += 1
        try:
            async with asyncio.timeout(self._timeout):
                if self._direct:
                    results = await self._exchange(batch)
                else:
                    pipe = self._client.pipeline(transaction=False)
                    for call in batch:
                        pipe.execute_command(*call.args)
                    results = await pipe.execute(raise_on_error=False)
        except Exception as exc:  # the whole round trip failed: every caller hears it
            for call in batch:
                _settle(call, exc)
            return
        missing = [c for c, r in zip(batch, results, strict=True) if _noscript(r, c, reload)]
        for call, result in zip(batch, results, strict=True):
            if call not in missing:
                _settle(call, result)
        if missing:
            await self._reload(missing)

    async def _exchange(self, batch: list[_Call]) -> list[Any]:
        """One round trip on the batcher's own connection (single Redis only). The
        client's retry policy applies as in a pipeline: a lost connection is opened
        again and the whole batch resent (every script is safe to run twice)."""
        conn = self._conn
        if conn is None:
            assert isinstance(self._client, Redis)
            # the batcher's own, outside the pool (closed by close())
            made = self._client.connection_pool.make_connection()  # type: ignore[no-untyped-call]
            conn = self._conn = cast(AbstractConnection, made)
        packed = b"".join([_pack(call.args) for call in batch])

        async def attempt() -> list[Any]:
            await conn.send_packed_command(packed, check_health=False)  # connects if needed
            results: list[Any] = []
            for _ in batch:
                try:  # no timer per reply: the caller bounds the whole round trip
                    results.append(await conn.read_response(timeout=math.inf))
                except rx.ResponseError as exc:  # this command's error, not the batch's
                    results.append(exc)
            return results

        async def lost(error: Exception) -> None:
            await conn.disconnect()

        out: list[Any] = await conn.retry.call_with_retry(attempt, lost)
        return out

    async def _reload(self, calls: list[_Call]) -> None:
        scripts = {call.script.sha: call.script for call in calls if call.script is not None}
        try:
            async with asyncio.timeout(self._timeout):
                for script in scripts.values():
                    await self._client.script_load(script.text)
        except Exception as exc:
            for call in calls:
                _settle(call, exc)
            return
        await self._send(calls, reload=False)

    async def close(self) -> None:
        if self._flusher is not None:
            self._flusher.cancel()
            await asyncio.gather(self._flusher, return_exceptions=True)
        for call in self._queue:
            call.future.cancel()
        self._queue.clear()
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.disconnect()


def _pack(args: tuple[Any, ...]) -> bytes:
    """One command in RESP, each argument copied once (str, bytes or int only)."""
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            value = arg.encode()
        elif isinstance(arg, int):
            value = b"%d" % arg
        else:
            value = arg
        out.append(b"$%d\r\n%b\r\n" % (len(value), value))
    return b"".join(out)


def _noscript(result: object, call: _Call, reload: bool) -> bool:
    return reload and call.script is not None and isinstance(result, rx.NoScriptError)


def _settle(call: _Call, result: object) -> None:
    if call.future.done():
        return
    if isinstance(result, BaseException):
        call.future.set_exception(result)
    else:
        call.future.set_result(result)
