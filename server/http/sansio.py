"""What we do to uvicorn's websockets-sansio protocol object (the server's default
WebSocket protocol, and the base of ``http.direct``'s): write frames past ASGI, bound
the kernel's send buffer, close a socket that does not read. Used by both ways a
socket is served (``http.shell`` over ASGI, ``http.direct`` without it)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from websockets.exceptions import InvalidState

from server.fanout.conn import Frame

CUT_AFTER = 2.0  # seconds a dropped socket has to read its close frame before it is cut
# The kernel's send buffer of a WebSocket (Linux doubles it for its bookkeeping). Left
# to itself it grows to tcp_wmem's maximum (4 MiB here, 2.8 MB measured held for one
# client that stopped reading): kernel memory nobody reads, and a slow reader noticed
# only once all of it is full. A few hundred moves' views still fit.
SEND_BUFFER = 256 * 1024

FIELDS = (
    "conn",
    "transport",
    "writable",
    "disconnected",
    "close_sent",
    "handshake_complete",
    "initial_response",
    "queue",
    "close_timer",
    "loop",
)


def is_sansio(proto: object) -> bool:
    """uvicorn's websockets-sansio protocol (or a subclass), with every field we use."""
    names = {kind.__name__ for kind in type(proto).__mro__}
    return "WebSocketsSansIOProtocol" in names and all(hasattr(proto, n) for n in FIELDS)


def bound_send_buffer(proto: Any) -> None:
    sock = proto.transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)


def open_now(proto: Any) -> bool:
    """The socket is open and takes a write now (no flow control holding it)."""
    return not (
        not proto.writable.is_set()
        or proto.disconnected
        or proto.close_sent
        or not proto.handshake_complete
        or proto.initial_response is not None
        or proto.transport.is_closing()
    )


def write(proto: Any, frames: list[Frame]) -> None:
    """The frames in one write to the transport (the caller checked ``open_now``)."""
    wire = proto.conn
    for frame in frames:
        if isinstance(frame, bytes):
            wire.send_binary(frame)
        else:
            wire.send_text(frame.encode())
    proto.transport.write(b"".join(wire.data_to_send()))


def frames_writer(proto: Any) -> Callable[[list[Frame]], bool]:
    """Several frames in one write to the socket: each ASGI send is a write, a system
    call that costs as much as the rest of sending a frame. The frames go only while
    the socket is open and writable; otherwise it returns False and the caller sends
    them one at a time, where flow control and closing are handled."""

    def send_many(frames: list[Frame]) -> bool:
        if not open_now(proto):
            return False
        write(proto, frames)
        return True

    return send_many


def sender(proto: Any) -> Callable[[Frame], Coroutine[Any, Any, None]]:
    """One frame, straight through the protocol: at once when the socket is writable,
    else after flow control lets it (a coroutine, as ``fanout.Conn`` expects)."""

    async def send(frame: Frame) -> None:
        if not proto.writable.is_set():
            await proto.writable.wait()
        if proto.disconnected or proto.close_sent or proto.transport.is_closing():
            raise ConnectionError("the socket is closed")
        try:
            write(proto, [frame])
        except InvalidState as exc:
            raise ConnectionError("the socket is closed") from exc

    return send


def closer(proto: Any) -> Callable[[int], Awaitable[None]]:
    async def close(code: int) -> None:
        # Always past ASGI: its close waits for a writable socket, then closes the
        # transport only after the buffer drains, which never happens for a peer
        # that does not read (a socket writable at the moment of the drop stayed
        # open for good: neither closed nor cut).
        cut(proto, code)

    return close


def cut(proto: Any, code: int) -> None:
    """Close a socket that does not read: the close frame goes behind what the socket
    already holds, past flow control, so a client that reads again gets its frames and
    then the close; one that does not is cut (TCP reset) ``CUT_AFTER`` seconds later.
    Our own reader learns of the close at once, so the seat goes "away" at once."""
    if not (proto.close_sent or proto.disconnected or proto.transport.is_closing()):
        proto.conn.send_close(code)
        proto.transport.write(b"".join(proto.conn.data_to_send()))
        proto.close_sent = True
        proto.queue.put_nowait({"type": "websocket.disconnect", "code": code})
        if getattr(proto, "read_paused", False):  # so the peer's close reply can arrive
            proto.read_paused = False
            proto.transport.resume_reading()
    if proto.close_timer is not None:
        proto.close_timer.cancel()
    proto.close_timer = proto.loop.call_later(CUT_AFTER, _end, proto.transport)


def _end(transport: asyncio.Transport) -> None:
    """``CUT_AFTER`` seconds after the close frame: closed when the close frame has left
    our buffer (the kernel delivers it when the peer reads), else cut; a transport
    already closing with bytes still buffered waits for a reader too, so it is cut."""
    if transport.get_write_buffer_size() > 0:
        _reset(transport)
    elif not transport.is_closing():
        transport.close()


def _reset(transport: asyncio.Transport) -> None:
    """Abort with a TCP reset: a plain abort leaves the unsent bytes to the kernel, which
    keeps the connection open (zero window) for as long as the client does not read."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
