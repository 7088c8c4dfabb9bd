"""The relay's per-connection queue: frames go out in order through one writer; a
client that stops reading is dropped instead of stalling anyone."""

from __future__ import annotations

import asyncio

from server import protocol
from server.protocol import CloseCode, Codec
from server.relay import Conn, Frame


class Socket:
    def __init__(self, stuck: bool = False) -> None:
        self.sent: list[Frame] = []
        self.closed: list[int] = []
        self.stuck = stuck

    async def send(self, frame: Frame) -> None:
        if self.stuck:
            await asyncio.Event().wait()  # a client that never reads: send never returns
        self.sent.append(frame)

    async def close(self, code: int) -> None:
        self.closed.append(code)


def conn_on(sock: Socket, queue: int = 4) -> Conn:
    conn = Conn(Codec(protocol.SUBPROTOCOL_JSON), sock.send, sock.close, queue, "test")
    conn.start()
    return conn


async def test_frames_go_out_in_order_then_the_close() -> None:
    sock = Socket()
    conn = conn_on(sock)
    for n in range(3):
        assert conn.push(protocol.ack(n, n))
    conn.shut(CloseCode.REPLACED)
    assert conn.writer is not None
    await asyncio.wait_for(conn.writer, 1)
    assert [f'"re":{n},' in str(f) for n, f in enumerate(sock.sent)] == [True] * 3
    assert sock.closed == [CloseCode.REPLACED]
    assert not conn.push(protocol.ack(9, 9))  # nothing after closing


async def test_a_client_that_stops_reading_is_dropped_with_4004() -> None:
    sock = Socket(stuck=True)
    conn = conn_on(sock, queue=4)
    dropped: list[bool] = []
    conn.on_slow = lambda: dropped.append(True)
    results = [conn.push(protocol.ack(0, 0))]
    await asyncio.sleep(0)  # the writer takes it and blocks in send
    results += [conn.push(protocol.ack(n, n)) for n in range(1, 7)]
    assert results[:5] == [True] * 5  # one in the stuck send, four queued
    assert results[5] is False and dropped == [True]
    await asyncio.wait_for(conn.finished(), 2)
    assert sock.closed == [CloseCode.TOO_SLOW]


async def test_a_full_queue_still_closes_when_asked() -> None:
    sock = Socket(stuck=True)
    conn = conn_on(sock, queue=2)
    conn.push(protocol.ack(0, 0))
    await asyncio.sleep(0)  # the writer blocks in send; the queue fills up
    assert conn.push(protocol.ack(1, 1)) and conn.push(protocol.ack(2, 2))
    conn.shut(CloseCode.GOING_AWAY)  # no room for the close in the queue: forced
    await asyncio.wait_for(conn.finished(), 2)
    assert sock.closed == [CloseCode.GOING_AWAY]
