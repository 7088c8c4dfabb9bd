"""Rooms on a store: load -> apply -> commit (compare-and-set); the store publishes
each commit to every instance (``fanout`` delivers it). Seats and their tokens live
here; knocking and admission are ``rooms.admission``.

Knows nothing of Starlette or sockets. Refusals are ``Refused`` (server codes) or the
engine's ``GameError`` (engine codes); both change nothing.
"""

from __future__ import annotations

import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from game import ActionFormatError, Deck, Event, GameError, Room, apply, from_wire, new_room
from game import ErrorCode as GameCode
from game.actions import AddDeck, Join, SetName
from game.model import Phase
from server import tokens
from server.errors import Duplicate, ErrorCode, Refused
from server.metrics import Metrics
from server.rooms.checks import check_played, set_up, text_limit, within_limits
from server.rooms.own_deck import OwnDecks
from server.settings import Settings
from server.store.base import RoomStore, SecretChanges, Snapshot
from server.store.guard import bounded
from server.wire import broker
from server.wire.blob import State, decode_state, encode_state, remember

T = TypeVar("T")
OPEN_INVITE = "invite_open"  # the invite secret itself, kept only while seat 1 is free
CACHED_ROOMS = 10_000  # decoded rooms kept per instance (a hint; the store decides)
CODE_ATTEMPTS = 20


@dataclass(frozen=True, slots=True)
class Created:
    code: str
    invite: str
    token: str
    room: Room


@dataclass(frozen=True, slots=True)
class Seated:
    room_id: str
    seat: int
    token: str
    room: Room
    records: list[broker.Commit] | None = None  # changes since last_version, if kept
    invite: str | None = None  # for seat 0 while seat 1 is free: the invite, again
    sealed: bool = False  # its typed texts travel as sealed envelopes (issue 20)
    key: str | None = None  # a knocker's room key, wrapped for it by the creator's page


ACT_MEMORY = 16  # action ids remembered per seat for at-most-once: a client retries only
# the few actions it has in flight after a reconnect; every id is scanned and stored on
# every move, so a long memory is a per-move cost (64 was ~15% of server CPU per move)
Step = Callable[[State], tuple[State, tuple[Event, ...]]]  # a move as a change of state


@dataclass(frozen=True, slots=True)
class Applied:
    room: Room
    events: tuple[Event, ...]


FAILED = "No such room, or the secret does not match."


class Service:
    def __init__(
        self,
        store: RoomStore,
        decks: Mapping[str, Deck],
        settings: Settings,
        metrics: Metrics | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.decks = decks
        self.settings = settings
        self.metrics = metrics or Metrics()
        self.clock = clock
        # The last state this instance wrote or read, per room: a move first tries it
        # with compare-and-set (no load, no decode). A stale entry costs one failed CAS,
        # never correctness: the store's version decides.
        self._cache: OrderedDict[str, tuple[int, State]] = OrderedDict()
        self.own_decks = OwnDecks()  # couples' own decks, built from their rooms' files
        self.text_limit = text_limit(settings)  # of a move's typed field

    # store access ---------------------------------------------------------------
    async def io(self, call: Awaitable[T]) -> T:
        """One store call, bounded by the reply deadline (``store.guard``)."""
        return await bounded(call, self.settings.reply_deadline, self.metrics.store_latency.observe)

    def ttl(self, room: Room) -> float:
        s = self.settings
        return s.ended_room_ttl if room.phase is Phase.ENDED else s.room_ttl

    def decode(self, blob: bytes) -> State:
        return decode_state(blob, self.decks, self.own_decks.build)

    async def load(self, room_id: str) -> State | None:
        snap = await self.io(self.store.load(room_id))
        if snap is None:
            self._cache.pop(room_id, None)
            return None
        state = self.decode(snap.blob)
        self._keep(room_id, snap.version, state)
        return state

    def forget(self, room_id: str) -> None:
        """Drop the cached state of a room whose last local socket left: the cache holds
        the rooms in play here, not every room this instance ever touched."""
        self._cache.pop(room_id, None)

    def cached(self, room_id: str) -> Room | None:
        """The newest room this instance wrote or read, if it still holds it."""
        known = self._cache.get(room_id)
        return known[1].room if known is not None else None

    async def committed(self, room_id: str, snapshot: Snapshot | None) -> State | None:
        """The state a commit's broker message stands for: the one it carried when it
        is usable (decoded and remembered), else the stored one; None: no such room."""
        state = self.adopt(room_id, snapshot) if snapshot is not None else None
        return state if state is not None else await self.load(room_id)

    async def fresh(self, room_id: str, snapshot: Snapshot | None) -> Room | None:
        """``committed``'s room (what the fan-out is handed: rooms, never states)."""
        state = await self.committed(room_id, snapshot)
        return None if state is None else state.room

    def adopted(self, room_id: str, snapshot: Snapshot) -> Room | None:
        """``adopt``'s room (the fan-out's hot path: no I/O)."""
        state = self.adopt(room_id, snapshot)
        return None if state is None else state.room

    def adopt(self, room_id: str, snapshot: Snapshot) -> State | None:
        """The state a commit message carried (another instance wrote it), decoded and
        remembered so the next move here needs no load; None when the blob is damaged
        or not a room of this id at this version (the caller loads instead)."""
        known = self._cache.get(room_id)
        if known is not None and known[0] == snapshot.version:
            return known[1]
        try:
            state = self.decode(snapshot.blob)
        except Exception:  # anything on the bus may be foreign or damaged
            return None
        if state.room.id != room_id or state.room.version != snapshot.version:
            return None
        self._keep(room_id, snapshot.version, state)
        return state

    def _keep(self, room_id: str, version: int, state: State) -> None:
        known = self._cache.get(room_id)
        if known is not None and known[0] > version:
            return
        self._cache[room_id] = (version, state)
        self._cache.move_to_end(room_id)
        while len(self._cache) > CACHED_ROOMS:
            self._cache.popitem(last=False)

    # creating -------------------------------------------------------------------
    async def create_room(
        self,
        deck_id: str,
        *,
        name: str | None,
        language: str | None,
        light_mode: bool,
        played: Sequence[str] = (),
        first_card: str | None = None,
    ) -> Created:
        deck = self.decks.get(deck_id)
        if deck is None:
            raise ActionFormatError(GameCode.LOBBY_UNKNOWN_DECK, "no such deck")
        check_played(played)
        s = self.settings
        for _ in range(CODE_ATTEMPTS):
            code = tokens.new_code()
            seed = random.SystemRandom().getrandbits(63)
            fresh = new_room(code, deck, seed=seed, played_before=played, first_card=first_card)
            room = set_up(fresh, name, language, light=light_mode, limits=s, now=self.clock())
            token, invite = tokens.new_secret(), tokens.new_secret()
            # The invite itself is kept too, until the second seat is taken, so a creator
            # who reloads the page before the partner arrived gets the link back.
            secrets = {"seat0": tokens.digest(token), "invite": tokens.digest(invite)}
            secrets[OPEN_INVITE] = invite
            # Sealed when the server seals (SEALED_TEXTS): no client can ask otherwise.
            state = State(room, sealed=s.sealed_texts)
            snap = Snapshot(room.version, encode_state(state))
            if await self.io(self.store.create(code, snap, secrets, s.room_ttl)):
                self.metrics.rooms_created += 1
                return Created(code, invite, token, room)
        raise Refused(ErrorCode.STORE_BUSY, "Could not find a free room code.")

    # changing -------------------------------------------------------------------
    async def change(
        self,
        room_id: str,
        step: Step,
        secrets: SecretChanges | None = None,
        *,
        local: bool = True,
    ) -> Applied:
        """Apply ``step`` to the stored state with compare-and-set; on a conflict run it
        again on the fresh state (it raises when the change has become illegal).
        ``secrets`` are written (None: deleted) by the same atomic commit. ``local=False``:
        the caller delivers the change to this instance's sockets itself (the store
        still publishes it to the others)."""
        cached = self._cache.get(room_id)
        for _ in range(self.settings.commit_retries):
            if cached is None:
                snap = await self.io(self.store.load(room_id))
                if snap is None:
                    self._cache.pop(room_id, None)
                    raise Refused(ErrorCode.ROOM_GONE, "This room no longer exists.")
                expected, state = snap.version, self.decode(snap.blob)
            else:
                expected, state = cached
            try:
                new, events = step(state)
            except GameError:
                if cached is None:
                    raise
                cached = None  # refused on a cached state: judge it on the stored one
                continue
            blob, record, ttl = self.written(new, events)
            done = self.store.commit(
                room_id, expected, blob, record, ttl, secrets=secrets, local=local
            )
            if await self.io(done):
                return self.landed(room_id, new, events)
            self.conflicted(room_id)
            cached = None
        raise Refused(ErrorCode.STORE_BUSY, "The room is busy; retry.")

    def written(self, new: State, events: tuple[Event, ...]) -> tuple[Snapshot, bytes, float]:
        """What a commit of ``new`` writes: its blob, its change record, its expiry."""
        record = broker.encode(broker.commit(new.room.version, events))
        return Snapshot(new.room.version, encode_state(new)), record, self.ttl(new.room)

    def landed(self, room_id: str, new: State, events: tuple[Event, ...]) -> Applied:
        self._keep(room_id, new.room.version, new)
        return Applied(new.room, events)

    def conflicted(self, room_id: str) -> None:
        self.metrics.conflicts += 1
        self._cache.pop(room_id, None)

    def known(self, room_id: str) -> tuple[int, State] | None:
        """The cached (version, state) a move here is first tried on."""
        return self._cache.get(room_id)

    async def act(
        self,
        room_id: str,
        seat: int,
        msg_id: str | int,
        name: str,
        args: Mapping[str, object],
        *,
        local: bool = True,
    ) -> Applied:
        """``local=False``: the caller delivers the move to this instance's seats."""
        step = self.step(seat, msg_id, name, args)  # judged before any I/O
        applied = await self.change(room_id, step, local=local)
        self.metrics.actions[name] += 1
        return applied

    def step(self, seat: int, msg_id: str | int, name: str, args: Mapping[str, object]) -> Step:
        """The move as a change of state: checked against its wire form first (before any
        I/O; raises ``ActionFormatError``), then, on the state it is applied to, against
        the seat's remembered ids (``Duplicate``: answered, not applied again), the
        server's limits and the rules (``GameError``)."""
        settings = self.settings
        action = from_wire(name, args, self.decks, text_limit=self.text_limit)
        key = f"{type(msg_id).__name__[0]}:{msg_id}"
        clock = self.clock

        def changed(state: State) -> tuple[State, tuple[Event, ...]]:
            for s, k, v in state.acts:
                if s == seat and k == key:
                    raise Duplicate(v)
            within_limits(action, settings, sealed=self.is_sealed(state))
            out = apply(state.room, seat, action, now=clock())
            return remember(state, out.room, seat, key, ACT_MEMORY), out.events

        return changed

    def is_sealed(self, state: State) -> bool:
        """Whether ``state``'s typed texts must be sealed envelopes: a room created
        sealed, while the server seals (an operator who turns SEALED_TEXTS off for
        debugging takes plain text in every room)."""
        return state.sealed and self.settings.sealed_texts

    async def add_own_deck(self, room_id: str, token: str, raw: bytes) -> Applied:
        """A couple's own deck from the seat ``token`` holds (issue 21; sealed texts in a
        sealed room): refused with nothing kept, or added for the partner to accept."""
        snap = await self.io(self.store.load(room_id))
        sealed = snap is not None and self.is_sealed(self.decode(snap.blob))
        deck = await self.own_decks.upload(raw, sealed=sealed)
        secrets = await self.io(self.store.secrets(room_id))
        seat, _ = self._match(secrets, token)
        if seat is None:
            raise Refused(ErrorCode.JOIN_FAILED, FAILED)

        def step(state: State) -> tuple[State, tuple[Event, ...]]:
            out = apply(state.room, None, AddDeck(deck, seat), now=self.clock())
            return replace(state, room=out.room), out.events

        applied = await self.change(room_id, step)
        self.metrics.actions["add_deck"] += 1
        return applied

    async def newer(self, room_id: str, than: int | None) -> Room | None:
        """The stored room when it is newer than ``than`` (what a socket last got), else
        None: a change whose broker message was lost reaches the socket this way."""
        snap = await self.io(self.store.load(room_id))
        if snap is None or (than is not None and snap.version <= than):
            return None
        state = self.decode(snap.blob)
        self._keep(room_id, snap.version, state)
        return state.room

    async def delete(self, room_id: str) -> None:
        self._cache.pop(room_id, None)
        await self.io(self.store.delete(room_id))
        self.metrics.rooms_deleted += 1

    # seats ----------------------------------------------------------------------
    async def resume(self, room_id: str, token: str, last_version: int | None) -> Seated:
        secrets = await self.io(self.store.secrets(room_id))
        seat, current = self._match(secrets, token)
        state = await self.load(room_id)
        if seat is None or state is None:
            raise Refused(ErrorCode.JOIN_FAILED, FAILED)
        fresh = tokens.new_secret()
        ttl = self.ttl(state.room)
        if current:  # the new token's first use ends the old one's grace
            old = f"{secrets[f'seat{seat}']}|{self.clock() + self.settings.token_grace}"
            await self.io(self.store.set_secret(room_id, f"old{seat}", old, ttl))
        await self.io(self.store.set_secret(room_id, f"seat{seat}", tokens.digest(fresh), ttl))
        records = None
        if last_version is not None:
            raw = await self.io(self.store.records_since(room_id, last_version))
            if raw is not None:
                records = [m for m in map(broker.decode, raw) if isinstance(m, broker.Commit)]
        invite = None
        if seat == 0 and not state.room.seats[1].joined:
            invite = secrets.get(OPEN_INVITE)
        return Seated(room_id, seat, fresh, state.room, records, invite, self.is_sealed(state))

    def _match(self, secrets: Mapping[str, str], token: str) -> tuple[int | None, bool]:
        for seat in (0, 1):
            if tokens.matches(token, secrets.get(f"seat{seat}")):
                return seat, True
        for seat in (0, 1):
            digest, _, until = secrets.get(f"old{seat}", "").partition("|")
            if until and float(until) > self.clock() and tokens.matches(token, digest):
                return seat, False
        return None, False

    async def join_invite(self, room_id: str, invite: str, name: str) -> Seated:
        secrets = await self.io(self.store.secrets(room_id))
        if not tokens.matches(invite, secrets.get("invite")):
            raise Refused(ErrorCode.JOIN_FAILED, FAILED)
        return await self.take_seat(room_id, name)

    async def take_seat(self, room_id: str, name: str, spent: str | None = None) -> Seated:
        sealed = False

        def step(state: State) -> tuple[State, tuple[Event, ...]]:
            nonlocal sealed
            if state.room.seats[1].joined:
                raise Refused(ErrorCode.SEAT_TAKEN, "The second seat is already taken.")
            now = self.clock()
            joined = apply(state.room, None, Join(), now=now)
            named = apply(joined.room, 1, SetName(name), now=now)
            sealed = self.is_sealed(state)
            return replace(state, room=named.room), joined.events + named.events

        # The seat, its token and the secrets the join uses up (the open invite, an
        # admission: ``spent``) are one commit: written apart, a failure between them
        # left a taken seat that nobody could resume. Only the winning joiner's commit
        # applies, so only its token is kept.
        token = tokens.new_secret()
        secrets: dict[str, str | None] = {"seat1": tokens.digest(token), OPEN_INVITE: None}
        if spent is not None:
            secrets[spent] = None
        applied = await self.change(room_id, step, secrets)
        return Seated(room_id, 1, token, applied.room, sealed=sealed)


__all__ = ["Applied", "Created", "Duplicate", "Seated", "Service"]
