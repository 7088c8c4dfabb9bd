"""Coalescing: calls made while a round trip is in flight leave together in one
pipeline (not a transaction; each command is atomic on its own, the Lua scripts
included). A lone call costs one round trip as before; under load, hundreds of moves
share one, which is where Redis throughput comes from (ARCHITECTURE.md: pipelines
roughly double moves per second). On a cluster, redis-py splits the pipeline per node.

Scripts are sent as EVALSHA; a NOSCRIPT answer (Redis restarted, a new node) loads the
script and sends that command again once.

On a single Redis the batcher speaks to one connection of its own directly (``Wire``):
redis-py opens it (address, TLS, AUTH, SELECT: all its options apply), then the socket's
bytes go to a small protocol that parses replies in C (hiredis) as they arrive and
hands each round trip its replies, with no reader task, stream or timer per reply.
redis-py's pipeline packs each argument by repeated concatenation and reads each reply
under a timer of its own, and its stream reader adds a wake-up per read: that cost more
than the rest of a move's store work. Replies come as Redis sends them (HGETALL as a
flat list). A cluster keeps redis-py's pipeline, which routes each command to its node.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
from collections import deque
from collections.abc import Coroutine, Sequence
from typing import Any

from redis import exceptions as rx
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster

from server.store.wire import Wire, open_wire, pack_command

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

    def take_now(self) -> bool:
        """A free slot taken at once (True; ``release`` gives it back), or False when
        none is free or others wait for one."""
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return True
        return False

    def release(self) -> None:
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
        self._wire: Wire | None = None
        self._kicking = False
        self._closed = False
        self._tasks: set[asyncio.Task[None]] = set()
        self.round_trips = 0

    async def command(self, *args: Any) -> Any:
        return await self._submit(_Call(args, None))

    async def script(self, script: Script, keys: Sequence[str], args: Sequence[Any]) -> Any:
        call = _Call(("EVALSHA", script.sha, len(keys), *keys, *args), script)
        return await self._submit(call)

    def script_now(
        self, script: Script, keys: Sequence[str], args: Sequence[Any]
    ) -> asyncio.Future[Any] | None:
        """``script`` queued for this turn's round trip without a coroutine: the future
        of its reply, or None (nothing queued) when no connection is open to send it
        on now (the caller awaits ``script`` instead)."""
        wire = self._wire
        if wire is None or not wire.open:
            return None
        call = _Call(("EVALSHA", script.sha, len(keys), *keys, *args), script)
        self._queue.append(call)
        self._kick_soon()
        return call.future

    async def _submit(self, call: _Call) -> Any:
        self._queue.append(call)
        wire = self._wire
        if wire is not None and wire.open:  # the common case on a single Redis
            self._kick_soon()
        else:
            self._start_flusher()
        return await call.future

    def _kick_soon(self) -> None:
        if not self._kicking:
            self._kicking = True
            asyncio.get_running_loop().call_soon(self._kick)

    def _start_flusher(self) -> None:
        """The task that sends the queue while there is no open connection (it opens
        one on a single Redis; a cluster always goes through it)."""
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush())

    def _next_batch(self) -> list[_Call]:
        """Up to max_batch queued calls whose callers still wait (maybe none)."""
        taken = [self._queue.popleft() for _ in range(min(len(self._queue), self._max_batch))]
        return [call for call in taken if not call.future.done()]

    def _kick(self) -> None:
        """Write what was queued during this turn of the loop as one round trip on the
        open connection, without a task: its replies settle the calls from the
        connection's own callback (``_landed``), under one timer per round trip.
        Round trips follow one another on the connection without waiting."""
        self._kicking = False
        wire = self._wire
        if wire is None or not wire.open:
            if self._queue:
                self._start_flusher()
            return
        loop = asyncio.get_running_loop()
        while self._queue:
            batch = self._next_batch()
            if not batch:
                continue
            self.round_trips += 1
            round_ = wire.send(b"".join([pack_command(call.args) for call in batch]), len(batch))
            timer = loop.call_later(self._timeout, wire.expire, round_)
            round_.future.add_done_callback(functools.partial(self._landed, batch, timer))

    def _landed(
        self, batch: list[_Call], timer: asyncio.TimerHandle, done: asyncio.Future[Any]
    ) -> None:
        timer.cancel()
        error = done.exception() if not done.cancelled() else asyncio.CancelledError()
        if error is None:
            self._settle_all(batch, done.result(), reload=True)
        elif isinstance(error, rx.ConnectionError) and not self._closed:
            self._spawn(self._send(batch, reload=True))  # lost under it: once more, anew
        else:
            for call in batch:
                _settle(call, error)

    def _settle_all(self, batch: list[_Call], results: list[Any], *, reload: bool) -> None:
        """Each call its own reply; scripts Redis no longer knows (NOSCRIPT) are loaded
        and sent once more, when ``reload``."""
        missing = [c for c, r in zip(batch, results, strict=True) if _noscript(r, c, reload)]
        for call, result in zip(batch, results, strict=True):
            if call not in missing:
                _settle(call, result)
        if missing:
            self._spawn(self._reload(missing))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush(self) -> None:
        while self._queue:
            batch = self._next_batch()
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
        self._settle_all(batch, results, reload=reload)

    async def _exchange(self, batch: list[_Call]) -> list[Any]:
        """One round trip on the batcher's own connection (single Redis only). A lost
        connection is opened again and the whole batch sent once more (every script is
        safe to run twice)."""
        packed = b"".join([pack_command(call.args) for call in batch])
        for attempt in (1, 2):
            try:
                wire = await self._connected()
                return await wire.request(packed, len(batch))
            except (rx.ConnectionError, OSError):
                self._drop()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _connected(self) -> Wire:
        wire = self._wire
        if wire is not None and wire.open:
            return wire
        assert isinstance(self._client, Redis)
        wire = self._wire = await open_wire(self._client, Wire)
        return wire

    def _drop(self) -> None:
        wire, self._wire = self._wire, None
        if wire is not None:
            wire.close()

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
        self._closed = True
        tasks = [*self._tasks, *([self._flusher] if self._flusher is not None else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for call in self._queue:
            call.future.cancel()
        self._queue.clear()
        self._drop()


def _noscript(result: object, call: _Call, reload: bool) -> bool:
    return reload and call.script is not None and isinstance(result, rx.NoScriptError)


def _settle(call: _Call, result: object) -> None:
    if call.future.done():
        return
    if isinstance(result, BaseException):
        call.future.set_exception(result)
    else:
        call.future.set_result(result)
