"""Fan-out on one instance: which local socket holds which seat, and delivery of
broker messages (from this instance or any other) to them.

Fed by the store's subscription and handed ``Rooms`` (the newest room an instance
knows, a load when it knows none); it decides nothing: no admission, no rule. It
imports neither ``rooms`` nor ``parties`` (an import rule says so): party rooms hook
in as ``listeners``. Views are computed and encoded once per seat.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from game import Room, deck_view, view_for
from server import logs
from server.errors import CloseCode, Refused, StoreUnavailable
from server.fanout.conn import Conn
from server.metrics import Metrics
from server.settings import Settings
from server.store.base import Message, RoomStore, Snapshot
from server.wire import broker, replies

log = logs.get("relay")
PRESENCE_CHUNK = 32  # rooms whose presence is renewed together
_pause = asyncio.sleep
Listener = Callable[[str, broker.BrokerMessage, Snapshot | None], Awaitable[None]]


class Rooms(Protocol):
    """What the fan-out may ask of rooms: it reads, never changes."""

    def cached(self, room_id: str) -> Room | None:
        """The newest room this instance wrote or read, if it still holds it."""

    async def fresh(self, room_id: str, snapshot: Snapshot | None) -> Room | None:
        """The room a commit's ``snapshot`` holds when usable, else the stored one."""

    def adopted(self, room_id: str, snapshot: Snapshot) -> Room | None:
        """The room a commit's ``snapshot`` holds, when usable (no I/O)."""

    def forget(self, room_id: str) -> None:
        """No local socket holds a seat of the room any more."""


class Hub:
    def __init__(
        self, store: RoomStore, rooms: Rooms, settings: Settings, metrics: Metrics
    ) -> None:
        self.store = store
        self.room_source = rooms
        self.settings = settings
        self.metrics = metrics
        self.instance = f"i{id(self):x}"
        self.rooms: dict[str, dict[int, Conn]] = {}
        # The socket that last took each seat of a room held here (a bind here, a claim
        # from elsewhere): an "away" about an older socket of that seat is stale.
        self.holders: dict[str, dict[int, str]] = {}
        self.knockers: dict[tuple[str, str], Conn] = {}
        self.conns: set[Conn] = set()
        self.draining = False
        self.in_flight = 0
        # Party tables and daily spaces see the messages of the rooms they want (listen).
        self.listeners: list[tuple[Listener, Callable[[str], bool]]] = []
        self.routing = 0  # messages the subscriber task is routing now
        self.taken_now = 0  # broker messages handled as they arrived (route_now)

    def listen(self, listener: Listener, wants: Callable[[str], bool]) -> None:
        """``listener`` gets every broker message of a room id ``wants``."""
        self.listeners.append((listener, wants))

    # connections ----------------------------------------------------------------
    def add(self, conn: Conn) -> None:
        conn.on_slow = self._count_slow
        self.conns.add(conn)
        self.metrics.connections = len(self.conns)
        self.metrics.connections_total += 1

    def _count_slow(self) -> None:
        self.metrics.dropped_slow += 1

    async def bind(self, conn: Conn, room_id: str, seat: int, room: Room) -> None:
        """The socket now holds ``seat`` and gets ``room``'s view at once; any other
        socket holding the seat is replaced. Registration and the first state happen
        without an ``await`` between them, so no newer state can overtake the first."""
        conn.room_id, conn.seat = room_id, seat
        seats = self.rooms.setdefault(room_id, {})
        old = seats.get(seat)
        if old is not None and old is not conn:
            old.replaced = True
            old.shut(CloseCode.REPLACED)
        seats[seat] = conn
        self.holders.setdefault(room_id, {})[seat] = conn.id
        self.send_state(conn, room, seat, None)
        await self.publish(room_id, broker.Claim(seat, conn.id))
        await self._set_presence(room_id, seat, True, conn.id)
        # A change committed between our load and the registration above reached
        # nobody here: catch up from the store.
        fresh = await self.room_source.fresh(room_id, None)
        if fresh is not None:
            self.send_state(conn, fresh, seat, None)

    async def remove(self, conn: Conn) -> None:
        self.conns.discard(conn)
        self.metrics.connections = len(self.conns)
        if conn.knock is not None:
            self.knockers.pop((conn.knock[0], conn.knock[1]), None)
        room_id, seat = conn.room_id, conn.seat
        if room_id is None or seat is None:
            return
        seats = self.rooms.get(room_id, {})
        if seats.get(seat) is conn:
            del seats[seat]
            self._forget_if_empty(room_id)
            if not conn.replaced and not self.draining:
                with contextlib.suppress(Refused, StoreUnavailable):
                    await self._set_presence(room_id, seat, False, conn.id)

    def _forget_if_empty(self, room_id: str) -> None:
        if not self.rooms.get(room_id):
            self._forget(room_id)

    def _forget(self, room_id: str) -> None:
        # Per-room entries (and the service's cached state) live only while this
        # instance holds a seat of the room.
        self.rooms.pop(room_id, None)
        self.holders.pop(room_id, None)
        self.room_source.forget(room_id)

    async def _set_presence(self, room_id: str, seat: int, online: bool, conn: str) -> None:
        # Presence is best effort; the broadcast below may still get through.
        with contextlib.suppress(StoreUnavailable):
            await self.store.set_presence(room_id, seat, online, self.settings.presence_ttl)
        await self.publish(room_id, broker.Presence(seat, online, conn))

    async def publish(self, room_id: str, message: broker.BrokerMessage) -> None:
        """Best effort: a lost message is caught up from the store (a ping, a move)."""
        with contextlib.suppress(StoreUnavailable):
            await self.store.publish(room_id, broker.encode(message))

    async def refresh_presence(self, over: float = 0.0) -> None:
        """Renew the presence keys of local seats (they expire if this instance dies),
        a chunk of rooms at a time: the store pipelines a chunk's calls into a few round
        trips instead of one round trip per seat, one after the other. The chunks are
        spread evenly over ``over`` seconds: thousands of rooms renewed at once held
        the event loop for tens of milliseconds, and every move waited behind them."""
        rooms = list(self.rooms.items())
        chunks = range(0, len(rooms), PRESENCE_CHUNK)
        for n, start in enumerate(chunks):
            if n and over > 0:
                await _pause(over / len(chunks))
            chunk = rooms[start : start + PRESENCE_CHUNK]
            await asyncio.gather(*(self._refresh_room(r, seats) for r, seats in chunk))

    async def _refresh_room(self, room_id: str, seats: Mapping[int, Conn]) -> None:
        for seat in list(seats):
            with contextlib.suppress(StoreUnavailable):
                await self.store.set_presence(room_id, seat, True, self.settings.presence_ttl)
        with contextlib.suppress(StoreUnavailable):
            await self._notice_gone_partners(room_id, seats)

    async def _notice_gone_partners(self, room_id: str, seats: Mapping[int, Conn]) -> None:
        """A partner whose instance died never says "away": its presence entry simply
        expires. Tell the local seat once it has."""
        waiting = [(s, c) for s, c in seats.items() if c.partner_online and 1 - s not in seats]
        if not waiting:
            return
        online = await self.store.presence(room_id)
        for seat, conn in waiting:
            if not online.get(1 - seat, False):
                conn.tell_presence(replies.presence(1 - seat, False), False)

    # state ----------------------------------------------------------------------
    def deliver(self, room: Room, commit: broker.Commit | None = None) -> None:
        """Send ``room``'s view to each local seat that has not seen this version."""
        for seat, conn in list(self.rooms.get(room.id, {}).items()):
            self.send_state(conn, room, seat, commit)

    def send_state(
        self,
        conn: Conn,
        room: Room,
        seat: int,
        commit: broker.Commit | None,
        events: list[dict[str, object]] | None = None,
    ) -> None:
        if conn.version is not None and conn.version >= room.version:
            return
        if events is None:
            events = broker.events_for(commit, seat) if commit is not None else []
        conn.version = room.version
        if not conn.deck_apart:  # a 1.0 client: the whole view every time
            conn.push(replies.state(room.version, view_for(room, seat), events))
            return
        key = (room.deck.id, room.deck.version, room.seats[seat].language)
        if conn.deck_key != key:  # at welcome, and when the deck or the language changes
            conn.deck_key = key
            conn.push(replies.deck(deck_view(room, seat)))
        conn.push(replies.state(room.version, view_for(room, seat, with_deck=False), events))

    async def _on_commit(
        self, room_id: str, commit: broker.Commit, snapshot: Snapshot | None
    ) -> None:
        if not self._commit_now(room_id, commit, snapshot):
            # Only a damaged or missing state costs a load here.
            room = await self.room_source.fresh(room_id, snapshot)
            if room is not None:
                self.deliver(room, commit if room.version == commit.version else None)

    def _commit_now(self, room_id: str, commit: broker.Commit, snapshot: Snapshot | None) -> bool:
        """A commit delivered to this instance's seats (True; also when none is here, or
        each has it already: a commit made here) from the room this instance knows (the
        rooms' cache: every room a local socket was sent passed through it) or, newer,
        the state the message carried (decoded, it also spares the next local move a
        load); False when neither will do (the caller loads)."""
        seats = self.rooms.get(room_id)
        version = commit.version
        if not seats or all(c.version is not None and c.version >= version
                            for c in seats.values()):  # fmt: skip
            return True
        room = self.room_source.cached(room_id)
        if room is None or room.version < version:
            room = None if snapshot is None else self.room_source.adopted(room_id, snapshot)
            if room is None:
                return False
        self.deliver(room, commit if room.version == version else None)
        return True

    def route_now(self, message: Message) -> bool:
        """A couple room's commit as it arrives (``RoomStore.subscribe``'s ``now``), no
        task woken, when nothing is queued before it, no listener wants its room and
        the room or the message's state will do; else False (queued for ``run``)."""
        room_id, payload, snapshot = message
        if self.routing or any(wants(room_id) for _, wants in self.listeners):
            return False
        commit = broker.decode(payload)
        if not isinstance(commit, broker.Commit):
            return False
        taken = self._commit_now(room_id, commit, snapshot)
        self.taken_now += taken
        return taken

    # broker ---------------------------------------------------------------------
    async def run(self) -> None:
        """The one subscriber task of this instance."""
        while True:
            try:
                async for room_id, payload, snapshot in self.store.subscribe(self.route_now):
                    self.routing += 1
                    try:
                        await self.route(room_id, payload, snapshot)
                    finally:
                        self.routing -= 1
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("subscriber failed; resubscribing")
                await asyncio.sleep(0.5)

    async def route(self, room_id: str, payload: bytes, snapshot: Snapshot | None = None) -> None:
        """One broker message; ``snapshot`` is the state a commit wrote, if it says."""
        message = broker.decode(payload)
        if message is None:
            return
        try:
            await self._route(room_id, message, snapshot)
            for listener, wants in self.listeners:
                if wants(room_id):
                    await listener(room_id, message, snapshot)
        except (Refused, StoreUnavailable):
            pass  # the clients resync on their next message or reconnect
        except Exception:
            log.exception("could not route a %s message", type(message).__name__)

    async def _route(
        self, room_id: str, message: broker.BrokerMessage, snapshot: Snapshot | None
    ) -> None:
        seats = self.rooms.get(room_id, {})
        if isinstance(message, broker.Commit):
            await self._on_commit(room_id, message, snapshot)
        elif isinstance(message, broker.Presence):
            partner = seats.get(1 - message.seat)
            holder = self.holders.get(room_id, {}).get(message.seat)
            gone = message.conn if not message.online else None
            if gone is not None and holder not in (None, gone):
                return  # the seat's older socket went, after a newer one came back
            if partner is not None:
                partner.tell_presence(
                    replies.presence(message.seat, message.online), message.online
                )
        elif isinstance(message, broker.Typing):
            partner = seats.get(1 - message.seat)
            if partner is not None:
                partner.push(replies.typing(message.seat, message.on))
        elif isinstance(message, broker.Kx):
            partner = seats.get(1 - message.seat)
            if partner is not None:
                partner.push(replies.kx(message.seat, message.pub, message.answer))
        elif isinstance(message, broker.Claim):
            if room_id in self.rooms:
                self.holders.setdefault(room_id, {})[message.seat] = message.conn
            await self._on_claim(room_id, message)
        elif isinstance(message, broker.Knock) and 0 in seats:
            knock = replies.knock(message.request, message.name, message.pub)
            seats[0].show_knock(message.request, knock)
        elif isinstance(message, broker.Admit):
            await self._on_admit(room_id, message)
        elif isinstance(message, broker.Deleted):
            for conn in list(seats.values()):
                conn.push(replies.deleted())
                conn.replaced = True  # no "away" presence for a room that is gone
                conn.shut(CloseCode.DELETED)
            self._forget(room_id)

    async def _on_claim(self, room_id: str, claim: broker.Claim) -> None:
        """Another socket took a seat held here. Every hello rotates the seat token, so
        the newest taker holds the current one: a local socket that holds it is the one
        that stays (two sockets of one seat meeting on two instances at once must not
        close each other)."""
        seat = claim.seat
        old = self.rooms.get(room_id, {}).get(seat)
        if old is None or old.id == claim.conn:
            return
        if old.token_digest is not None:
            try:
                current = (await self.store.secrets(room_id)).get(f"seat{seat}")
            except StoreUnavailable:
                current = None
            if current == old.token_digest:
                return  # ours is newer; the claimant gets our claim and is replaced
        seats = self.rooms.get(room_id, {})
        if seats.get(seat) is old:
            old.replaced = True
            old.shut(CloseCode.REPLACED)
            del seats[seat]
            self._forget_if_empty(room_id)

    async def _on_admit(self, room_id: str, admit: broker.Admit) -> None:
        """The creator answered a knock: a no is told to the knocker here; a yes is
        handed to the knocker's own socket (``Conn.on_admit``), which claims the seat."""
        conn = self.knockers.pop((room_id, admit.request), None)
        if conn is None or conn.knock is None:
            return
        name = conn.knock[2]
        conn.knock = None
        if not admit.accept:
            self.decline(conn, "declined")
        elif conn in self.conns and not conn.closing and conn.on_admit is not None:
            await conn.on_admit(room_id, admit.request, name)
        # a knocker that left: the seat stays free

    def decline(self, conn: Conn, reason: str) -> None:
        """Tell the knocker; a socket left without a seat then has the hello timeout
        again to knock once more, or it is closed (it must not linger unbound)."""
        conn.push(replies.declined(reason))
        asyncio.get_running_loop().call_later(self.settings.hello_timeout, _close_unbound, conn)

    def expect_admission(self, conn: Conn, room_id: str, request: str, name: str) -> None:
        conn.knock = (room_id, request, name)
        self.knockers[(room_id, request)] = conn
        asyncio.get_running_loop().call_later(
            self.settings.knock_timeout, self._knock_timeout, conn, room_id, request
        )

    def _knock_timeout(self, conn: Conn, room_id: str, request: str) -> None:
        if self.knockers.get((room_id, request)) is conn:
            del self.knockers[(room_id, request)]
            conn.knock = None
            self.decline(conn, "timeout")

    # shutdown -------------------------------------------------------------------
    async def drain(self, grace: float) -> None:
        """Graceful stop: say bye, let in-flight actions finish, close with 1001."""
        self.draining = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while self.in_flight and loop.time() < deadline:
            await asyncio.sleep(0.02)
        for conn in list(self.conns):
            conn.push(replies.bye())
            conn.shut(CloseCode.GOING_AWAY)
        waits = [asyncio.create_task(c.finished()) for c in self.conns]
        if waits:
            await asyncio.wait(waits, timeout=max(0.1, deadline - loop.time()))


def _close_unbound(conn: Conn) -> None:
    if conn.seat is None and conn.knock is None:
        conn.shut(CloseCode.HELLO_TIMEOUT)
