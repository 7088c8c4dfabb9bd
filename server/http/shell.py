"""What both sockets share (``/ws`` and ``/ws/party``): who may connect (Host and
Origin checks, the subprotocol), how frames reach the real socket (uvicorn's sans-I/O
protocol when it is there), and ``Socket``: the one receive loop and the one
error -> reply table. The only Starlette and uvicorn code besides ``http.app``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import traceback
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from server import errors, logs
from server.errors import CloseCode, ErrorCode, MsgId, ProtocolError
from server.fanout.conn import Conn, Frame
from server.fanout.hub import Hub
from server.ratelimit import Bucket, client_address, request_scheme
from server.settings import Settings
from server.wire import frames, replies

log = logs.get("ws")


class Message(Protocol):
    @property
    def id(self) -> MsgId: ...


M = TypeVar("M", bound=Message)
SocketEndpoint = Callable[[WebSocket], Awaitable[None]]
CUT_AFTER = 2.0  # seconds a dropped socket has to read its close frame before it is cut
# The kernel's send buffer of a WebSocket (Linux doubles it for its bookkeeping). Left
# to itself it grows to tcp_wmem's maximum (4 MiB here, 2.8 MB measured held for one
# client that stopped reading): kernel memory nobody reads, and a slow reader noticed
# only once all of it is full. A few hundred moves' views still fit.
SEND_BUFFER = 256 * 1024


def origin_allowed(
    origin: str | None, host: str | None, allowed: tuple[str, ...], public_url: str = ""
) -> bool:
    """The public URL's origin (scheme included) when there is one, else the same
    origin (the Origin's host is the request's Host); or one listed in ``allowed``
    ("*": any). With a public URL the Host was checked too (``host_allowed``): a page
    on another name that resolves to this server (DNS rebinding) is refused."""
    if origin is None:  # not a browser: browsers always send Origin on WebSockets
        return True
    origin = origin.rstrip("/")
    if "*" in allowed or origin in allowed:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:  # "http://[::1": a forged header, not a browser's origin
        return False
    if public_url:
        public = urlsplit(public_url)
        return (parts.scheme, parts.netloc.lower()) == (public.scheme, public.netloc.lower())
    return parts.scheme in ("http", "https") and parts.netloc.lower() == (host or "").lower()


def host_allowed(host: str | None, settings: Settings) -> bool:
    """With ``PUBLIC_URL`` or ``ALLOWED_HOSTS`` set, the Host header must name one of
    them (with or without its port); without them any Host is served (docs/protocol.md
    says why that suits a laptop on a home network)."""
    public = urlsplit(settings.public_url).netloc.lower() if settings.public_url else ""
    names = {public, *(h.lower() for h in settings.allowed_hosts)} - {""}
    if not names:
        return True
    host = (host or "").lower()
    return host in names or host.rsplit(":", 1)[0] in names


def choose_subprotocol(offered: list[str]) -> str | None:
    for name in frames.SUBPROTOCOLS:  # msgpack first: it is the default
        if name in offered:
            return name
    return None


def site_address(request: HTTPConnection, trusted: Iterable[str]) -> str:
    """This site's address as the client saw it: scheme (https behind a TLS proxy),
    host and the path prefix the request came under (links are built on it)."""
    peer = request.client.host if request.client else None
    proto = request.headers.get("x-forwarded-proto")
    scheme = request_scheme(request.url.scheme, peer, proto, trusted)
    host = request.headers.get("host", request.url.netloc)
    return f"{scheme}://{host}{request.scope.get('root_path', '')}"


def errors_response(exc: Exception) -> Response:
    """The error table's code (``server.errors``) as an HTTP answer."""
    code, _ = errors.reply_for(exc) or (ErrorCode.INTERNAL.value, errors.INTERNAL)
    return JSONResponse({"error": code}, errors.http_status(exc, code))


async def refused_post(request: HTTPConnection, limiter: Any) -> Response | None:
    """The answer to a POST that may not go on: one from another site's page (403;
    browsers always send Origin on a POST), or past ``limiter``'s per-address rate
    (429, the address judged from ``TRUSTED_PROXIES``); None when it may."""
    settings: Settings = request.app.state.settings
    origin, host = request.headers.get("origin"), request.headers.get("host")
    if not origin_allowed(origin, host, settings.allowed_origins, settings.public_url):
        return JSONResponse({"error": "request/origin"}, 403)
    peer = request.client.host if request.client else None
    address = client_address(peer, request.headers.get("x-forwarded-for"),
                             settings.trusted_proxies)  # fmt: skip
    if not await limiter.allow(address):
        return JSONResponse({"error": ErrorCode.RATE_LIMITED.value}, 429)
    return None


def limits(settings: Settings) -> frames.Limits:
    return frames.Limits(
        max_frame=settings.max_frame, max_name=settings.max_name, max_text=settings.max_text
    )


async def accept(ws: WebSocket) -> tuple[str, str] | None:
    """Accept a socket whose page may connect: (its subprotocol, the client's address);
    None when refused (an HTTP 403 before the handshake completes)."""
    settings: Settings = ws.app.state.settings
    if not origin_allowed(ws.headers.get("origin"), ws.headers.get("host"),
                          settings.allowed_origins, settings.public_url):  # fmt: skip
        await ws.close(code=CloseCode.POLICY)  # before accept: an HTTP 403
        return None
    chosen = choose_subprotocol(list(ws.scope.get("subprotocols", [])))
    await ws.accept(subprotocol=chosen)
    _bound_send_buffer(ws)
    peer = ws.client.host if ws.client else None
    address = client_address(peer, ws.headers.get("x-forwarded-for"), settings.trusted_proxies)
    return chosen or frames.SUBPROTOCOL_MSGPACK, address


def _bound_send_buffer(ws: WebSocket) -> None:
    proto = _sansio(ws)
    sock = proto.transport.get_extra_info("socket") if proto is not None else None
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)


def connection(ws: WebSocket, codec: frames.Codec[Any], queue: int, hub: Hub) -> Conn:
    return Conn(codec, _sender(ws), _closer(ws), queue, hub.instance, send_many=frames_writer(ws))


def _sender(ws: WebSocket) -> Callable[[Frame], Coroutine[Any, Any, None]]:
    async def send(frame: Frame) -> None:
        if isinstance(frame, bytes):
            await ws.send_bytes(frame)
        else:
            await ws.send_text(frame)

    return send


_SANSIO_FIELDS = (
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


def frames_writer(ws: WebSocket) -> Callable[[list[Frame]], bool] | None:
    """Several frames in one write to the socket, for uvicorn's websockets-sansio
    protocol (the server's default): each ASGI send is a write, a system call that
    costs as much as the rest of sending a frame. The frames go only while the socket
    is open and writable; otherwise it returns False and the caller sends them one
    at a time through ASGI, where flow control and closing are handled. None for any
    other server or protocol."""
    proto = _sansio(ws)
    if proto is None:
        return None

    def write(frames: list[Frame]) -> bool:
        if (
            not proto.writable.is_set()
            or proto.disconnected
            or proto.close_sent
            or not proto.handshake_complete
            or proto.initial_response is not None
            or proto.transport.is_closing()
        ):
            return False
        wire = proto.conn
        for frame in frames:
            if isinstance(frame, bytes):
                wire.send_binary(frame)
            else:
                wire.send_text(frame.encode())
        proto.transport.write(b"".join(wire.data_to_send()))
        return True

    return write


def _sansio(ws: WebSocket) -> Any:
    """uvicorn's websockets-sansio protocol behind ``ws`` (the server's default), or None."""
    proto: Any = getattr(ws._send, "__self__", None)  # the ASGI send, as uvicorn gave it
    if type(proto).__name__ != "WebSocketsSansIOProtocol" or not all(
        hasattr(proto, name) for name in _SANSIO_FIELDS
    ):
        return None
    return proto


def _closer(ws: WebSocket) -> Callable[[int], Awaitable[None]]:
    proto = _sansio(ws)

    async def close(code: int) -> None:
        if proto is not None:
            # Always past ASGI: its close waits for a writable socket, then closes the
            # transport only after the buffer drains, which never happens for a peer
            # that does not read (a socket writable at the moment of the drop stayed
            # open for good: neither closed nor cut).
            cut(proto, code)
            return
        await ws.close(code=code)

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


class Socket(Generic[M]):
    """One socket's conversation: one receive loop, one frame at a time, and every
    client message gets exactly one reply (an ack, a welcome, or an error from the
    table in ``server.errors``). Subclasses say what a message does (``dispatch``)
    and how long it may take (``deadline``)."""

    def __init__(
        self, settings: Settings, hub: Hub, conn: Conn, codec: frames.Codec[M], address: str
    ) -> None:
        self.settings = settings
        self.codec = codec
        self.hub = hub
        self.conn = conn
        self.address = address
        self.bucket = Bucket(self.settings.msg_rate, self.settings.msg_burst)
        self.strikes = 0

    async def dispatch(self, msg: M) -> None:
        raise NotImplementedError

    def deadline(self, msg: M) -> float | None:
        """Seconds within which ``msg`` is answered (past it, ``store/unavailable``);
        None: it bounds itself."""
        return None

    def opened(self) -> None:
        """Called once the socket is counted, before its first frame."""

    async def closed(self) -> None:
        """Called once when the socket is gone, before the fan-out forgets it."""

    async def run(self, ws: WebSocket) -> None:
        self.hub.add(self.conn)  # counted, and told "bye" on a graceful stop
        self.opened()
        try:
            while not self.conn.closing:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                frame = message.get("bytes")
                await self.handle(frame if frame is not None else message.get("text") or "")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.conn.finished(), 2.0)
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass  # the socket is gone
        finally:
            await self.closed()
            await self.hub.remove(self.conn)
            await self.conn.stop()

    def reply(self, message: Mapping[str, object]) -> None:
        self.conn.push(message)

    def fail(self, re: MsgId | None, code: str, message: str) -> None:
        self.hub.metrics.errors[code] += 1
        self.reply(replies.error(re, code, message))

    def refuse(self, re: MsgId | None, exc: Exception, what: str) -> None:
        """The error reply for ``exc``; one nobody raised on purpose is logged (its
        type and where, never the message's content) and answered ``server/internal``."""
        found = errors.reply_for(exc)
        if found is None:
            log.error("internal error on %s: %s\n%s", what, type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))  # fmt: skip
            found = (ErrorCode.INTERNAL.value, errors.INTERNAL)
        self.fail(re, *found)

    async def handle(self, frame: Frame) -> None:
        try:
            msg = self.codec.decode(frame)
        except ProtocolError as exc:
            self._refuse_frame(exc)
            return
        re: MsgId = msg.id
        if not self.bucket.take():
            self.strikes += 1
            self.fail(re, ErrorCode.RATE_LIMITED, "Too many messages; slow down.")
            if self.strikes >= self.settings.flood_strikes:
                self.conn.shut(CloseCode.POLICY)
            return
        self.strikes = 0
        self.hub.in_flight += 1
        try:
            seconds = self.deadline(msg)
            if seconds is None:
                await self.dispatch(msg)
            else:
                async with asyncio.timeout(seconds):
                    await self.dispatch(msg)
        except Exception as exc:  # never a trace to the client, never content in the log
            self.refuse(re, exc, type(msg).__name__)
        finally:
            self.hub.in_flight -= 1

    def _refuse_frame(self, exc: ProtocolError) -> None:
        self.fail(exc.msg_id, exc.code, exc.message)
        if exc.code is ErrorCode.FRAME_TOO_BIG:
            self.conn.shut(CloseCode.TOO_BIG)
        elif exc.code is ErrorCode.VERSION:
            self.conn.shut(CloseCode.VERSION_MISMATCH)
        else:
            self.strikes += 1
            if self.strikes >= self.settings.flood_strikes:
                self.conn.shut(CloseCode.POLICY)
