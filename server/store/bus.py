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
import random
import secrets
from collections.abc import Callable
from typing import Any

from redis import exceptions as rx
from redis.asyncio import Redis

from server import keys
from server.aio import finally_await
from server.store.base import Message, Snapshot
from server.store.fanout import Fanout
from server.store.wire import Wire, open_wire, pack_command

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
        held: list[_Listener] = []
        await finally_await(self._watch(client, held), lambda: self._hang_up(client, held))

    async def _watch(self, client: Redis, held: list[_Listener]) -> None:
        async with asyncio.timeout(SUBSCRIBE_TIMEOUT):
            listener = await open_wire(client, _Listener)
            held.append(listener)
            listener.deliver = self._deliver
            listener.write(pack_command(("SUBSCRIBE", keys.BUS)))
            await listener.subscribed
        self._live.set()
        self._delay = FIRST_DELAY
        # Messages are handed over as the bytes arrive (``_Listener``); this task
        # only watches the connection: a ping every POLL seconds, and a connection
        # whose pings go unanswered for SUBSCRIBE_TIMEOUT is given up.
        while True:
            listener.write(_PING)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(listener.lost), POLL)
            if listener.lost.done():
                raise rx.ConnectionError("broker connection lost")
            if asyncio.get_running_loop().time() - listener.heard > SUBSCRIBE_TIMEOUT:
                raise rx.TimeoutError("broker connection silent")

    async def _hang_up(self, client: Redis, held: list[_Listener]) -> None:
        self._live.clear()
        for listener in held:
            listener.close()
        with contextlib.suppress(Exception):
            await client.aclose()

    def _deliver(self, data: bytes) -> None:
        message = parse_frame(data, self._tag)
        if message is not None:
            self._fanout.offer(message)


_PING = pack_command(("PING",))


class _Listener(Wire):
    """The subscribed connection: each message goes to ``deliver`` as its bytes arrive
    (this instance's own frames are dropped there at their first bytes), with no task
    woken per message; the subscription's confirmation and pong replies mark it alive."""

    def __init__(self, transport: asyncio.Transport, parse_error: Any, keep: object = None) -> None:
        super().__init__(transport, parse_error, keep)
        loop = asyncio.get_running_loop()
        self.subscribed: asyncio.Future[None] = loop.create_future()
        self.heard = loop.time()
        self.deliver: Callable[[bytes], None] = _ignore

    def unasked(self, reply: Any) -> None:
        # ["message", channel, data], ["subscribe", channel, count], ["pong", ""]
        if not isinstance(reply, list) or not reply:
            if isinstance(reply, Exception):  # refused (AUTH, ACL): try again later
                raise rx.InvalidResponse(str(reply))
            return
        self.heard = asyncio.get_running_loop().time()
        kind = reply[0]
        if kind == b"message" and len(reply) == 3 and isinstance(reply[2], bytes):
            try:
                self.deliver(reply[2])
            except Exception:  # one bad message must not end the subscription
                log.exception("could not deliver a broker message")
        elif kind == b"subscribe" and not self.subscribed.done():
            self.subscribed.set_result(None)


def _ignore(data: bytes) -> None:
    return None
