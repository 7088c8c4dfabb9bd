"""One Redis connection read by a protocol of its own (``Wire``), and commands packed
in RESP: the batcher's and the broker's transport on a single Redis (see batch.py)."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, Self, TypeVar, cast

import hiredis
from redis import exceptions as rx
from redis.asyncio import Redis
from redis.asyncio.connection import AbstractConnection

_MORE = object()  # hiredis: no complete reply yet
W = TypeVar("W", bound="Wire")


async def open_wire(client: Redis, kind: type[W]) -> W:
    """A new connection to ``client``'s Redis, opened by redis-py (address, TLS, AUTH,
    SELECT: all its options apply), then read by a ``kind`` protocol of its own."""
    made = client.connection_pool.make_connection()  # type: ignore[no-untyped-call]
    conn = cast(AbstractConnection, made)
    await conn.connect()  # type: ignore[no-untyped-call]
    return kind.take_over(conn)


class _Round:
    __slots__ = ("future", "replies", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.replies: list[Any] = []
        self.future: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()


class Wire(asyncio.Protocol):
    """A Redis connection read by its own protocol: each round trip is written at once
    and its replies, parsed as the bytes arrive, settle it when all are in (in order:
    Redis answers a connection's commands in the order it got them). An error reply is
    that command's exception, as redis-py would have raised it. A lost connection fails
    every round trip still waiting on it; a round trip given up (timed out) closes it,
    since its replies may still come."""

    def __init__(self, transport: asyncio.Transport, parse_error: Any, keep: object = None) -> None:
        self._transport = transport
        self._keep = keep  # redis-py's stream writer: it closes the socket when collected
        self._reader = hiredis.Reader(
            protocolError=rx.InvalidResponse, replyError=parse_error, notEnoughData=_MORE
        )
        self._rounds: deque[_Round] = deque()
        self.lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if transport.is_closing():
            self.lost.set_result(None)

    @property
    def open(self) -> bool:
        return not self.lost.done()

    @classmethod
    def take_over(cls, conn: AbstractConnection) -> Self:
        """The socket of ``conn``, connected by redis-py and idle, read from now on by a
        ``Wire``, which owns it: ``conn`` is left disconnected, and never closes it."""
        writer, parser = conn._writer, conn._parser  # redis-py keeps them private
        if writer is None:
            raise rx.ConnectionError("not connected")
        transport = cast(asyncio.Transport, writer.transport)
        wire = cls(transport, parser.parse_error, keep=writer)
        transport.set_protocol(wire)
        conn._writer = conn._reader = None
        return wire

    def send(self, packed: bytes, replies: int) -> _Round:
        """Write a round trip; its future gets the replies (or the connection's end)."""
        self.write(packed)
        round_ = _Round(replies)
        self._rounds.append(round_)  # replies come in a later callback, never in write
        return round_

    def expire(self, round_: _Round) -> None:
        """Its time ran out: it fails, and so does this connection (replies may come)."""
        if not round_.future.done():
            round_.future.set_exception(TimeoutError("redis did not answer in time"))
            self.close()

    async def request(self, packed: bytes, replies: int) -> list[Any]:
        round_ = self.send(packed, replies)
        try:
            return await round_.future
        except asyncio.CancelledError:
            self.close()  # its replies may yet come: this connection is done
            raise

    def data_received(self, data: bytes) -> None:
        reader, rounds = self._reader, self._rounds
        reader.feed(data)
        try:
            while (reply := reader.gets()) is not _MORE:
                if not rounds:
                    self.unasked(reply)
                    continue
                round_ = rounds[0]
                round_.replies.append(reply)
                if len(round_.replies) == round_.size:
                    rounds.popleft()
                    if not round_.future.done():
                        round_.future.set_result(round_.replies)
        except rx.RedisError as exc:  # a broken stream: nothing after it can be trusted
            self._fail(rx.ConnectionError(f"bad reply: {exc}"))
            self._transport.close()

    def unasked(self, reply: Any) -> None:
        """A reply with no round trip waiting for it; pub/sub messages are such."""
        raise rx.InvalidResponse("a reply nobody asked for")

    def write(self, packed: bytes) -> None:
        """Write commands; replies nobody waits for (no round trip) go to ``unasked``."""
        if not self.open:
            raise rx.ConnectionError("connection closed")
        self._transport.write(packed)

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(rx.ConnectionError("connection lost"))

    def eof_received(self) -> bool | None:
        self._fail(rx.ConnectionError("closed by the server"))
        return None  # the transport closes itself

    def close(self) -> None:
        self._fail(rx.ConnectionError("connection closed"))
        self._transport.close()

    def _fail(self, error: Exception) -> None:
        if not self.lost.done():
            self.lost.set_result(None)
        rounds, self._rounds = self._rounds, deque()
        for round_ in rounds:
            if not round_.future.done():
                round_.future.set_exception(error)


def pack_command(args: tuple[Any, ...]) -> bytes:
    """One command in RESP (str, bytes or int arguments): hiredis's packer, in C, half
    the time of the Python one it replaced, byte for byte the same."""
    packed: bytes = hiredis.pack_command(args)
    return packed
