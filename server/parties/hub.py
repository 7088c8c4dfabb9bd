"""Party fan-out on one instance: which local sockets watch which party (as host,
display or guest), and what each is sent when the party or one of its tables changes.

Host and display get one full ``party`` snapshot on connect, then ``party_delta``
messages holding only what changed: one table's entry when a table changes, so the
bytes per table change do not grow with the number of tables. Each table's entry is its
membership (the host's only) plus ``table_summary`` (level, progress, "needs a moment");
nothing else of a table ever reaches a host or a display.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from game import party as p
from server import logs
from server.errors import CloseCode, Refused, StoreUnavailable
from server.parties.service import PartyService, table_room
from server.store.base import Snapshot
from server.wire import broker

log = logs.get("party")
TICK_EVERY = 0.2  # seconds between looks at round deadlines
# The roles sent each table's ``table_summary``: the console, and the big screen (which
# sees it without the table's guests).
SEES_TABLES = frozenset({"host", "display"})


class Outlet(Protocol):
    """A socket as a party sees it (``fanout.Conn`` is one): parties never import the
    fan-out, they are handed its sockets."""

    def push(self, message: Mapping[str, object]) -> bool: ...

    def shut(self, code: int, *, force: bool = False) -> None: ...


@dataclass(eq=False, slots=True)
class Watch:
    """One socket watching a party."""

    conn: Outlet
    code: str
    role: str  # "host", "display" or "guest"
    guest: str | None = None
    epoch: int = 0  # the host epoch this console was opened in
    last: dict[str, Any] | None = None  # the last guest view sent
    leaving: bool = False  # this guest asked to leave: their socket closes after the ack


@dataclass(slots=True)
class Watched:
    """What this instance knows of one watched party."""

    party: p.Party
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # role -> last view


class PartyHub:
    def __init__(self, parties: PartyService) -> None:
        self.parties = parties
        self.watches: dict[str, set[Watch]] = {}
        self.known: dict[str, Watched] = {}
        self.ticked: set[tuple[str, int]] = set()

    # watching ------------------------------------------------------------------------
    async def watch(self, watch: Watch) -> None:
        """Register first, then load: a change committed meanwhile is either seen by
        the load or delivered to the registered watch, never lost between the two."""
        self.watches.setdefault(watch.code, set()).add(watch)
        party = await self.parties.load(watch.code)
        if party is None:
            return
        await self.parties.ensure_deck(party.id, party.deck)
        known = await self._advance(party)
        if watch.role == "guest":
            self._send_guest(watch, known.party)
            return
        if watch.role in SEES_TABLES:
            await self._load_summaries(watch.code, known, [t.id for t in known.party.tables])
        self._send_deltas(watch.code, known, skip=watch)  # the others catch up first
        view = self._role_view(known, watch.role)
        known.sent[watch.role] = view
        watch.conn.push({"t": "party", "role": watch.role, "version": known.party.version,
                         "view": view})  # fmt: skip

    def unwatch(self, watch: Watch) -> None:
        group = self.watches.get(watch.code)
        if group is None:
            return
        group.discard(watch)
        if not group:
            del self.watches[watch.code]
            self.known.pop(watch.code, None)

    def _role_view(self, known: Watched, role: str) -> dict[str, Any]:
        if role == "display":
            view = p.display_view(known.party)
        else:
            view = p.host_view(known.party)
            deck = self.parties.decks.get(known.party.deck)
            # The console names the deck, an uploaded one too (it is not in /api/decks).
            view["meta"]["deck_title"] = None if deck is None else dict(deck.title)
        for tid, entry in view["tables"].items():
            entry.update(known.summaries.get(tid, {}))
        return view

    async def _load_summaries(self, code: str, known: Watched, tables: list[str]) -> None:
        missing = [t for t in tables if t not in known.summaries]
        rooms = await asyncio.gather(
            *(self.parties.service.load(table_room(code, t)) for t in missing),
            return_exceptions=True,
        )
        for tid, state in zip(missing, rooms, strict=True):
            if state is not None and not isinstance(state, BaseException):
                known.summaries[tid] = p.table_summary(state.room)

    async def _advance(self, party: p.Party) -> Watched:
        """Take ``party`` as the newest known version and tell every local watcher."""
        code = party.id
        known = self.known.get(code)
        if known is None:
            known = self.known[code] = Watched(party)
            return known
        if known.party.version >= party.version:
            return known
        known.party = party
        live = {t.id for t in party.tables}
        for tid in [t for t in known.summaries if t not in live]:
            del known.summaries[tid]
        if any(w.role in SEES_TABLES for w in self.watches.get(code, ())):
            await self._load_summaries(code, known, sorted(live))
        self._send_deltas(code, known)
        for watch in list(self.watches.get(code, ())):
            if watch.role == "guest":
                self._send_guest(watch, known.party)
            elif watch.role == "host" and watch.epoch != known.party.host_epoch:
                watch.conn.push({"t": "party_closed", "reason": "host_handed"})
                watch.conn.shut(CloseCode.REPLACED)
        return known

    # the broker -----------------------------------------------------------------------
    async def on_bus(
        self, room_id: str, message: broker.BrokerMessage, snapshot: Snapshot | None = None
    ) -> None:
        """Every broker message of this instance (a listener of ``fanout.Hub``);
        ``snapshot`` is the state a commit wrote, when its message carried it."""
        code, _, rest = room_id.partition("/")
        if not rest:
            return
        if isinstance(message, broker.PartyDeck):
            await self.parties.ensure_deck(code, message.deck)
        if code not in self.watches or not isinstance(message, broker.Commit):
            return
        version = message.version
        try:
            if rest == "party":
                known = self.known.get(code)
                if known is None or known.party.version < version:
                    party = await self.parties.load(code)
                    if party is not None and code in self.watches:
                        await self._advance(party)
            else:
                await self._table_changed(code, rest, version, snapshot)
        except (Refused, StoreUnavailable):
            pass  # the consoles resync when they reconnect

    async def _table_changed(
        self, code: str, table: str, version: int, snapshot: Snapshot | None
    ) -> None:
        known = self.known.get(code)
        watchers = any(w.role in SEES_TABLES for w in self.watches.get(code, ()))
        if known is None or not watchers or known.party.table(table) is None:
            return
        state = await self.parties.service.committed(table_room(code, table), snapshot)
        if state is None or state.room.version < version:
            return
        summary = p.table_summary(state.room)
        if known.summaries.get(table) == summary:
            return  # nothing a host may see has changed
        known.summaries[table] = summary
        self._send_deltas(code, known)

    def _send_deltas(self, code: str, known: Watched, skip: Watch | None = None) -> None:
        roles = {w.role for w in self.watches.get(code, ())} - {"guest"}
        for role in roles:
            view = self._role_view(known, role)
            change = p.diff(known.sent.get(role), view)
            known.sent[role] = view
            if change is None or change.get("full"):
                continue  # the first view was sent whole on connect
            message = {"t": "party_delta", "version": known.party.version, **change}
            for watch in self.watches.get(code, ()):
                if watch.role == role and watch is not skip:
                    watch.conn.push(message)

    def _send_guest(self, watch: Watch, party: p.Party) -> None:
        assert watch.guest is not None
        view = p.guest_view(party, watch.guest)
        if view == watch.last:
            return
        watch.last = view
        watch.conn.push({"t": "party", "role": "guest", "version": party.version, "view": view})
        if view["removed"] and not watch.leaving:
            watch.conn.shut(CloseCode.DELETED)

    # round deadlines ------------------------------------------------------------------
    async def run_timers(self) -> None:
        """Fire passed round deadlines of the parties watched here. Any number of
        processes may do it at once: the party's tick and every table's tick are
        harmless twice."""
        while True:
            await asyncio.sleep(TICK_EVERY)
            now = time.time()
            for code, known in list(self.known.items()):
                party = known.party
                due = party.round_deadline is not None and now >= party.round_deadline
                if not due or (code, party.round_no) in self.ticked:
                    continue
                self.ticked.add((code, party.round_no))
                try:
                    if not await self.parties.tick(code):
                        # another process fired the party's deadline; the tables'
                        # ticks are harmless twice, so make sure they happened
                        await self.parties.tick_tables(code, party)
                except (Refused, StoreUnavailable):
                    self.ticked.discard((code, party.round_no))  # try again shortly
                except Exception:
                    log.exception("could not fire a round's deadline")
