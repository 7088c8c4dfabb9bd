"""The one pub/sub connection of a ``RedisStore`` instance, kept alive forever.

A single background task subscribes to ``keys.BUS`` and hands every message to the
store's fan-out. When the connection drops (Redis restarted, a cluster node died), it
reconnects with jittered exponential backoff, trying the next node on a cluster, and
subscribes again; messages sent in the gap are lost, which costs latency only (clients
notice version gaps and resync). Nothing a connection does can end the iterators.

Frames on the channel start with the sending instance's tag, so an instance drops its
own at the first bytes (the store delivered them in-process when it sent them):

- published: ``<tag>p<room id>\0<message>``;
- committed: ``<tag>c<room id>\0<version>:<blob size>:<blob><record>``, built by the
  commit script from ``commit_head`` and its arguments (the blob stays opaque to Lua).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import secrets
from collections.abc import Callable
from typing import cast

from redis.asyncio import Redis
from redis.asyncio.connection import Connection

from server import keys
from server.store.base import Message, Snapshot
from server.store.fanout import Fanout

log = logging.getLogger("closeknit.store.bus")

BusClient = Callable[[], Redis]
FIRST_DELAY = 0.05
MAX_DELAY = 2.0
POLL = 1.0
SUBSCRIBE_TIMEOUT = 3.0
TAG_SIZE = 8
_PUBLISHED = ord("p")
_COMMITTED = ord("c")


def new_tag() -> bytes:
    """A random instance tag of ``TAG_SIZE`` bytes."""
    return secrets.token_hex(TAG_SIZE // 2).encode()


def published_frame(tag: bytes, room_id: str, message: bytes) -> bytes:
    return b"%bp%b\x00%b" % (tag, keys.check_room_id(room_id).encode(), message)


def commit_head(tag: bytes, room_id: str, snapshot: Snapshot) -> bytes:
    """A commit's frame up to its blob; the script appends the blob, then the record.
    The caller has checked ``room_id`` (it built the room's keys from it)."""
    room = room_id.encode()
    return b"%bc%b\x00%d:%d:" % (tag, room, snapshot.version, len(snapshot.blob))


def parse_frame(frame: bytes, own: bytes) -> Message | None:
    """The message in a frame; None for this instance's own frames (already delivered
    in-process) and for anything malformed or foreign."""
    if frame[:TAG_SIZE] == own or len(frame) <= TAG_SIZE:
        return None
    kind = frame[TAG_SIZE]
    end = frame.find(b"\x00", TAG_SIZE + 1)
    if end < 0:
        return None
    try:
        room_id = frame[TAG_SIZE + 1 : end].decode()
    except UnicodeDecodeError:
        return None
    if kind == _PUBLISHED:
        return Message(room_id, frame[end + 1 :])
    if kind != _COMMITTED:
        return None
    first = frame.find(b":", end + 1)
    second = frame.find(b":", first + 1) if first >= 0 else -1
    if second < 0:
        return None
    head, size = frame[end + 1 : first], frame[first + 1 : second]
    if not (head.isdigit() and size.isdigit()):
        return None
    start = second + 1
    stop = start + int(size)
    if stop > len(frame):
        return None
    return Message(room_id, frame[stop:], Snapshot(int(head), frame[start:stop]))


class Bus:
    def __init__(self, connect: BusClient, fanout: Fanout, tag: bytes) -> None:
        self._connect = connect
        self._fanout = fanout
        self._tag = tag
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
            connection = cast("Connection | None", pubsub.connection)  # set by subscribe()
            assert connection is not None
            self._live.set()
            self._delay = FIRST_DELAY
            while True:
                # Replies are read straight off the connection, under one timer per
                # POLL seconds rather than one per message (PubSub.get_message costs
                # about 3x as much per message, and every commit is a message); once a
                # second the listener also lets redis-py ping a quiet connection.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(POLL):
                        while True:
                            reply = await connection.read_response(
                                timeout=math.inf, disconnect_on_error=False, push_request=True
                            )
                            # ["message", channel, data]; subscribe confirmations and
                            # health-check pongs are not messages
                            if (
                                isinstance(reply, list)
                                and len(reply) == 3
                                and reply[0] == b"message"
                            ):
                                self._deliver(reply[2])
                await pubsub.check_health()  # type: ignore[no-untyped-call]
        finally:
            self._live.clear()
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
            with contextlib.suppress(Exception):
                await client.aclose()

    def _deliver(self, data: object) -> None:
        if not isinstance(data, bytes):
            return
        message = parse_frame(data, self._tag)
        if message is not None:
            self._fanout.offer(message)
