"""The one pub/sub connection of a ``RedisStore`` instance, kept alive forever.

A single background task subscribes to ``keys.BUS`` and hands every message to the
store's fan-out. When the connection drops (Redis restarted, a cluster node died), it
reconnects with jittered exponential backoff, trying the next node on a cluster, and
subscribes again; messages sent in the gap are lost, which costs latency only (clients
notice version gaps and resync). Nothing a connection does can end the iterators.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable

from redis.asyncio import Redis

from server import keys
from server.store.fanout import Fanout

log = logging.getLogger("closeknit.store.bus")

BusClient = Callable[[], Redis]
FIRST_DELAY = 0.05
MAX_DELAY = 2.0
POLL = 1.0
SUBSCRIBE_TIMEOUT = 3.0


class Bus:
    def __init__(self, connect: BusClient, fanout: Fanout) -> None:
        self._connect = connect
        self._fanout = fanout
        self._task: asyncio.Task[None] | None = None
        self._live = asyncio.Event()
        self._delay = FIRST_DELAY
        self.reconnects = 0

    @property
    def live(self) -> bool:
        return self._live.is_set()

    def start(self) -> None:
        """Start the listener if it is not running (needs a running event loop)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def wait_live(self) -> None:
        self.start()
        await self._live.wait()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._live.clear()

    async def _run(self) -> None:
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any failure: reconnect, never end the iterators
                log.warning("broker connection lost (%s); reconnecting", type(exc).__name__)
            self._live.clear()
            self.reconnects += 1
            await asyncio.sleep(self._delay * random.uniform(0.5, 1.0))
            self._delay = min(self._delay * 2, MAX_DELAY)

    async def _listen(self) -> None:
        client = self._connect()
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            async with asyncio.timeout(SUBSCRIBE_TIMEOUT):
                await pubsub.subscribe(keys.BUS)
            self._live.set()
            self._delay = FIRST_DELAY
            while True:
                message = await pubsub.get_message(timeout=POLL)
                if message is not None:
                    self._deliver(message.get("data"))
        finally:
            self._live.clear()
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
            with contextlib.suppress(Exception):
                await client.aclose()

    def _deliver(self, data: object) -> None:
        if not isinstance(data, bytes):
            return
        decoded = keys.decode_bus(data)
        if decoded is not None:
            self._fanout.deliver(*decoded)
