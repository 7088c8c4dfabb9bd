"""Daily fan-out on one instance: which local sockets hold which seat of which space,
what each is sent when its space changes (a commit from any instance, through the
store's broker), presence, and the tick that fires the deadlines of the spaces held here.

It hooks into the couple hub as a listener (every broker message passes by), and
registers knockers with it (an admission reaches the knocker's socket the same way).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from game.daily import next_deadline, view
from game.views import deck_part
from server import logs
from server.daily.blob import DailyState, is_daily_code
from server.daily.service import DailyService
from server.errors import CloseCode, Refused, StoreUnavailable
from server.fanout.conn import Conn
from server.fanout.hub import Hub
from server.store.base import Snapshot
from server.wire import broker, replies

log = logs.get("daily")
TICK_EVERY = 5.0  # seconds between looks at the deadlines of the spaces held here
Sender = Callable[[dict[str, Any], str], Awaitable[bool]]  # (subscription, language) -> gone


class DailyHub:
    def __init__(self, service: DailyService, hub: Hub, sender: Sender | None = None) -> None:
        self.service = service
        self.hub = hub
        self.sender = sender
        self.spaces: dict[str, dict[int, Conn]] = {}
        self.known: dict[str, DailyState] = {}  # the newest state seen per space held here
        self.pushing: set[asyncio.Task[None]] = set()
        hub.listen(self.route, is_daily_code)

    # sockets ------------------------------------------------------------------------
    async def bind(self, conn: Conn, code: str, seat: int, state: DailyState) -> None:
        conn.room_id, conn.seat = code, seat
        seats = self.spaces.setdefault(code, {})
        old = seats.get(seat)
        if old is not None and old is not conn:
            old.replaced = True
            old.shut(CloseCode.REPLACED)
        seats[seat] = conn
        self._send(conn, state, force=True)
        await self.hub.publish(code, broker.Claim(seat, conn.id))
        await self._presence(code, seat, True, conn.id)
        loaded = await self.service.load(code)  # a change committed meanwhile
        if loaded is not None:
            self._send(conn, loaded[1])

    async def remove(self, conn: Conn) -> None:
        code, seat = conn.room_id, conn.seat
        if code is None or seat is None:
            return
        seats = self.spaces.get(code, {})
        if seats.get(seat) is conn:
            del seats[seat]
            if not seats:
                self.spaces.pop(code, None)
                self.known.pop(code, None)
            if not conn.replaced and not self.hub.draining:
                with contextlib.suppress(Refused, StoreUnavailable):
                    await self._presence(code, seat, False, conn.id)

    async def _presence(self, code: str, seat: int, online: bool, conn_id: str) -> None:
        ttl = self.hub.settings.presence_ttl
        await self.service.io(self.service.store.set_presence(code, seat, online, ttl))
        await self.hub.publish(code, broker.Presence(seat, online, conn_id))

    def _send(self, conn: Conn, state: DailyState, *, force: bool = False) -> None:
        space, seat = state.space, conn.seat
        if seat is None or (
            not force and conn.version is not None and conn.version >= space.version
        ):
            return
        known = self.known.get(conn.room_id or "")
        if known is None or known.space.version <= space.version:
            self.known[conn.room_id or ""] = state
        conn.version = space.version
        language = space.seats[seat].language or space.language
        key = (space.deck.id, space.deck.version, language)
        if conn.deck_key != key:
            conn.deck_key = key
            conn.push(replies.deck(deck_part(space.deck, language)))
        shown = view(space, seat, self.service.clock())
        shown["room"] = conn.room_id
        conn.push(replies.state(space.version, shown, []))

    def deliver(self, code: str, state: DailyState) -> None:
        for conn in list(self.spaces.get(code, {}).values()):
            self._send(conn, state)

    # the broker ---------------------------------------------------------------------
    async def route(self, code: str, message: broker.BrokerMessage, snap: Snapshot | None) -> None:
        if not is_daily_code(code):
            return
        seats = self.spaces.get(code)
        if not seats:
            return
        if isinstance(message, broker.Commit):
            if all(c.version is not None and c.version >= message.version for c in seats.values()):
                return
            state = await self.service.adopt(code, snap)
            if state is not None:
                self.deliver(code, state)
        elif isinstance(message, broker.Presence):
            partner = seats.get(1 - message.seat)
            if partner is not None:
                partner.tell_presence(
                    replies.presence(message.seat, message.online), message.online
                )
        elif isinstance(message, broker.Claim):
            held = seats.get(message.seat)
            if held is not None and held.id != message.conn:
                held.replaced = True
                held.shut(CloseCode.REPLACED)
        elif isinstance(message, broker.Knock):
            creator = seats.get(0)
            if creator is not None:
                creator.show_knock(
                    message.request, replies.knock(message.request, message.name, message.pub)
                )
        elif isinstance(message, broker.Deleted):
            for conn in list(seats.values()):
                conn.push(replies.deleted())
                conn.replaced = True  # no "away" presence for a space that is gone
                conn.shut(CloseCode.DELETED)
            self.spaces.pop(code, None)
            self.known.pop(code, None)

    # news ---------------------------------------------------------------------------
    def tell(self, code: str, seat: int, state: DailyState) -> None:
        """A push to ``seat``'s subscription, if it has one and the server has VAPID
        keys: only "something new", never what. Sent beside the socket's next messages
        (a slow push service must not hold them); a subscription gone is forgotten."""
        sub = state.push[seat]
        if self.sender is None or sub is None:
            return
        task = asyncio.get_running_loop().create_task(self._tell(code, seat, state, sub))
        self.pushing.add(task)
        task.add_done_callback(self.pushing.discard)

    async def _tell(self, code: str, seat: int, state: DailyState, sub: dict[str, Any]) -> None:
        assert self.sender is not None
        language = state.space.seats[seat].language or state.space.language
        if await self.sender(sub, language):
            with contextlib.suppress(Refused, StoreUnavailable):
                await self.service.set_push(code, seat, None)

    # deadlines ----------------------------------------------------------------------
    async def tick_once(self) -> None:
        """Fire what is due in the spaces held here (another instance may fire the same:
        the engine refuses a second tick, and commits are compare-and-set)."""
        now = self.service.clock()
        for code, state in list(self.known.items()):
            at = next_deadline(state.space)
            if at is None or now < at:
                continue
            with contextlib.suppress(Refused, StoreUnavailable):
                await self.service.tick(code, state)

    async def renew_presence(self) -> None:
        """Every local seat's presence key renewed (it expires after ``presence_ttl``)."""
        ttl = self.hub.settings.presence_ttl
        for code, seats in list(self.spaces.items()):
            for seat in list(seats):
                with contextlib.suppress(Refused, StoreUnavailable):
                    await self.service.io(self.service.store.set_presence(code, seat, True, ttl))

    async def run(self) -> None:
        renewed = 0.0
        while True:
            await asyncio.sleep(TICK_EVERY)
            try:
                await self.tick_once()
                now = asyncio.get_running_loop().time()
                if now - renewed >= self.hub.settings.presence_ttl / 3:
                    renewed = now
                    await self.renew_presence()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("daily tick failed")
