"""The WebSocket shell: origin check, subprotocol, one reader loop per socket feeding
``Session.handle``; the relay's writer task sends. Every client message gets exactly
one reply (ack, welcome or error)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import traceback
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect

from game import GameError
from server import logs, protocol, tokens
from server.protocol import CloseCode, ErrorCode, ProtocolError
from server.ratelimit import Bucket, SharedLimiter, client_address
from server.relay import Conn, Frame, Hub
from server.service import Duplicate, Seated, Service, ServiceError, decode_bus, events_for
from server.settings import Settings
from server.store.base import StoreFull, StoreUnavailable
from server.tokens import normalise_code

log = logs.get("ws")
SocketEndpoint = Callable[[WebSocket], Awaitable[None]]
PING_CATCH_UP = 2.0  # seconds a ping may spend catching its socket up
# Messages answered within Settings.reply_deadline: past it, store/unavailable (the
# client retries with the same id; an act applied meanwhile is answered as a duplicate).
_BOUNDED = (protocol.Act, protocol.Typing, protocol.Admit, protocol.DeleteRoom)
CUT_AFTER = 2.0  # seconds a dropped socket has to read its close frame before it is cut


@dataclass(slots=True)
class Shared:
    """What every socket of one app shares (built in the app's lifespan)."""

    settings: Settings
    service: Service
    hub: Hub
    join_limiter: SharedLimiter


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
    for name in protocol.SUBPROTOCOLS:  # msgpack first: it is the default
        if name in offered:
            return name
    return None


async def endpoint(ws: WebSocket) -> None:
    shared: Shared = ws.app.state.shared
    settings = shared.settings
    if not origin_allowed(ws.headers.get("origin"), ws.headers.get("host"),
                          settings.allowed_origins, settings.public_url):  # fmt: skip
        await ws.close(code=CloseCode.POLICY)  # before accept: an HTTP 403
        return
    chosen = choose_subprotocol(list(ws.scope.get("subprotocols", [])))
    await ws.accept(subprotocol=chosen)
    peer = ws.client.host if ws.client else None
    address = client_address(peer, ws.headers.get("x-forwarded-for"), settings.trusted_proxies)
    codec = protocol.Codec(chosen or protocol.SUBPROTOCOL_MSGPACK, _limits(settings))
    conn = Conn(
        codec,
        _sender(ws),
        _closer(ws),
        settings.send_queue,
        shared.hub.instance,
        send_many=frames_writer(ws),
    )
    session = Session(shared, conn, address)
    await session.run(ws)


def _limits(settings: Settings) -> protocol.Limits:
    return protocol.Limits(
        max_frame=settings.max_frame, max_name=settings.max_name, max_text=settings.max_text
    )


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
        if proto is not None and not proto.writable.is_set():
            cut(proto, code)  # an ASGI close would wait for a reader that may never come
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
    if proto.close_timer is not None:
        proto.close_timer.cancel()
    proto.close_timer = proto.loop.call_later(CUT_AFTER, _reset, proto.transport)


def _reset(transport: asyncio.Transport) -> None:
    """Abort with a TCP reset: a plain abort leaves the unsent bytes to the kernel, which
    keeps the connection open (zero window) for as long as the client does not read."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


class Session:
    """One socket's conversation. The seat is bound once, at hello, from a checked
    secret; nothing in a later message can claim another seat."""

    __slots__ = (
        "address",
        "bucket",
        "conn",
        "hello_timer",
        "hub",
        "service",
        "settings",
        "shared",
        "strikes",
    )

    def __init__(self, shared: Shared, conn: Conn, address: str) -> None:
        self.shared = shared
        self.settings = shared.settings
        self.service = shared.service
        self.hub = shared.hub
        self.conn = conn
        self.address = address
        s = self.settings
        self.bucket = Bucket(s.msg_rate, s.msg_burst)
        self.strikes = 0
        self.hello_timer: asyncio.TimerHandle | None = None

    async def run(self, ws: WebSocket) -> None:
        self.hub.add(self.conn)
        loop = asyncio.get_running_loop()
        self.hello_timer = loop.call_later(self.settings.hello_timeout, self._hello_due)
        try:
            while not self.conn.closing:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                frame = message.get("bytes")
                await self.handle(frame if frame is not None else message.get("text") or "")
            await self._wait_writer()
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass  # the socket is gone
        finally:
            self._no_hello_timer()
            await self.hub.remove(self.conn)
            await self.conn.stop()

    async def _wait_writer(self) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.conn.finished(), 2.0)

    def _no_hello_timer(self) -> None:
        if self.hello_timer is not None:
            self.hello_timer.cancel()
            self.hello_timer = None

    def _hello_due(self) -> None:
        self.hello_timer = None
        if self.conn.seat is None and self.conn.knock is None:
            self.conn.shut(CloseCode.HELLO_TIMEOUT)

    def reply(self, message: Mapping[str, object]) -> None:
        self.conn.push(message)

    def fail(self, re: protocol.MsgId | None, code: str, message: str) -> None:
        self.hub.metrics.errors[code] += 1
        self.reply(protocol.error(re, code, message))

    # one frame --------------------------------------------------------------------
    async def handle(self, frame: Frame) -> None:
        try:
            msg = self.conn.codec.decode(frame)
        except ProtocolError as exc:
            self._refuse_frame(exc)
            return
        if not self.bucket.take():
            self.strikes += 1
            self.fail(msg.id, ErrorCode.RATE_LIMITED, "Too many messages; slow down.")
            if self.strikes >= self.settings.flood_strikes:
                self.conn.shut(CloseCode.POLICY)
            return
        self.strikes = 0
        self.hub.in_flight += 1
        try:
            if isinstance(msg, _BOUNDED):
                async with asyncio.timeout(self.settings.reply_deadline):
                    await self._dispatch(msg)
            else:  # a ping bounds itself; a hello bounds the part before its welcome
                await self._dispatch(msg)
        except ServiceError as exc:
            self.fail(msg.id, exc.code, exc.message)
        except GameError as exc:
            self.fail(msg.id, exc.code.value, _game_message(exc))
        except StoreFull:
            self.fail(msg.id, ErrorCode.STORE_FULL, "Storage is full; nothing was saved.")
        except (StoreUnavailable, TimeoutError):  # a hung store: past the reply deadline
            self.fail(msg.id, ErrorCode.STORE_UNAVAILABLE, "Storage unreachable; retry.")
        except Exception as exc:  # never a trace to the client, never content in the log
            log.error("internal error on %s: %s\n%s", type(msg).__name__, type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))  # fmt: skip
            self.fail(msg.id, ErrorCode.INTERNAL, "Something went wrong on the server.")
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

    async def _dispatch(self, msg: protocol.ClientMessage) -> None:
        if isinstance(msg, protocol.Ping):
            await self._ping(msg)
        elif isinstance(msg, protocol.Hello):
            await self._hello(msg)
        elif self.conn.seat is None or self.conn.room_id is None:
            self.fail(msg.id, ErrorCode.HELLO_FIRST, "Send hello first.")
        elif self.hub.draining:
            self.fail(msg.id, ErrorCode.SHUTTING_DOWN, "This server is restarting; reconnect.")
        elif isinstance(msg, protocol.Act):
            await self._act(msg, self.conn.room_id, self.conn.seat)
        elif isinstance(msg, protocol.Typing):
            await self.hub.publish(self.conn.room_id, "typing", seat=self.conn.seat, on=msg.on)
            self.reply(protocol.ack(msg.id, self.conn.version))
        elif isinstance(msg, protocol.Admit):
            await self._admit(msg, self.conn.room_id, self.conn.seat)
        elif isinstance(msg, protocol.DeleteRoom):
            await self.service.delete(self.conn.room_id)
            self.reply(protocol.ack(msg.id, self.conn.version))
            await self.hub.publish(self.conn.room_id, "deleted")

    async def _ping(self, msg: protocol.Ping) -> None:
        """A seated socket's ping also catches it up: a change whose broker message was
        lost (Redis restarted, a subscriber reconnecting) arrives as a ``state`` first."""
        room_id, seat = self.conn.room_id, self.conn.seat
        if room_id is not None and seat is not None and not self.hub.draining:
            # Best effort, and quick: a client's ping must not wait on a slow store.
            with contextlib.suppress(ServiceError, StoreUnavailable, TimeoutError):
                async with asyncio.timeout(PING_CATCH_UP):
                    room = await self.service.newer(room_id, self.conn.version)
                if room is not None:
                    self.hub.deliver(room)
        self.reply(protocol.ack(msg.id, self.conn.version))

    # hello ------------------------------------------------------------------------
    async def _hello(self, msg: protocol.Hello) -> None:
        if self.conn.seat is not None or self.conn.knock is not None:
            self.fail(msg.id, ErrorCode.ALREADY_JOINED, "This socket already has a seat.")
            return
        if self.hub.draining:
            self.fail(msg.id, ErrorCode.SHUTTING_DOWN, "This server is restarting; reconnect.")
            return
        limiter = self.shared.join_limiter
        if msg.knock:  # knocks count: codes must not be guessable (one round trip)
            if not await limiter.allow(self.address):
                self.fail(msg.id, ErrorCode.RATE_LIMITED, "Too many attempts; wait a minute.")
                return
            await self._knock(msg)
            return
        if await limiter.blocked(self.address):  # one round trip; one more if it fails
            self.fail(msg.id, ErrorCode.RATE_LIMITED, "Too many attempts; wait a minute.")
            return
        try:
            async with asyncio.timeout(self.settings.reply_deadline):
                if msg.token is not None:
                    seated = await self.service.resume(msg.room, msg.token, msg.last_version)
                else:
                    assert msg.invite is not None and msg.name is not None
                    seated = await self.service.join_invite(msg.room, msg.invite, msg.name)
        except ServiceError as exc:
            if exc.code is ErrorCode.JOIN_FAILED:
                await limiter.allow(self.address)
            raise
        await self._seated(msg.id, seated)

    async def _seated(self, re: protocol.MsgId, seated: Seated) -> None:
        self._no_hello_timer()  # seated: an idle connection holds no timer
        room = seated.room
        events: list[dict[str, object]] = []
        for raw in seated.records or ():
            record = decode_bus(raw)
            if record is not None:
                events.extend(events_for(record, seated.seat))
        with self.conn.together():  # the welcome and the first state: one write
            self.reply(
                protocol.welcome(
                    re,
                    seated.seat,
                    seated.token,
                    seated.room_id,
                    room.version,
                    invite=seated.invite,
                )
            )
            self.conn.version = None  # this socket's first state, whatever it claims
            self.conn.token_digest = tokens.digest(seated.token)
            self.hub.send_state(self.conn, room, seated.seat, None, events)
        try:  # the welcome was this hello's one reply: no error may follow it
            await self._after_welcome(seated)
        except (ServiceError, StoreUnavailable):
            pass  # a ping or the next change catches this socket up
        except Exception as exc:
            log.error("internal error after welcome: %s\n%s", type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))  # fmt: skip

    async def _after_welcome(self, seated: Seated) -> None:
        room = seated.room
        await self.hub.bind(self.conn, seated.room_id, seated.seat, room)
        online = await self.service.store.presence(seated.room_id)
        partner = 1 - seated.seat
        self.conn.partner_online = online.get(partner, False)
        self.reply(protocol.presence(partner, self.conn.partner_online))
        if seated.seat == 1 and seated.records is None:
            self.hub.deliver(room)  # the creator sees seat 1 join without waiting
        if seated.seat == 0 and not room.seats[1].joined:
            for request, name in await self.service.pending_knocks(seated.room_id):
                self.conn.show_knock(request, name)  # knocks made while away

    async def _knock(self, msg: protocol.Hello) -> None:
        assert msg.name is not None
        room = normalise_code(msg.room)  # a code typed by hand: "k7qm3x" is "K7QM3X"
        request, recorded = await self.service.knock(room, msg.name)
        self.hub.expect_admission(self.conn, room, request, msg.name)
        self.reply(protocol.ack(msg.id, None))
        if recorded:
            await self.hub.publish(room, "knock", request=request, name=msg.name)

    async def _admit(self, msg: protocol.Admit, room_id: str, seat: int) -> None:
        await self.service.answer_knock(room_id, seat, msg.request, msg.accept)
        self.reply(protocol.ack(msg.id, self.conn.version))
        await self.hub.publish(room_id, "admit", request=msg.request, accept=msg.accept)

    # act --------------------------------------------------------------------------
    async def _act(self, msg: protocol.Act, room_id: str, seat: int) -> None:
        try:
            applied = await self.service.act(room_id, seat, msg.id, msg.a, msg.args)
        except Duplicate as dup:
            self.reply(protocol.ack(msg.id, dup.version, duplicate=True))
            return
        with self.conn.together():  # the ack and the mover's new state: one write
            self.reply(protocol.ack(msg.id, applied.room.version))
            record = {"ev": [[e.seat, e.private, e.as_dict()] for e in applied.events]}
            self.hub.deliver(applied.room, record)


def _game_message(exc: GameError) -> str:
    return exc.detail or exc.code.value.replace("/", ": ").replace("_", " ")
