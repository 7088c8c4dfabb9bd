"""The daily socket at ``/ws/daily`` (docs/protocol.md, "Daily spaces"): the couple
socket's transport and limits (``http.shell``), a daily space's seat bound once at
hello from a checked secret, its moves through ``daily.DailyService``, its views from
``daily.DailyHub`` on every instance."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from game import Deck, GameError
from game.daily import DAY_START, DailyViolation
from server import logs, tokens
from server.daily.admission import DailyAdmission
from server.daily.blob import is_daily_code
from server.daily.hub import DailyHub, Sender
from server.daily.push import PushSender
from server.daily.service import DailySeated, DailyService
from server.errors import Duplicate, ErrorCode, MsgId, Refused, StoreUnavailable
from server.fanout.conn import Conn
from server.http.shared import Shared
from server.http.shell import (
    Ends,
    SeatSocket,
    connection,
    errors_response,
    limits,
    site_address,
)
from server.settings import Settings
from server.store.base import RoomStore
from server.tokens import normalise_code
from server.wire import broker, protocol
from server.wire import daily as wire

log = logs.get("daily")
_BOUNDED = (protocol.Act, protocol.Admit, protocol.DeleteRoom, wire.PushSubscribe,
            wire.PushUnsubscribe)  # fmt: skip
PING_CATCH_UP = 2.0  # seconds a ping may spend catching its socket up
NEWS = frozenset({"answer", "pass_day"})  # a move the partner may be told of by push


def open_daily(app: Any, subprotocol: str, address: str, ends: Ends) -> DailySession:
    shared: Shared = app.state.shared
    codec = wire.Codec(subprotocol, limits(shared.settings))
    conn = connection(ends, codec, shared.settings.send_queue, shared.hub)
    return DailySession(app.state.daily, app.state.daily_hub, shared, conn, address)


class DailySession(SeatSocket[wire.DailyMessage]):
    def __init__(
        self, spaces: DailyService, daily: DailyHub, shared: Shared, conn: Conn, address: str
    ) -> None:
        codec = conn.codec
        assert isinstance(codec, wire.Codec)
        super().__init__(shared.settings, shared.hub, conn, codec, address)
        self.shared = shared
        self.spaces = spaces
        self.daily = daily
        self.admission = DailyAdmission(spaces)

    async def closed(self) -> None:
        self._no_hello_timer()
        self.conn.on_admit = None
        await self.daily.remove(self.conn)

    def deadline(self, msg: wire.DailyMessage) -> float | None:
        return self.settings.reply_deadline if isinstance(msg, _BOUNDED) else None

    async def dispatch(self, msg: wire.DailyMessage) -> None:
        if isinstance(msg, protocol.Ping):
            await self._ping(msg)
            return
        if isinstance(msg, wire.DailyHello):
            await self._hello(msg)
            return
        code, seat = self.conn.room_id, self.conn.seat
        if code is None or seat is None:
            self.fail(msg.id, ErrorCode.HELLO_FIRST, "Send hello first.")
        elif self.hub.draining:
            self.fail(msg.id, ErrorCode.SHUTTING_DOWN, "This server is restarting; reconnect.")
        elif isinstance(msg, protocol.Act):
            await self._act(msg, code, seat)
        elif isinstance(msg, protocol.Admit):
            await self.admission.answer(code, seat, msg.request, msg.accept, msg.key)
            self.reply(protocol.ack(msg.id, self.conn.version))
            await self.hub.publish(code, broker.Admit(msg.request, msg.accept))
        elif isinstance(msg, protocol.DeleteRoom):
            await self.spaces.delete(code)
            self.reply(protocol.ack(msg.id, self.conn.version))
            await self.hub.publish(code, broker.Deleted())
        elif isinstance(msg, wire.PushSubscribe | wire.PushUnsubscribe):
            await self._push(msg, code, seat)

    async def _ping(self, msg: protocol.Ping) -> None:
        """A seated socket's ping also fires what is due (a new day's card) and catches
        it up on a change whose broker message was lost; best effort, and quick."""
        code = self.conn.room_id
        if code is not None and self.conn.seat is not None and not self.hub.draining:
            with contextlib.suppress(Refused, StoreUnavailable, TimeoutError):
                async with asyncio.timeout(PING_CATCH_UP):
                    loaded = await self.spaces.load(code)
                    if loaded is not None and await self.spaces.tick(code, loaded[1]) is None:
                        self.daily.deliver(code, loaded[1])  # a tick is delivered by the bus
        self.reply(protocol.ack(msg.id, self.conn.version))

    async def _act(self, msg: protocol.Act, code: str, seat: int) -> None:
        try:
            state = await self.spaces.act(code, seat, msg.id, msg.a, msg.args)
        except Duplicate as dup:
            self.reply(protocol.ack(msg.id, dup.version, duplicate=True))
            return
        with self.conn.together():  # the ack and the mover's new state: one write
            self.reply(protocol.ack(msg.id, state.space.version))
            self.daily.deliver(code, state)
        if msg.a in NEWS:
            self.daily.tell(code, 1 - seat, state)

    async def _push(
        self, msg: wire.PushSubscribe | wire.PushUnsubscribe, code: str, seat: int
    ) -> None:
        if isinstance(msg, wire.PushSubscribe):
            if self.daily.sender is None:
                self.fail(msg.id, ErrorCode.PUSH_OFF, "This server sends no notifications.")
                return
            sender = self.daily.sender
            assert isinstance(sender, PushSender)
            await self.spaces.set_push(code, seat, sender.check(msg.subscription))
        else:
            await self.spaces.set_push(code, seat, None)
        self.reply(protocol.ack(msg.id, self.conn.version))

    # hello ------------------------------------------------------------------------
    async def _hello(self, msg: wire.DailyHello) -> None:
        hello = msg.hello
        if self.conn.seat is not None or self.conn.knock is not None:
            self.fail(hello.id, ErrorCode.ALREADY_JOINED, "This socket already has a seat.")
            return
        if self.hub.draining:
            self.fail(hello.id, ErrorCode.SHUTTING_DOWN, "This server is restarting; reconnect.")
            return
        limiter = self.shared.join_limiter
        code = normalise_code(hello.room)
        self.admission.language = msg.language or ""
        if hello.knock:
            if not await limiter.allow(self.address):
                self.fail(hello.id, ErrorCode.RATE_LIMITED, "Too many attempts; wait a minute.")
                return
            await self._knock(hello, code)
            return
        if await limiter.blocked(self.address):
            self.fail(hello.id, ErrorCode.RATE_LIMITED, "Too many attempts; wait a minute.")
            return
        try:
            if not is_daily_code(code):
                raise Refused(ErrorCode.JOIN_FAILED, "No such space, or the secret does not match.")
            async with asyncio.timeout(self.settings.reply_deadline):
                if hello.token is not None:
                    seated = await self.spaces.resume(code, hello.token)
                else:
                    assert hello.invite is not None and hello.name is not None
                    seated = await self.spaces.join_invite(
                        code, hello.invite, hello.name, msg.language or "", msg.seat
                    )
        except Refused as exc:
            if exc.code is ErrorCode.JOIN_FAILED:
                await limiter.allow(self.address)
            raise
        await self._seated(hello.id, seated)

    async def _seated(self, re: MsgId, seated: DailySeated) -> None:
        self._no_hello_timer()
        loaded = await self.spaces.load(seated.code)
        if loaded is None:
            raise Refused(ErrorCode.ROOM_GONE, "This space no longer exists.")
        state = loaded[1]
        self.conn.token_digest = tokens.digest(seated.token)
        self.reply(
            wire.welcome(seated.code, seated.seat, seated.token, state.space.version, re,
                         invite=seated.invite, sealed=state.space.sealed)
        )  # fmt: skip
        self.conn.version = None
        self.conn.deck_key = None
        with contextlib.suppress(Refused, TimeoutError):
            async with asyncio.timeout(self.settings.reply_deadline):
                await self.daily.bind(self.conn, seated.code, seated.seat, state)
                online = await self.spaces.store.presence(seated.code)
                partner = 1 - seated.seat
                self.reply(protocol.presence(partner, online.get(partner, False)))
                if seated.seat == 0 and not state.space.seats[1].joined:
                    for request, name, pub in await self.admission.pending(seated.code):
                        self.conn.show_knock(request, protocol.knock(request, name, pub))

    async def _knock(self, hello: protocol.Hello, code: str) -> None:
        assert hello.name is not None
        if not is_daily_code(code):  # answered like a knock on an unknown code
            self.reply(protocol.ack(hello.id, None))
            return
        request, recorded = await self.admission.knock(code, hello.name, hello.pub)
        self.conn.on_admit = self._admitted
        self.hub.expect_admission(self.conn, code, request, hello.name)
        self.reply(protocol.ack(hello.id, None))
        if recorded:
            await self.hub.publish(code, broker.Knock(request, hello.name, hello.pub))

    async def _admitted(self, code: str, request: str, name: str) -> None:
        try:
            seated = await self.admission.claim(code, request, name)
        except Refused:
            seated = None
        if seated is None:
            self.hub.decline(self.conn, "declined")
            return
        if self.conn not in self.hub.conns:
            return
        self.conn.token_digest = tokens.digest(seated.token)
        loaded = await self.spaces.load(code)
        if loaded is None:
            self.hub.decline(self.conn, "declined")
            return
        state = loaded[1]
        admitted = protocol.admitted(
            1, seated.token, code, state.space.version, sealed=state.space.sealed, key=seated.key
        )
        admitted["kind"] = "daily"
        self.reply(admitted)
        await self.daily.bind(self.conn, code, 1, state)
        self.daily.deliver(code, state)


# HTTP and start-up ------------------------------------------------------------------
def start_daily(
    app: Starlette, store: RoomStore, decks: Mapping[str, Deck], clock: Callable[[], float]
) -> list[asyncio.Task[None]]:
    """Called from the lifespan once the couple hub exists."""
    settings: Settings = app.state.settings
    spaces = DailyService(store, decks, settings, app.state.metrics, clock)
    hub = DailyHub(spaces, app.state.hub, push_sender(settings))
    app.state.daily = spaces
    app.state.daily_hub = hub
    return [asyncio.create_task(hub.run())]


def push_sender(settings: Settings) -> Sender | None:
    """Web Push when the operator set VAPID keys (server/daily/push.py), else None."""
    return PushSender.from_settings(settings)


async def create_daily(request: Request, deck: str, opts: Mapping[str, object]) -> Response:
    """``POST /api/rooms`` with ``"kind": "daily"`` (after the create limiter)."""
    settings: Settings = request.app.state.settings
    spaces: DailyService = request.app.state.daily
    tz, start = opts.get("tz", "UTC"), opts.get("day_start", DAY_START)
    name, language = opts.get("name"), opts.get("language")
    try:
        async with asyncio.timeout(settings.reply_deadline):
            created = await spaces.create(
                deck,
                name=name if isinstance(name, str) else "",
                language=language if isinstance(language, str) else None,
                tz=tz if isinstance(tz, str) else "",
                day_start=start if isinstance(start, int) else -1,
            )
    except (TimeoutError, GameError, DailyViolation, Refused) as exc:
        return errors_response(exc)
    base = settings.public_url.rstrip("/") or site_address(request, settings.trusted_proxies)
    return JSONResponse(
        {"code": created.code, "invite_url": f"{base}/#join={created.code}.{created.invite}",
         "seat": 0, "token": created.token, "kind": "daily"},
        201,
        headers={"Cache-Control": "no-store"},
    )  # fmt: skip
