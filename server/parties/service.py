"""Party rooms on a store: load -> apply_party -> commit (compare-and-set), then the
tables follow (open, close, host settings, ticks). Knows nothing of Starlette.

A party's own state is one blob at room id "CODE/party"; each table is an ordinary
couple room at "CODE/t7" (same hash tag, keys of its own, so tables never contend on
one key). The host's layer reaches every table through ``HostSettings``, one
compare-and-set per table, *before* the host's action is acknowledged: once the host
has seen a pause acknowledged, no table accepts a card action.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from decks.loader import load_deck
from game import Deck, GameError, RuleViolation, apply, new_room
from game import ErrorCode as GameCode
from game import party as p
from game.actions import HostSettings, Join, Ready, SetLanguage, SetName, Tick
from server import logs, tokens
from server.errors import ErrorCode, Refused, StoreUnavailable, Unchanged
from server.parties.decks import DeckBook, DeckRejected
from server.rooms.service import Service
from server.store.base import Snapshot
from server.wire import broker
from server.wire.blob import State, decode_party, encode_party, encode_state

log = logs.get("party")
PARTY_TABLE = "party"  # "CODE/party" holds the party itself
MAX_DECK_BYTES = 1024 * 1024
COMMIT_RETRIES = 60  # one key for a whole party's joins: contention is expected
# A guest who is gone: the event, and the code their token then gets (kept as its mark).
GONE = {"guest_removed": p.PartyCode.REMOVED, "guest_left": p.PartyCode.LEFT}
FAN_OUT = 128  # tables changed at once
OPENING_WAITS = 40  # x 50 ms: how long a host's change waits for a table being opened


def blob_id(code: str) -> str:
    return f"{code}/{PARTY_TABLE}"


def table_room(code: str, table: str) -> str:
    return f"{code}/{table}"


@dataclass(frozen=True, slots=True)
class PartyCreated:
    code: str
    host_token: str
    display_key: str
    party: p.Party


@dataclass(frozen=True, slots=True)
class HostClaim:
    """What a co-host receives: a host token and a display key of their own."""

    token: str
    display_key: str


class PartyService:
    def __init__(self, service: Service, clock: Callable[[], float] = time.time) -> None:
        self.service = service
        self.store = service.store
        self.settings = service.settings
        self.clock = clock
        book = service.decks
        self.decks = book if isinstance(book, DeckBook) else DeckBook(book)
        service.decks = self.decks
        self.decks.on_miss = self._deck_missed
        self._locks: dict[str, asyncio.Lock] = {}
        self._fetching: dict[str, asyncio.Task[None]] = {}

    # storage --------------------------------------------------------------------------
    async def load(self, code: str) -> p.Party | None:
        snap = await self.service.io(self.store.load(blob_id(code)))
        return None if snap is None else decode_party(snap.blob)

    async def secrets(self, code: str) -> dict[str, str]:
        return await self.service.io(self.store.secrets(blob_id(code)))

    async def _secret(self, code: str, key: str, value: str | None) -> None:
        ttl = self.settings.room_ttl
        await self.service.io(self.store.set_secret(blob_id(code), key, value, ttl))

    # creating -------------------------------------------------------------------------
    async def create(self, deck_id: str) -> PartyCreated:
        deck = self.decks.get(deck_id)
        if deck is None:
            raise GameError(GameCode.LOBBY_UNKNOWN_DECK, "no such deck")
        for _ in range(20):
            code = tokens.new_code()
            seed = random.SystemRandom().getrandbits(63)
            party = p.new_party(code, deck.id, len(deck.levels), seed=seed)
            host, display = tokens.new_secret(), tokens.new_secret()
            secrets = {"host": tokens.digest(host), "display": tokens.digest(display)}
            snap = Snapshot(0, encode_party(party))
            ttl = self.settings.room_ttl
            if await self.service.io(self.store.create(blob_id(code), snap, secrets, ttl)):
                return PartyCreated(code, host, display, party)
        raise Refused(ErrorCode.STORE_BUSY, "Could not find a free party code.")

    # changing -------------------------------------------------------------------------
    async def change(
        self, code: str, actor: str, action: p.PartyAction, *, epoch: int | None = None
    ) -> p.PartyOutcome:
        """Apply ``action`` with compare-and-set, then bring the tables along. A host
        console from before a handover (``epoch`` behind) is refused atomically."""
        lock = self._locks.setdefault(code, asyncio.Lock())
        async with lock:  # one writer per party per process: fewer conflicts
            out = await self._commit(code, actor, action, epoch)
        if not lock.locked():
            self._locks.pop(code, None)
        await self.follow(code, out)
        return out

    async def _commit(
        self, code: str, actor: str, action: p.PartyAction, epoch: int | None
    ) -> p.PartyOutcome:
        io = self.service.io
        for attempt in range(COMMIT_RETRIES):
            snap = await io(self.store.load(blob_id(code)))
            if snap is None:
                raise Refused(ErrorCode.ROOM_GONE, "This party no longer exists.")
            party = decode_party(snap.blob)
            if epoch is not None and party.host_epoch != epoch:
                raise p.PartyViolation(p.PartyCode.NOT_HOST)
            out = p.apply_party(party, actor, action, now=self.clock())
            blob = Snapshot(out.party.version, encode_party(out.party))
            nonce = tokens.new_secret()[:12]  # see broker.Commit: the store knows it by it
            record = broker.encode(broker.Commit(out.party.version, (), nonce))
            ttl = self._ttl(out.party)
            if await io(self.store.commit(blob_id(code), snap.version, blob, record, ttl)):
                return out
            await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        raise Refused(ErrorCode.STORE_BUSY, "The party is busy; retry.")

    async def _publish(self, room_id: str, message: broker.BrokerMessage) -> None:
        """Through the store's broker, to every instance (this one too): best effort."""
        with contextlib.suppress(StoreUnavailable):
            await self.store.publish(room_id, broker.encode(message))

    def _ttl(self, party: p.Party) -> float:
        return self.settings.ended_room_ttl if party.ended else self.settings.room_ttl

    # the tables follow the party ------------------------------------------------------
    async def follow(self, code: str, out: p.PartyOutcome) -> None:
        names = {e.name for e in out.events}
        closing = [e.data["table"] for e in out.events if e.name == "table_closed"]
        opening = [e.data["table"] for e in out.events if e.name == "table_opened"]
        await _gather(self.close_table(code, t) for t in closing)
        await _gather(self.open_table(code, out.party, t) for t in opening)
        if "settings_changed" in names:
            await self.sync_tables(code, out.party)
        if "round_ended" in names:
            await self.tick_tables(code, out.party)
        for e in out.events:
            if e.name in GONE:
                await self._mark_gone(code, e.data["guest"], GONE[e.name])
            elif e.name == "host_handed":
                await self._secret(code, "host", None)  # the old console's token ends

    async def open_table(self, code: str, party: p.Party, table_id: str) -> None:
        table = party.table(table_id)
        deck = self.decks.get(party.deck)
        if table is None or deck is None:
            return
        room_id = table_room(code, table_id)
        a, b = party.guest(table.guests[0]), party.guest(table.guests[1])
        lang_a = a.language if a.language in deck.languages else deck.default_language
        now = self.clock()
        seed = random.SystemRandom().getrandbits(63)
        room = new_room(room_id, deck, seed=seed, language=lang_a)
        steps: list[tuple[int | None, Any]] = [(None, Join()), (0, SetName(a.name)),
                                              (1, SetName(b.name))]  # fmt: skip
        if b.language in deck.languages and b.language != room.seats[1].language:
            steps.append((1, SetLanguage(b.language)))
        steps += [(0, Ready()), (1, Ready()), (None, HostSettings(*p.host_layer(party)))]
        for seat, action in steps:  # a table starts playing at once: the host chose the deck
            room = apply(room, seat, action, now=now).room
        # Sealed (issue 20): its two guests agree on its key through the table's socket
        # ("kx", relayed); the host and the display never hold one (docs/security.md).
        snap = Snapshot(room.version, encode_state(State(room, sealed=self.settings.sealed_texts)))
        ttl = self.settings.room_ttl
        await self.service.io(self.store.create(room_id, snap, {"party": code}, ttl))
        # The host's layer may have changed while this table was being set: whoever
        # changed it found no room here yet, so the new table catches up by itself.
        fresh = await self.load(code)
        if fresh is not None and p.host_layer(fresh) != p.host_layer(party):
            await self.sync_table(code, table_id)

    async def close_table(self, code: str, table_id: str) -> None:
        room_id = table_room(code, table_id)
        await self.service.io(self.store.delete(room_id))
        await self._publish(room_id, broker.Deleted())

    async def sync_tables(self, code: str, party: p.Party | None = None) -> None:
        """Give every table the party's current layer; repeat until a whole pass saw no
        newer layer, so concurrent changes converge on the latest."""
        for _ in range(5):
            party = party or await self.load(code)
            if party is None:
                return
            layer = p.host_layer(party)
            await _gather(self.sync_table(code, t.id, layer) for t in party.tables)
            fresh = await self.load(code)
            if fresh is None or p.host_layer(fresh) == layer:
                return
            party = fresh

    async def sync_table(
        self, code: str, table_id: str, layer: tuple[int | None, bool, float | None] | None = None
    ) -> None:
        if layer is None:
            party = await self.load(code)
            if party is None:
                return
            layer = p.host_layer(party)
        settings = HostSettings(*layer)

        def step(state: State) -> tuple[State, tuple[Any, ...]]:
            room = state.room
            if (room.level_cap, room.host_paused, room.round_deadline) == layer:
                raise Unchanged
            out = apply(room, None, settings, now=self.clock())
            return State(out.room, state.acts, state.sealed), out.events

        # A table still being opened by another request has no room yet: wait for it,
        # so the host's ack still means every table carries the layer.
        for _ in range(OPENING_WAITS):
            if await self._table_change(table_room(code, table_id), step):
                return
            party = await self.load(code)
            if party is None or party.table(table_id) is None:
                return  # closed meanwhile
            await asyncio.sleep(0.05)

    async def tick_tables(self, code: str, party: p.Party) -> None:
        def step(state: State) -> tuple[State, tuple[Any, ...]]:
            out = apply(state.room, None, Tick(), now=self.clock())
            return State(out.room, state.acts, state.sealed), out.events

        await _gather(self._table_change(table_room(code, t.id), step) for t in party.tables)

    async def _table_change(
        self, room_id: str, step: Callable[[State], tuple[State, tuple[Any, ...]]]
    ) -> bool:
        """Apply ``step`` to a table; False when its room does not exist (yet)."""
        try:
            await self.service.change(room_id, step)  # the broker carries it to the seats
        except (Unchanged, RuleViolation):
            return True  # already there, or nothing due (a second tick): harmless
        except Refused as exc:
            if exc.code is ErrorCode.ROOM_GONE:
                return False
            raise
        return True

    async def tick(self, code: str) -> bool:
        """Fire the round's deadline; False when another process already did."""
        try:
            await self.change(code, p.SYSTEM, p.PartyTick())
        except p.PartyViolation:
            return False
        return True

    # guests, hosts, displays ----------------------------------------------------------
    async def join(self, code: str, name: str, language: str) -> tuple[str, str, p.Party]:
        out = await self.change(code, p.SYSTEM, p.AddGuest(name, language))
        guest = next(e.data["guest"] for e in out.events if e.name == "guest_joined")
        token = f"{guest}.{tokens.new_secret()}"
        await self._secret(code, f"g:{guest}", tokens.digest(token))
        return guest, token, out.party

    async def guest_for(self, code: str, token: str) -> str | None:
        """The guest ``token`` belongs to; None for a wrong one. The token of a guest who
        was removed or left is refused with its own code, so their page can say so."""
        guest = token.partition(".")[0]
        stored = (await self.secrets(code)).get(f"g:{guest}")
        mark, _, digest = (stored or "").rpartition(":")
        if not tokens.matches(token, digest):
            return None
        if mark:
            raise p.PartyViolation(p.PartyCode(mark))
        return guest

    async def _mark_gone(self, code: str, guest: str, mark: p.PartyCode) -> None:
        """Keep a gone guest's token digest, marked: their token now says why it fails."""
        stored = (await self.secrets(code)).get(f"g:{guest}")
        if stored is not None and ":" not in stored:
            await self._secret(code, f"g:{guest}", f"{mark.value}:{stored}")

    async def role_for(self, code: str, role: str, token: str) -> bool:
        """Whether ``token`` is the host token (role "host") or a display key (the
        creator's, or one a co-host was given)."""
        secrets = await self.secrets(code)
        if role == "host":
            return tokens.matches(token, secrets.get("host"))
        keys = [v for k, v in secrets.items() if k == "display" or k.startswith("display:")]
        return any(tokens.matches(token, key) for key in keys)

    async def seat(self, code: str, guest_id: str) -> tuple[str, int, str]:
        """A fresh seat token for the guest's table (its room may still be opening)."""
        for _ in range(40):
            party = await self.load(code)
            if party is None:
                raise Refused(ErrorCode.ROOM_GONE, "This party no longer exists.")
            guest = party.guest(guest_id)
            if guest.table is None:
                raise p.PartyViolation(p.PartyCode.NOBODY_TO_PAIR)
            room_id = table_room(code, guest.table)
            if await self.service.io(self.store.load(room_id)) is not None:
                token = tokens.new_secret()
                secret = tokens.digest(token)
                ttl = self.settings.room_ttl
                await self.service.io(
                    self.store.set_secret(room_id, f"seat{guest.seat}", secret, ttl)
                )
                return room_id, guest.seat, token
            await asyncio.sleep(0.05)
        raise Refused(ErrorCode.STORE_BUSY, "The table is still opening; retry.")

    async def claim_host(self, code: str, guest_id: str) -> HostClaim:
        """The co-host the host role was handed to takes the console, and a display key
        of their own (the creator's display keeps working)."""
        party = await self.load(code)
        if party is None or party.host != guest_id:
            raise p.PartyViolation(p.PartyCode.NOT_HOST)
        token, display = tokens.new_secret(), tokens.new_secret()
        await self._secret(code, "host", tokens.digest(token))
        await self._secret(code, f"display:{party.host_epoch}", tokens.digest(display))
        return HostClaim(token, display)

    # decks ----------------------------------------------------------------------------
    async def upload_deck(self, code: str, raw: bytes) -> Deck | DeckRejected:
        """Check a host's deck like any deck file; on success the party uses it."""
        result = load_deck(raw, source="upload")
        if result.deck is None:
            problems = [dataclasses.asdict(result.locate(pr)) for pr in result.errors]
            return DeckRejected(problems)
        deck = dataclasses.replace(result.deck, id=f"{code}~{result.deck.id}")
        await self._secret(code, f"deck:{deck.id}", raw.decode("utf-8"))
        self.decks.uploaded[deck.id] = deck
        await self._publish(blob_id(code), broker.PartyDeck(deck.id))
        await self.change(code, p.HOST, p.ChooseDeck(deck.id, len(deck.levels)))
        return deck

    def _deck_missed(self, deck_id: str) -> None:
        if deck_id in self._fetching:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        code = deck_id.partition("~")[0]
        task = loop.create_task(self._fetch(code, deck_id))
        self._fetching[deck_id] = task
        task.add_done_callback(lambda _: self._fetching.pop(deck_id, None))

    async def _fetch(self, code: str, deck_id: str) -> None:
        try:
            await self.ensure_deck(code, deck_id)
        except (Refused, StoreUnavailable):
            pass  # the next miss tries again
        except Exception:
            log.exception("could not load an uploaded deck")

    async def ensure_deck(self, code: str, deck_id: str) -> None:
        """Load a party's uploaded deck into this process (another may have taken it)."""
        if deck_id in self.decks or not deck_id.startswith(f"{code}~"):
            return
        raw = (await self.secrets(code)).get(f"deck:{deck_id}")
        if raw is None:
            return
        result = load_deck(raw, source="upload")
        if result.deck is not None:
            self.decks.uploaded[deck_id] = dataclasses.replace(result.deck, id=deck_id)


async def _gather(calls: Iterator[Any]) -> None:
    """Run coroutines at most ``FAN_OUT`` at a time; the first failure is raised."""
    gate = asyncio.Semaphore(FAN_OUT)

    async def one(call: Any) -> None:
        async with gate:
            await call

    results = await asyncio.gather(*(one(c) for c in calls), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
