"""In-process fan-out of broker messages to every ``subscribe()`` iterator of a store.

Each iterator owns a bounded queue: a consumer that stops reading loses messages
instead of growing memory without bound (a lost message costs latency, never
correctness: clients notice version gaps and resync). Iterators are held weakly, so
one dropped without ``aclose()`` cannot leak.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Callable

from server.store.base import Message, Snapshot

QUEUE_LIMIT = 10_000
log = logging.getLogger("closeknit.store.fanout")
# Takes a message as it arrives, without a task: True when it handled it (see
# ``RoomStore.subscribe``).
Now = Callable[[Message], bool]


class Subscription(AsyncIterator[Message]):
    """Registered from the moment it is created: nothing sent after is missed."""

    def __init__(self, fanout: Fanout, limit: int, now: Now | None = None) -> None:
        self._queue: asyncio.Queue[Message | None] = asyncio.Queue(limit)
        self._fanout = fanout
        self.now = now
        self.dropped = 0
        fanout._add(self)

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Message:
        if self._fanout.on_wait is not None:
            self._fanout.on_wait()
        item = await self._queue.get()
        if item is None:
            self._queue.put_nowait(None)  # stay finished for later calls
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        self._fanout._members.pop(id(self), None)
        self._finish()

    def _offer(self, item: Message, at_once: bool) -> None:
        # Offered to ``now`` first while nothing waits in the queue (so messages are
        # still handled in order): one it handles is not queued, and no task wakes.
        now = self.now
        if at_once and now is not None and self._queue.empty():
            try:
                if now(item):
                    return
            except Exception:
                log.exception("could not take a broker message at once; queued")
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            self.dropped += 1

    def _finish(self) -> None:
        while self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(None)


class Fanout:
    def __init__(self, limit: int = QUEUE_LIMIT, on_wait: Callable[[], None] | None = None) -> None:
        # id -> weak reference, dropped by the reference's callback when the iterator
        # is collected (a WeakSet costs more to iterate, and every message iterates)
        self._members: dict[int, weakref.ref[Subscription]] = {}
        self._limit = limit
        # Called whenever an iterator waits: lets RedisStore start its listener even
        # when subscribe() was called before the event loop ran.
        self.on_wait = on_wait
        self.closed = False

    def subscribe(self, now: Now | None = None) -> Subscription:
        sub = Subscription(self, self._limit, now)
        if self.closed:
            sub._finish()
        return sub

    def deliver(self, room_id: str, payload: bytes, snapshot: Snapshot | None = None) -> None:
        """This instance's own message, in-process: always queued (the caller is in the
        middle of a change; the subscriber takes it after)."""
        self.offer(Message(room_id, payload, snapshot), at_once=False)

    def offer(self, message: Message, *, at_once: bool = True) -> None:
        """A message from the broker: offered to each subscription's ``now``
        (``at_once``), else queued."""
        for ref in list(self._members.values()):
            sub = ref()
            if sub is not None:
                sub._offer(message, at_once)

    def _add(self, sub: Subscription) -> None:
        key, members = id(sub), self._members

        def collected(_: object) -> None:
            members.pop(key, None)

        members[key] = weakref.ref(sub, collected)

    @property
    def subscribers(self) -> int:
        return len(self._members)

    def close(self) -> None:
        """End every iterator (they raise StopAsyncIteration once drained)."""
        self.closed = True
        for ref in list(self._members.values()):
            sub = ref()
            if sub is not None:
                sub._finish()
        self._members.clear()
