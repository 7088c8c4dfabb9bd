"""Party rooms: many couples, each at its own table, steered by a host. Pure.

A party holds its guests, which pairs sit at which table, and the host's layer (deck,
level cap, pause of all tables, timed rounds, lock, who holds the host role). Each table
IS a couple ``Room`` played under ``game.rules``; the party never plays cards itself. Its
events tell the shell which tables to open or close and when the host's layer changed,
so the shell can apply ``HostSettings`` / ``Tick`` to every table.

``apply_party(party, actor, action, now=...)`` returns a ``PartyOutcome`` or raises
``PartyViolation``. ``actor`` is ``HOST`` (whoever holds the host console), ``SYSTEM``
(the server itself: admissions, ticks) or a guest id. Views never hold a table's typed
answers, who passed, or boundaries: a host learns only each table's level, progress and
whether it "needs a moment" (paused, without saying by whom).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, ClassVar

from game import dealing
from game.model import Phase, Room

HOST = "@host"
SYSTEM = "@system"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PAIR_CODE_LENGTH = 4
MAX_GUESTS = 400
MAX_ROUND_SECONDS = 3 * 3600
FORMAT = 1


class PartyCode(StrEnum):
    NOT_HOST = "party/not_host"
    NOT_GUEST = "party/not_guest"
    LOCKED = "party/locked"
    FULL = "party/full"
    ENDED = "party/ended"
    UNKNOWN_GUEST = "party/unknown_guest"
    UNKNOWN_PAIR_CODE = "party/unknown_pair_code"
    ALREADY_PAIRED = "party/already_paired"
    SAME_GUEST = "party/same_guest"
    MIXER_ONLY_HOST = "party/mixer_host_pairs"
    NOBODY_TO_PAIR = "party/nobody_to_pair"
    ROUND_RUNNING = "party/round_running"
    ROUNDS_OFF = "party/rounds_off"
    BAD_CAP = "party/bad_cap"
    BAD_VALUE = "party/bad_value"
    NOT_PAUSED = "party/not_paused"
    ALREADY_PAUSED = "party/already_paused"
    IS_HOST = "party/is_host"
    NOTHING_DUE = "party/nothing_due"


class PartyViolation(Exception):
    """The action is not allowed now (or not for this actor). Nothing changed."""

    def __init__(self, code: PartyCode) -> None:
        super().__init__(code.value)
        self.code = code


# model ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Guest:
    id: str
    name: str
    language: str = "en"
    table: str | None = None
    seat: int = 0
    looking: bool = False  # waiting at the "looking for a partner" table
    pair_code: str | None = None  # a code this guest made for their partner to enter


@dataclass(frozen=True, slots=True)
class Table:
    id: str
    guests: tuple[str, str]  # seat 0, seat 1


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    seed: int
    deck: str
    deck_levels: int
    version: int = 0
    guests: tuple[Guest, ...] = ()
    tables: tuple[Table, ...] = ()
    next_guest: int = 1
    next_table: int = 1
    mixer: bool = False  # the host pairs guests; they do not pair themselves
    level_cap: int | None = None
    paused: bool = False
    locked: bool = False
    ended: bool = False
    round_seconds: int | None = None  # timed rounds; None: off (the default)
    round_no: int = 0
    round_deadline: float | None = None
    round_fired: bool = False
    host: str | None = None  # the guest holding the host role (a co-host); None: creator
    host_epoch: int = 0  # bumped at each handover: older host consoles stop working

    def guest(self, guest_id: str) -> Guest:
        for g in self.guests:
            if g.id == guest_id:
                return g
        raise PartyViolation(PartyCode.UNKNOWN_GUEST)

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)

    @property
    def round_running(self) -> bool:
        return self.round_deadline is not None and not self.round_fired


@dataclass(frozen=True, slots=True)
class PartyEvent:
    name: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PartyOutcome:
    party: Party
    events: tuple[PartyEvent, ...]


def new_party(party_id: str, deck_id: str, deck_levels: int, *, seed: int) -> Party:
    return Party(id=party_id, seed=seed, deck=deck_id, deck_levels=deck_levels)


# actions --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PartyAction:
    name: ClassVar[str] = ""
    by: ClassVar[str] = HOST  # HOST, SYSTEM, or "guest"


@dataclass(frozen=True, slots=True)
class AddGuest(PartyAction):
    name: ClassVar[str] = "add_guest"
    by: ClassVar[str] = SYSTEM
    guest_name: str
    language: str = "en"


@dataclass(frozen=True, slots=True)
class MakePairCode(PartyAction):
    name: ClassVar[str] = "make_pair_code"
    by: ClassVar[str] = "guest"


@dataclass(frozen=True, slots=True)
class EnterPairCode(PartyAction):
    name: ClassVar[str] = "enter_pair_code"
    by: ClassVar[str] = "guest"
    code: str


@dataclass(frozen=True, slots=True)
class LookForPartner(PartyAction):
    name: ClassVar[str] = "look_for_partner"
    by: ClassVar[str] = "guest"


@dataclass(frozen=True, slots=True)
class SetMixer(PartyAction):
    name: ClassVar[str] = "set_mixer"
    on: bool


@dataclass(frozen=True, slots=True)
class PairGuests(PartyAction):
    name: ClassVar[str] = "pair_guests"
    first: str  # (not "a": that is the wire's action name)
    second: str


@dataclass(frozen=True, slots=True)
class Mix(PartyAction):
    """Pair at random from the seed: unpaired guests, or with ``everyone`` all guests
    (re-pairing between rounds: every table closes and new ones open)."""

    name: ClassVar[str] = "mix"
    everyone: bool = False


@dataclass(frozen=True, slots=True)
class ChooseDeck(PartyAction):
    """For tables opened from now on (the shell checked the deck exists)."""

    name: ClassVar[str] = "choose_deck"
    deck: str
    levels: int


@dataclass(frozen=True, slots=True)
class SetLevelCap(PartyAction):
    name: ClassVar[str] = "set_level_cap"
    cap: int | None


@dataclass(frozen=True, slots=True)
class SetRounds(PartyAction):
    name: ClassVar[str] = "set_rounds"
    seconds: int | None


@dataclass(frozen=True, slots=True)
class StartRound(PartyAction):
    name: ClassVar[str] = "start_round"


@dataclass(frozen=True, slots=True)
class PauseAll(PartyAction):
    name: ClassVar[str] = "pause_all"


@dataclass(frozen=True, slots=True)
class ResumeAll(PartyAction):
    name: ClassVar[str] = "resume_all"


@dataclass(frozen=True, slots=True)
class Lock(PartyAction):
    name: ClassVar[str] = "lock"
    on: bool


@dataclass(frozen=True, slots=True)
class RemoveGuest(PartyAction):
    name: ClassVar[str] = "remove_guest"
    guest: str


@dataclass(frozen=True, slots=True)
class HandHost(PartyAction):
    name: ClassVar[str] = "hand_host"
    guest: str


@dataclass(frozen=True, slots=True)
class EndParty(PartyAction):
    name: ClassVar[str] = "end_party"


@dataclass(frozen=True, slots=True)
class PartyTick(PartyAction):
    """Fires a passed round deadline once; running it twice finds nothing due."""

    name: ClassVar[str] = "tick"
    by: ClassVar[str] = SYSTEM


# the reducer ----------------------------------------------------------------------------
Result = tuple[Party, list[PartyEvent]]


def apply_party(party: Party, actor: str, action: PartyAction, *, now: float) -> PartyOutcome:
    if party.ended:
        raise PartyViolation(PartyCode.ENDED)
    _check_actor(party, actor, action)
    new, events = _EFFECTS[action.name](party, actor, action, now)
    return PartyOutcome(replace(new, version=party.version + 1), tuple(events))


def _check_actor(party: Party, actor: str, action: PartyAction) -> None:
    if action.by == HOST and actor != HOST:
        raise PartyViolation(PartyCode.NOT_HOST)
    if action.by == SYSTEM and actor != SYSTEM:
        raise PartyViolation(PartyCode.NOT_HOST)
    if action.by == "guest":
        if actor in (HOST, SYSTEM):
            raise PartyViolation(PartyCode.NOT_GUEST)
        party.guest(actor)  # raises for an unknown (or removed) guest


def _add_guest(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, AddGuest)
    if party.locked:
        raise PartyViolation(PartyCode.LOCKED)
    if len(party.guests) >= MAX_GUESTS:
        raise PartyViolation(PartyCode.FULL)
    guest = Guest(id=f"g{party.next_guest}", name=action.guest_name, language=action.language)
    party = replace(party, guests=(*party.guests, guest), next_guest=party.next_guest + 1)
    joined = [PartyEvent("guest_joined", {"guest": guest.id})]
    waiting = any(g.looking for g in party.guests)
    if party.mixer and waiting:  # the host pairs; someone left alone is paired on arrival
        party, opened = _seek_partner(party, guest.id)
        return party, joined + opened
    return party, joined


def _make_pair_code(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    me = _unpaired(party, actor)
    if party.mixer:
        raise PartyViolation(PartyCode.MIXER_ONLY_HOST)
    taken = {g.pair_code for g in party.guests}
    rng = random.Random(f"{party.seed}:code:{party.version}")
    code = _code(rng)
    while code in taken:
        code = _code(rng)
    return _with_guest(party, replace(me, pair_code=code, looking=False)), []


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(PAIR_CODE_LENGTH))


def _enter_pair_code(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, EnterPairCode)
    me = _unpaired(party, actor)
    if party.mixer:
        raise PartyViolation(PartyCode.MIXER_ONLY_HOST)
    code = action.code.strip().upper()
    partner = next((g for g in party.guests if g.pair_code == code and code), None)
    if partner is None or partner.table is not None:
        raise PartyViolation(PartyCode.UNKNOWN_PAIR_CODE)
    if partner.id == me.id:
        raise PartyViolation(PartyCode.SAME_GUEST)
    return _open_table(party, partner.id, me.id)


def _look(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    me = _unpaired(party, actor)
    return _seek_partner(_with_guest(party, replace(me, looking=True, pair_code=None)), me.id)


def _seek_partner(party: Party, guest_id: str) -> Result:
    """Pair ``guest_id`` (now looking) with whoever has waited longest, if anyone."""
    waiting = next((g for g in party.guests if g.looking and g.id != guest_id), None)
    if waiting is None:
        return party, [PartyEvent("looking", {"guest": guest_id})]
    return _open_table(party, waiting.id, guest_id)


def _set_mixer(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, SetMixer)
    guests = (
        party.guests if not action.on else tuple(replace(g, pair_code=None) for g in party.guests)
    )
    return replace(party, mixer=action.on, guests=guests), []


def _pair_guests(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, PairGuests)
    if action.first == action.second:
        raise PartyViolation(PartyCode.SAME_GUEST)
    a, b = _unpaired(party, action.first), _unpaired(party, action.second)
    return _open_table(party, a.id, b.id)


def _mix(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, Mix)
    events: list[PartyEvent] = []
    if action.everyone:
        if party.round_running:
            raise PartyViolation(PartyCode.ROUND_RUNNING)  # re-pair between rounds only
        for table in party.tables:
            party, closed = _close_table(party, table.id, look=False)
            events += closed
    pool = [g.id for g in party.guests if g.table is None]
    if len(pool) < 2:
        raise PartyViolation(PartyCode.NOBODY_TO_PAIR)
    random.Random(f"{party.seed}:mix:{party.version}").shuffle(pool)
    for a, b in zip(pool[0::2], pool[1::2], strict=False):
        party, opened = _open_table(party, a, b)
        events += opened
    if len(pool) % 2:  # the odd one out waits for the next arrival
        alone = party.guest(pool[-1])
        party = _with_guest(party, replace(alone, looking=True, pair_code=None))
        events.append(PartyEvent("looking", {"guest": alone.id}))
    return party, events


def _choose_deck(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, ChooseDeck)
    if action.levels < 1:
        raise PartyViolation(PartyCode.BAD_VALUE)
    cap = party.level_cap
    cap = None if cap is None else min(cap, action.levels - 1)
    party = replace(party, deck=action.deck, deck_levels=action.levels, level_cap=cap)
    return party, [PartyEvent("settings_changed")]


def _set_level_cap(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, SetLevelCap)
    if action.cap is not None and not 0 <= action.cap < party.deck_levels:
        raise PartyViolation(PartyCode.BAD_CAP)
    return replace(party, level_cap=action.cap), [PartyEvent("settings_changed")]


def _set_rounds(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, SetRounds)
    if action.seconds is not None and not 10 <= action.seconds <= MAX_ROUND_SECONDS:
        raise PartyViolation(PartyCode.BAD_VALUE)
    if action.seconds is None and party.round_deadline is not None:
        party = replace(party, round_deadline=None, round_fired=False)
        return replace(party, round_seconds=None), [PartyEvent("settings_changed")]
    return replace(party, round_seconds=action.seconds), []


def _start_round(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    if party.round_seconds is None:
        raise PartyViolation(PartyCode.ROUNDS_OFF)
    if party.round_running:
        raise PartyViolation(PartyCode.ROUND_RUNNING)
    deadline = now + party.round_seconds
    party = replace(party, round_no=party.round_no + 1, round_deadline=deadline, round_fired=False)
    return party, [
        PartyEvent("round_started", {"round": party.round_no}),
        PartyEvent("settings_changed"),
    ]


def _pause_all(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    if party.paused:
        raise PartyViolation(PartyCode.ALREADY_PAUSED)
    return replace(party, paused=True), [PartyEvent("settings_changed")]


def _resume_all(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    if not party.paused:
        raise PartyViolation(PartyCode.NOT_PAUSED)
    return replace(party, paused=False), [PartyEvent("settings_changed")]


def _lock(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, Lock)
    return replace(party, locked=action.on), []


def _remove_guest(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, RemoveGuest)
    gone = party.guest(action.guest)
    if party.host == gone.id:
        raise PartyViolation(PartyCode.IS_HOST)
    events: list[PartyEvent] = []
    partner: str | None = None
    if gone.table is not None:
        table = party.table(gone.table)
        assert table is not None
        partner = next(g for g in table.guests if g != gone.id)
        party, events = _close_table(party, gone.table, look=False)
    party = replace(party, guests=tuple(g for g in party.guests if g.id != gone.id))
    events.append(PartyEvent("guest_removed", {"guest": gone.id}))
    if partner is not None:  # the partner left alone looks for someone new
        mate = party.guest(partner)
        party, more = _seek_partner(_with_guest(party, replace(mate, looking=True)), partner)
        events += more
    return party, events


def _hand_host(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, HandHost)
    heir = party.guest(action.guest)
    party = replace(party, host=heir.id, host_epoch=party.host_epoch + 1)
    return party, [PartyEvent("host_handed", {"guest": heir.id})]


def _end_party(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    events = [PartyEvent("table_closed", {"table": t.id}) for t in party.tables]
    guests = tuple(replace(g, table=None, looking=False, pair_code=None) for g in party.guests)
    party = replace(party, ended=True, tables=(), guests=guests, round_deadline=None)
    return party, [*events, PartyEvent("party_ended")]


def _tick(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    due = party.round_deadline is not None and now >= party.round_deadline
    if not due or party.round_fired:
        raise PartyViolation(PartyCode.NOTHING_DUE)
    return replace(party, round_fired=True), [PartyEvent("round_ended", {"round": party.round_no})]


_EFFECTS = {
    AddGuest.name: _add_guest,
    MakePairCode.name: _make_pair_code,
    EnterPairCode.name: _enter_pair_code,
    LookForPartner.name: _look,
    SetMixer.name: _set_mixer,
    PairGuests.name: _pair_guests,
    Mix.name: _mix,
    ChooseDeck.name: _choose_deck,
    SetLevelCap.name: _set_level_cap,
    SetRounds.name: _set_rounds,
    StartRound.name: _start_round,
    PauseAll.name: _pause_all,
    ResumeAll.name: _resume_all,
    Lock.name: _lock,
    RemoveGuest.name: _remove_guest,
    HandHost.name: _hand_host,
    EndParty.name: _end_party,
    PartyTick.name: _tick,
}


# helpers --------------------------------------------------------------------------------
def _with_guest(party: Party, guest: Guest) -> Party:
    return replace(party, guests=tuple(guest if g.id == guest.id else g for g in party.guests))


def _unpaired(party: Party, guest_id: str) -> Guest:
    guest = party.guest(guest_id)
    if guest.table is not None:
        raise PartyViolation(PartyCode.ALREADY_PAIRED)
    return guest


def _open_table(party: Party, a: str, b: str) -> Result:
    table = Table(id=f"t{party.next_table}", guests=(a, b))
    seats = {a: 0, b: 1}
    guests = tuple(
        replace(g, table=table.id, seat=seats[g.id], looking=False, pair_code=None)
        if g.id in seats
        else g
        for g in party.guests
    )
    party = replace(party, tables=(*party.tables, table), guests=guests,
                    next_table=party.next_table + 1)  # fmt: skip
    return party, [PartyEvent("table_opened", {"table": table.id})]


def _close_table(party: Party, table_id: str, *, look: bool) -> Result:
    guests = tuple(
        replace(g, table=None, looking=look) if g.table == table_id else g for g in party.guests
    )
    tables = tuple(t for t in party.tables if t.id != table_id)
    return replace(party, tables=tables, guests=guests), [
        PartyEvent("table_closed", {"table": table_id})
    ]


# what a table is told by the host's layer -----------------------------------------------
def host_layer(party: Party) -> tuple[int | None, bool, float | None]:
    """``HostSettings`` fields for every table: level cap, pause, round deadline."""
    return party.level_cap, party.paused, party.round_deadline


# views ------------------------------------------------------------------------------------
View = dict[str, Any]


def table_summary(room: Room) -> View:
    """All a host learns of a table: level, progress, and whether it needs a moment
    (a seat paused it; which seat is never said). No text, no passes, no boundaries."""
    if room.phase is Phase.LOBBY:
        stage = "lobby"
    elif room.phase is Phase.ENDED:
        stage = "ended"
    else:
        stage = "playing"
    return {
        "level": dealing.effective_level(room),
        "completed": len(room.completed),
        "needs_moment": any(s.paused for s in room.seats),
        "stage": stage,
    }


def _meta(party: Party) -> View:
    return {
        "code": party.id,
        "deck": party.deck,
        "deck_levels": party.deck_levels,
        "level_cap": party.level_cap,
        "paused": party.paused,
        "locked": party.locked,
        "ended": party.ended,
        "mixer": party.mixer,
        "round": {
            "seconds": party.round_seconds,
            "no": party.round_no,
            "deadline": party.round_deadline,
            "over": party.round_fired,
        },
        "tables": len(party.tables),
        "host": party.guest(party.host).name if party.host else None,
    }


def host_view(party: Party) -> View:
    """The console: meta, guests by id, tables by id (membership; the shell adds each
    table's ``table_summary``)."""
    return {
        "meta": _meta(party),
        "guests": {
            g.id: {"name": g.name, "table": g.table, "looking": g.looking} for g in party.guests
        },
        "tables": {t.id: {"guests": list(t.guests)} for t in party.tables},
    }


def display_view(party: Party) -> View:
    """The big screen: the code, who joined, how many tables, the timer, the cap."""
    return {
        "meta": _meta(party),
        "guests": {g.id: {"name": g.name} for g in party.guests},
        "tables": {},
    }


def guest_view(party: Party, guest_id: str) -> View:
    me = next((g for g in party.guests if g.id == guest_id), None)
    full = _meta(party)
    # No pause or cap here: a guest sees those at their table, and a host's pause
    # should not cost every guest's party socket a frame on top of their table's.
    meta = {k: full[k] for k in ("code", "locked", "ended", "mixer", "round")}
    if me is None:
        return {"meta": meta, "you": None, "removed": not party.ended}
    table = party.table(me.table) if me.table else None
    partner = None
    if table is not None:
        partner = party.guest(table.guests[1 - me.seat]).name
    return {
        "meta": meta,
        "you": {"id": me.id, "name": me.name, "looking": me.looking, "pair_code": me.pair_code},
        "table": None if table is None else {"id": table.id, "seat": me.seat, "partner": partner},
        "is_host": party.host == me.id,
        "removed": False,
    }


def diff(old: View | None, new: View) -> View | None:
    """What changed between two host/display views: the changed meta, and only the
    guests and tables that changed (None marks a removed one). None: nothing changed.
    Its size depends on what changed, never on how many tables there are."""
    if old is None:
        return {"full": True, **new}
    out: View = {}
    if old["meta"] != new["meta"]:
        out["meta"] = new["meta"]
    for section in ("guests", "tables"):
        before, after = old[section], new[section]
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        changed.update({k: None for k in before if k not in after})
        if changed:
            out[section] = changed
    return out or None


# storage ----------------------------------------------------------------------------------
def to_dict(party: Party) -> dict[str, Any]:
    return {
        "f": FORMAT,
        "id": party.id,
        "seed": party.seed,
        "deck": [party.deck, party.deck_levels],
        "version": party.version,
        "guests": [
            [g.id, g.name, g.language, g.table, g.seat, g.looking, g.pair_code]
            for g in party.guests
        ],
        "tables": [[t.id, list(t.guests)] for t in party.tables],
        "next": [party.next_guest, party.next_table],
        "flags": [party.mixer, party.paused, party.locked, party.ended],
        "cap": party.level_cap,
        "round": [party.round_seconds, party.round_no, party.round_deadline, party.round_fired],
        "host": [party.host, party.host_epoch],
    }


def from_dict(d: dict[str, Any]) -> Party:
    if d.get("f") != FORMAT:
        raise ValueError("not a stored party")
    mixer, paused, locked, ended = d["flags"]
    seconds, round_no, deadline, fired = d["round"]
    return Party(
        id=d["id"],
        seed=d["seed"],
        deck=d["deck"][0],
        deck_levels=d["deck"][1],
        version=d["version"],
        guests=tuple(Guest(*g) for g in d["guests"]),
        tables=tuple(Table(t[0], (t[1][0], t[1][1])) for t in d["tables"]),
        next_guest=d["next"][0],
        next_table=d["next"][1],
        mixer=mixer,
        level_cap=d["cap"],
        paused=paused,
        locked=locked,
        ended=ended,
        round_seconds=seconds,
        round_no=round_no,
        round_deadline=deadline,
        round_fired=fired,
        host=d["host"][0],
        host_epoch=d["host"][1],
    )


ACTIONS: dict[str, type[PartyAction]] = {
    cls.name: cls
    for cls in (
        MakePairCode, EnterPairCode, LookForPartner, SetMixer, PairGuests, Mix, SetLevelCap,
        SetRounds, StartRound, PauseAll, ResumeAll, Lock, RemoveGuest, HandHost, EndParty,
    )
}  # fmt: skip
