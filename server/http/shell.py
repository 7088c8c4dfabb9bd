"""What both sockets share (``/ws`` and ``/ws/party``): who may connect (Host and
Origin checks, the subprotocol), how frames reach the real socket (uvicorn's sans-I/O
protocol when it is there), and ``Socket``: the one receive loop and the one
error -> reply table. The only Starlette and uvicorn code besides ``http.app``.
"""

from __future__ import annotations

import asyncio
import contextlib
import traceback
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from typing import Any, Generic, NamedTuple, Protocol, TypeVar
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from server import errors, logs
from server.aio import finally_await
from server.errors import CloseCode, ErrorCode, MsgId, ProtocolError
from server.fanout.conn import Conn, Frame
from server.fanout.hub import Hub
from server.http import sansio
from server.ratelimit import Bucket, client_address, request_scheme
from server.settings import Settings
from server.wire import frames, replies

log = logs.get("ws")


class Message(Protocol):
    @property
    def id(self) -> MsgId: ...


M = TypeVar("M", bound=Message)


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


def handshake(
    settings: Settings,
    headers: Callable[[str], str | None],
    peer: str | None,
    offered: list[str],
) -> tuple[str | None, str] | None:
    """Whether a socket whose handshake sent these headers may open: (the subprotocol
    chosen, None for the default; the client's address), or None when its page may not
    connect. The one rule for both ways a socket is served (here and ``http.direct``)."""
    if not origin_allowed(headers("origin"), headers("host"),
                          settings.allowed_origins, settings.public_url):  # fmt: skip
        return None
    address = client_address(peer, headers("x-forwarded-for"), settings.trusted_proxies)
    return choose_subprotocol(offered), address


async def accept(ws: WebSocket) -> tuple[str, str] | None:
    """Accept a socket whose page may connect: (its subprotocol, the client's address);
    None when refused (an HTTP 403 before the handshake completes)."""
    peer = ws.client.host if ws.client else None
    offered = list(ws.scope.get("subprotocols", []))
    allowed = handshake(ws.app.state.settings, ws.headers.get, peer, offered)
    if allowed is None:
        await ws.close(code=CloseCode.POLICY)  # before accept: an HTTP 403
        return None
    chosen, address = allowed
    await ws.accept(subprotocol=chosen)
    proto = _sansio(ws)
    if proto is not None:
        sansio.bound_send_buffer(proto)
    return chosen or frames.SUBPROTOCOL_MSGPACK, address


class Ends(NamedTuple):
    """How a ``fanout.Conn`` reaches its real socket (see ``Conn``)."""

    send: Callable[[Frame], Coroutine[Any, Any, None]]
    close: Callable[[int], Awaitable[None]]
    send_many: Callable[[list[Frame]], bool] | None


def connection(ends: Ends, codec: frames.Codec[Any], queue: int, hub: Hub) -> Conn:
    return Conn(codec, ends.send, ends.close, queue, hub.instance, send_many=ends.send_many)


def ends_of(ws: WebSocket) -> Ends:
    """A Starlette socket's ends: its frames written through uvicorn's sans-I/O protocol
    when it is there (several in one write; a close that cuts a client that does not
    read: ``sansio.cut``), else through ASGI one at a time."""
    proto = _sansio(ws)

    async def send(frame: Frame) -> None:
        if isinstance(frame, bytes):
            await ws.send_bytes(frame)
        else:
            await ws.send_text(frame)

    async def close(code: int) -> None:
        await ws.close(code=code)

    if proto is None:
        return Ends(send, close, None)
    return Ends(send, sansio.closer(proto), sansio.frames_writer(proto))


def _sansio(ws: WebSocket) -> Any:
    """uvicorn's websockets-sansio protocol behind ``ws`` (the server's default), or None."""
    proto: Any = getattr(ws._send, "__self__", None)  # the ASGI send, as uvicorn gave it
    return proto if sansio.is_sansio(proto) else None


Opener = Callable[[Any, str, str, Ends], "Socket[Any]"]


async def serve_asgi(ws: WebSocket, opener: Opener) -> None:
    """A socket served through ASGI: accepted here, then its session's receive loop."""
    accepted = await accept(ws)
    if accepted is None:
        return
    subprotocol, address = accepted
    await opener(ws.app, subprotocol, address, ends_of(ws)).run(ws)


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

    def start(self) -> None:
        """The socket is open: counted, and told "bye" on a graceful stop."""
        self.hub.add(self.conn)
        self.opened()

    async def finish(self, drain: bool = True) -> None:
        """The socket is gone (or closing): what it was sent has a moment to leave
        (``drain``), then the session and the fan-out forget it."""
        await finally_await(self._drain(drain), self._forget)

    async def _drain(self, drain: bool) -> None:
        if drain:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.conn.finished(), 2.0)

    async def _forget(self) -> None:
        await self.closed()
        await self.hub.remove(self.conn)
        await self.conn.stop()

    async def run(self, ws: WebSocket) -> None:
        """The receive loop of a socket served through ASGI (``http.direct`` hands the
        frames of the sockets it serves to ``handle`` itself)."""
        self.start()
        drained = [False]
        await finally_await(self._receive(ws, drained), lambda: self.finish(drained[0]))

    async def _receive(self, ws: WebSocket, drained: list[bool]) -> None:
        try:
            while not self.conn.closing:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                frame = message.get("bytes")
                await self.handle(frame if frame is not None else message.get("text") or "")
            drained[0] = True  # the socket ended by itself: what it was sent may leave
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass  # the socket is gone

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
        step = self.begin(frame)
        if step is not None:
            await step

    def begin(self, frame: Frame) -> Awaitable[None] | None:
        """Take up one frame: None when it was answered at once, else what answers it,
        to be awaited before the next frame (a future: the move's hot path, running
        without a task; a coroutine: every other message, in a task)."""
        try:
            msg = self.codec.decode(frame)
        except ProtocolError as exc:
            self._refuse_frame(exc)
            return None
        re: MsgId = msg.id
        if not self.bucket.take():
            self.strikes += 1
            self.fail(re, ErrorCode.RATE_LIMITED, "Too many messages; slow down.")
            if self.strikes >= self.settings.flood_strikes:
                self.conn.shut(CloseCode.POLICY)
            return None
        self.strikes = 0
        try:
            now = self.dispatch_now(msg)
        except Exception as exc:  # as in ``answer``: a reply, never a trace
            self.refuse(re, exc, type(msg).__name__)
            return None
        if now is False:
            return self.answer(msg)
        return None if now is True else now

    def dispatch_now(self, msg: M) -> asyncio.Future[None] | bool:
        """``msg`` begun without a coroutine when it can be: True, answered already; a
        future, done once it is answered (``hub.in_flight`` counts it until then);
        False: not taken (``answer`` awaits ``dispatch``). Raises as ``dispatch``
        does before it is answered."""
        return False

    async def answer(self, msg: M) -> None:
        """``dispatch``, within the message's deadline; its failure as the reply."""
        self.hub.in_flight += 1
        try:
            seconds = self.deadline(msg)
            if seconds is None:
                await self.dispatch(msg)
            else:
                async with asyncio.timeout(seconds):
                    await self.dispatch(msg)
        except Exception as exc:  # never a trace to the client, never content in the log
            self.refuse(msg.id, exc, type(msg).__name__)
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


class SeatSocket(Socket[M]):
    """A socket that must say ``hello`` (a seat, or a knock) within ``hello_timeout``,
    or it is closed with 4003: the couple socket and the daily socket."""

    hello_timer: asyncio.TimerHandle | None = None

    def opened(self) -> None:
        loop = asyncio.get_running_loop()
        self.hello_timer = loop.call_later(self.settings.hello_timeout, self._hello_due)

    def _no_hello_timer(self) -> None:
        if self.hello_timer is not None:
            self.hello_timer.cancel()
            self.hello_timer = None

    def _hello_due(self) -> None:
        self.hello_timer = None
        if self.conn.seat is None and self.conn.knock is None:
            self.conn.shut(CloseCode.HELLO_TIMEOUT)
