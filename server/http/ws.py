"""The couple socket at ``/ws`` (docs/protocol.md): what each message does. The seat is
bound once, at hello, from a checked secret; nothing in a later message can claim
another seat. The receive loop, limits and error replies are ``http.shell``'s.

One move: ``Socket.handle`` (frame -> ``wire.protocol`` message) -> ``Session._act`` ->
``rooms.Service.act`` (load -> apply -> commit on the store) -> the ack and the mover's
state here, while the store's broker carries the commit to ``fanout.Hub`` on every
instance, which sends the partner its view.
"""

from __future__ import annotations

import asyncio
import contextlib
import traceback
from typing import Any

from server import logs, tokens
from server.daily.blob import is_daily_code
from server.errors import Duplicate, ErrorCode, MsgId, Refused, StoreUnavailable
from server.fanout.conn import Conn
from server.http.shared import Shared
from server.http.shell import Ends, SeatSocket, connection, limits
from server.rooms import moves
from server.rooms.admission import Admission
from server.rooms.service import Applied, Seated
from server.tokens import normalise_code
from server.wire import broker, protocol

log = logs.get("ws")
PING_CATCH_UP = 2.0  # seconds a ping may spend catching its socket up
# Messages answered within Settings.reply_deadline: past it, store/unavailable (the
# client retries with the same id; an act applied meanwhile is answered as a duplicate).
_BOUNDED = (protocol.Act, protocol.Typing, protocol.Kx, protocol.Admit, protocol.DeleteRoom)


def open_session(app: Any, subprotocol: str, address: str, ends: Ends) -> Session:
    """A couple socket's session, once its handshake is accepted (either way it is
    served: ``endpoint`` through ASGI, ``http.direct`` without)."""
    shared: Shared = app.state.shared
    codec = protocol.Codec(subprotocol, limits(shared.settings))
    conn = connection(ends, codec, shared.settings.send_queue, shared.hub)
    return Session(shared, conn, address)


class Session(SeatSocket[protocol.ClientMessage]):
    """One couple socket's conversation."""

    def __init__(self, shared: Shared, conn: Conn, address: str) -> None:
        codec = conn.codec  # the socket's one codec: it encodes replies, decodes frames
        assert isinstance(codec, protocol.Codec)
        super().__init__(shared.settings, shared.hub, conn, codec, address)
        self.shared = shared
        self.service = shared.service
        self.admission = Admission(shared.service)  # a few references: cheap per socket
        self.again: asyncio.Task[None] | None = None  # a move judged again (dispatch_now)

    async def closed(self) -> None:
        self._no_hello_timer()
        self.conn.on_admit = None  # no cycle left between the socket and its session

    def deadline(self, msg: protocol.ClientMessage) -> float | None:
        # a ping bounds itself; a hello bounds the part before its welcome
        return self.settings.reply_deadline if isinstance(msg, _BOUNDED) else None

    async def dispatch(self, msg: protocol.ClientMessage) -> None:
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
            await self.hub.publish(self.conn.room_id, broker.Typing(self.conn.seat, msg.on))
            self.reply(protocol.ack(msg.id, self.conn.version))
        elif isinstance(msg, protocol.Kx):  # a party table's key exchange (issue 20)
            if "/" not in self.conn.room_id:
                self.fail(msg.id, ErrorCode.BAD_FIELD, "Only a party table exchanges keys.")
                return
            kx = broker.Kx(self.conn.seat, msg.pub, msg.answer)
            await self.hub.publish(self.conn.room_id, kx)
            self.reply(protocol.ack(msg.id, self.conn.version))
        elif isinstance(msg, protocol.Admit):
            room_id = self.conn.room_id
            await self.admission.answer(room_id, self.conn.seat, msg.request, msg.accept, msg.key)
            self.reply(protocol.ack(msg.id, self.conn.version))
            await self.hub.publish(room_id, broker.Admit(msg.request, msg.accept))
        elif isinstance(msg, protocol.DeleteRoom):
            await self.service.delete(self.conn.room_id)
            self.reply(protocol.ack(msg.id, self.conn.version))
            await self.hub.publish(self.conn.room_id, broker.Deleted())

    async def _ping(self, msg: protocol.Ping) -> None:
        """A seated socket's ping also catches it up: a change whose broker message was
        lost (Redis restarted, a subscriber reconnecting) arrives as a ``state`` first."""
        room_id, seat = self.conn.room_id, self.conn.seat
        if room_id is not None and seat is not None and not self.hub.draining:
            # Best effort, and quick: a client's ping must not wait on a slow store.
            with contextlib.suppress(Refused, StoreUnavailable, TimeoutError):
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
        if is_daily_code(msg.room):  # a daily space's code: its socket is /ws/daily
            if msg.knock:  # answered like a knock on an unknown code
                self.reply(protocol.ack(msg.id, None))
                return
            raise Refused(ErrorCode.JOIN_FAILED, "No such room, or the secret does not match.")
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
        except Refused as exc:
            if exc.code is ErrorCode.JOIN_FAILED:
                await limiter.allow(self.address)
            raise
        self.conn.deck_apart = msg.minor >= protocol.DECK_APART
        await self._seated(msg.id, seated)

    async def _seated(self, re: MsgId, seated: Seated) -> None:
        self._no_hello_timer()  # seated: an idle connection holds no timer
        room = seated.room
        events: list[dict[str, object]] = []
        for record in seated.records or ():
            events.extend(broker.events_for(record, seated.seat))
        with self.conn.together():  # the welcome and the first state: one write
            self.reply(
                protocol.welcome(
                    re, seated.seat, seated.token, seated.room_id, room.version,
                    invite=seated.invite, sealed=seated.sealed,
                )
            )  # fmt: skip
            self.conn.version = None  # this socket's first state, whatever it claims
            self.conn.deck_key = None  # and the deck part before it (protocol 1.1)
            self.conn.token_digest = tokens.digest(seated.token)
            self.hub.send_state(self.conn, room, seated.seat, None, events)
        try:  # the welcome was this hello's one reply: no error may follow it
            # Bounded too: a hung store must not hold this socket's next message.
            async with asyncio.timeout(self.settings.reply_deadline):
                await self._after_welcome(seated)
        except (Refused, StoreUnavailable, TimeoutError):
            pass  # a ping or the next change catches this socket up
        except Exception as exc:
            log.error("internal error after welcome: %s\n%s", type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))  # fmt: skip

    async def _after_welcome(self, seated: Seated) -> None:
        room = seated.room
        await self.hub.bind(self.conn, seated.room_id, seated.seat, room)
        told = self.conn.presence_told
        online = await self.service.store.presence(seated.room_id)
        partner = 1 - seated.seat
        # The partner's presence as the store had it when read. A presence message the
        # fan-out pushed to this socket meanwhile (the partner dropped or came back while
        # the read was on its way) is newer: the read must not undo it (a partner who
        # dropped just then stayed "here" on this phone for good).
        if self.conn.presence_told == told:
            self.conn.partner_online = online.get(partner, False)
            self.reply(protocol.presence(partner, self.conn.partner_online))
        if seated.seat == 1 and seated.records is None:
            self.hub.deliver(room)  # the creator sees seat 1 join without waiting
        if seated.seat == 0 and not room.seats[1].joined:
            for request, name, pub in await self.admission.pending(seated.room_id):
                self.conn.show_knock(request, protocol.knock(request, name, pub))  # while away

    # knock and admit ----------------------------------------------------------------
    async def _knock(self, msg: protocol.Hello) -> None:
        assert msg.name is not None
        room = normalise_code(msg.room)  # a code typed by hand: "k7qm3x" is "K7QM3X"
        self.conn.deck_apart = msg.minor >= protocol.DECK_APART
        request, recorded = await self.admission.knock(room, msg.name, msg.pub)
        self.conn.on_admit = self._admitted  # the creator's yes comes back to this session
        self.hub.expect_admission(self.conn, room, request, msg.name)
        self.reply(protocol.ack(msg.id, None))
        if recorded:
            await self.hub.publish(room, broker.Knock(request, msg.name, msg.pub))

    async def _admitted(self, room_id: str, request: str, name: str) -> None:
        """The creator said yes: this socket claims the seat the store recorded for it
        (a seat taken meanwhile, or a room gone, is a no)."""
        try:
            seated = await self.admission.claim(room_id, request, name)
        except Refused:
            seated = None
        if seated is None:
            self.hub.decline(self.conn, "declined")
            return
        if self.conn not in self.hub.conns:  # gone while claiming: binding would leak
            return
        self.conn.token_digest = tokens.digest(seated.token)
        self.reply(
            protocol.admitted(
                1, seated.token, room_id, seated.room.version, sealed=seated.sealed, key=seated.key
            )
        )
        await self.hub.bind(self.conn, room_id, 1, seated.room)
        self.hub.deliver(seated.room)

    # act --------------------------------------------------------------------------
    def dispatch_now(self, msg: protocol.ClientMessage) -> asyncio.Future[None] | bool:
        """A move of a couple room begun without a coroutine (``rooms.moves``): the
        hot path. Anything it cannot decide at once takes the awaited path."""
        if type(msg) is not protocol.Act:
            return False
        room_id, seat = self.conn.room_id, self.conn.seat
        if room_id is None or seat is None or self.hub.draining or "/" in room_id:
            return False  # not seated, restarting, or a party table (see _act)
        answered: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def then(outcome: moves.Outcome) -> None:
            if outcome is None:  # another move landed first: judged again, awaited
                self.again = asyncio.create_task(self._again(msg, answered))
                return
            try:
                if isinstance(outcome, BaseException):
                    self.refuse(msg.id, outcome, "Act")
                else:
                    self._acted(msg, outcome)
            finally:
                self.hub.in_flight -= 1
                if not answered.done():  # cancelled: the ASGI loop awaiting it stopped
                    answered.set_result(None)

        try:
            going = moves.act_now(self.service, room_id, seat, msg.id, msg.a, msg.args, then=then)
        except Duplicate as dup:
            self.reply(protocol.ack(msg.id, dup.version, duplicate=True))
            return True
        if going:
            self.hub.in_flight += 1
            return answered
        return False

    async def _again(self, msg: protocol.Act, answered: asyncio.Future[None]) -> None:
        try:
            await self.answer(msg)
        finally:
            self.hub.in_flight -= 1
            self.again = None
            if not answered.done():
                answered.set_result(None)

    async def _act(self, msg: protocol.Act, room_id: str, seat: int) -> None:
        try:
            # This socket delivers its move to this instance's seats (below): it need not
            # come back through the store's subscription and wake the fan-out. A party
            # table's move does come back: the party's console follows its tables there.
            local = "/" in room_id
            applied = await self.service.act(room_id, seat, msg.id, msg.a, msg.args, local=local)
        except Duplicate as dup:
            self.reply(protocol.ack(msg.id, dup.version, duplicate=True))
            return
        self._acted(msg, applied)

    def _acted(self, msg: protocol.Act, applied: Applied) -> None:
        with self.conn.together():  # the ack and the mover's new state: one write
            self.reply(protocol.ack(msg.id, applied.room.version))
            self.hub.deliver(applied.room, broker.commit(applied.room.version, applied.events))
