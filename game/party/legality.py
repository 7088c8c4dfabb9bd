"""THE party's table: one row per action, saying who may ask for it and every check that
must hold. Legality lives here and only here (h11's rule): the reducer's effects assume
a legal action, the views list what is legal from this table, the shells ask nothing.

A check answers the code that refuses the action, or None. A check that needs the
action's fields (a pair code, a cap) passes when asked without them (``action=None``):
that is how a view lists what a seat could do now, with fields still to choose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from game.party.actions import (
    AddGuest,
    ChooseDeck,
    EndParty,
    EnterPairCode,
    HandHost,
    LeaveParty,
    LeaveTable,
    Lock,
    LookForPartner,
    MakePairCode,
    Mix,
    PairGuests,
    PartyAction,
    PartyTick,
    PauseAll,
    RemoveGuest,
    ResumeAll,
    SetLevelCap,
    SetMixer,
    SetRounds,
    StartRound,
)
from game.party.model import (
    HOST,
    MAX_GUESTS,
    MAX_ROUND_SECONDS,
    SYSTEM,
    Party,
    PartyCode,
    PartyViolation,
)

GUEST = "guest"
MIN_ROUND_SECONDS = 10
Act = PartyAction | None  # None: asked without fields (what a view may offer)
Code = PartyCode | None
Check = Callable[[Party, str, Act, float], Code]


@dataclass(frozen=True, slots=True)
class Row:
    by: str  # HOST, SYSTEM or GUEST
    checks: tuple[Check, ...] = ()


# checks: the party -------------------------------------------------------------------------
def door_open(party: Party, actor: str, action: Act, now: float) -> Code:
    return PartyCode.LOCKED if party.locked else None


def room_left(party: Party, actor: str, action: Act, now: float) -> Code:
    return PartyCode.FULL if len(party.guests) >= MAX_GUESTS else None


def self_pairing(party: Party, actor: str, action: Act, now: float) -> Code:
    return PartyCode.MIXER_ONLY_HOST if party.mixer else None


def rounds_on(party: Party, actor: str, action: Act, now: float) -> Code:
    return PartyCode.ROUNDS_OFF if party.round_seconds is None else None


def no_round_running(party: Party, actor: str, action: Act, now: float) -> Code:
    return PartyCode.ROUND_RUNNING if party.round_running else None


def not_paused(party: Party, actor: str, action: Act, now: float) -> Code:
    return PartyCode.ALREADY_PAUSED if party.paused else None


def paused(party: Party, actor: str, action: Act, now: float) -> Code:
    return None if party.paused else PartyCode.NOT_PAUSED


def deadline_due(party: Party, actor: str, action: Act, now: float) -> Code:
    due = party.round_deadline is not None and now >= party.round_deadline
    return None if due and not party.round_fired else PartyCode.NOTHING_DUE


# checks: the guest asking ------------------------------------------------------------------
def unpaired(party: Party, actor: str, action: Act, now: float) -> Code:
    return PartyCode.ALREADY_PAIRED if party.guest(actor).table is not None else None


def seated(party: Party, actor: str, action: Act, now: float) -> Code:
    return PartyCode.NO_TABLE if party.guest(actor).table is None else None


def not_the_co_host(party: Party, actor: str, action: Act, now: float) -> Code:
    return PartyCode.IS_HOST if party.host == actor else None


# checks: the action's fields ---------------------------------------------------------------
def code_of_someone_waiting(party: Party, actor: str, action: Act, now: float) -> Code:
    if not isinstance(action, EnterPairCode):
        return None
    code = action.code.strip().upper()
    partner = next((g for g in party.guests if g.pair_code == code and code), None)
    if partner is None or partner.table is not None:
        return PartyCode.UNKNOWN_PAIR_CODE
    return PartyCode.SAME_GUEST if partner.id == actor else None


def two_unpaired_guests(party: Party, actor: str, action: Act, now: float) -> Code:
    if not isinstance(action, PairGuests):
        return None
    if action.first == action.second:
        return PartyCode.SAME_GUEST
    busy = any(party.guest(g).table is not None for g in (action.first, action.second))
    return PartyCode.ALREADY_PAIRED if busy else None


def between_rounds_to_re_pair(party: Party, actor: str, action: Act, now: float) -> Code:
    everyone = isinstance(action, Mix) and action.everyone
    return PartyCode.ROUND_RUNNING if everyone and party.round_running else None


def two_to_pair(party: Party, actor: str, action: Act, now: float) -> Code:
    everyone = isinstance(action, Mix) and action.everyone
    pool = [g for g in party.guests if everyone or g.table is None]
    return PartyCode.NOBODY_TO_PAIR if len(pool) < 2 else None


def some_levels(party: Party, actor: str, action: Act, now: float) -> Code:
    return PartyCode.BAD_VALUE if isinstance(action, ChooseDeck) and action.levels < 1 else None


def cap_in_deck(party: Party, actor: str, action: Act, now: float) -> Code:
    if not isinstance(action, SetLevelCap) or action.cap is None:
        return None
    return None if 0 <= action.cap < party.deck_levels else PartyCode.BAD_CAP


def round_length(party: Party, actor: str, action: Act, now: float) -> Code:
    if not isinstance(action, SetRounds) or action.seconds is None:
        return None
    ok = MIN_ROUND_SECONDS <= action.seconds <= MAX_ROUND_SECONDS
    return None if ok else PartyCode.BAD_VALUE


def guest_named(party: Party, actor: str, action: Act, now: float) -> Code:
    if isinstance(action, RemoveGuest | HandHost):
        party.guest(action.guest)  # raises party/unknown_guest
    return None


def named_not_the_co_host(party: Party, actor: str, action: Act, now: float) -> Code:
    if isinstance(action, RemoveGuest) and party.host == action.guest:
        return PartyCode.IS_HOST
    return None


# the table ---------------------------------------------------------------------------------
TABLE: dict[str, Row] = {
    AddGuest.name: Row(SYSTEM, (door_open, room_left)),
    MakePairCode.name: Row(GUEST, (unpaired, self_pairing)),
    EnterPairCode.name: Row(GUEST, (unpaired, self_pairing, code_of_someone_waiting)),
    LookForPartner.name: Row(GUEST, (unpaired,)),
    LeaveTable.name: Row(GUEST, (seated,)),
    LeaveParty.name: Row(GUEST, (not_the_co_host,)),
    SetMixer.name: Row(HOST),
    PairGuests.name: Row(HOST, (two_unpaired_guests,)),
    Mix.name: Row(HOST, (between_rounds_to_re_pair, two_to_pair)),
    ChooseDeck.name: Row(HOST, (some_levels,)),
    SetLevelCap.name: Row(HOST, (cap_in_deck,)),
    SetRounds.name: Row(HOST, (round_length,)),
    StartRound.name: Row(HOST, (rounds_on, no_round_running)),
    PauseAll.name: Row(HOST, (not_paused,)),
    ResumeAll.name: Row(HOST, (paused,)),
    Lock.name: Row(HOST),
    RemoveGuest.name: Row(HOST, (guest_named, named_not_the_co_host)),
    HandHost.name: Row(HOST, (guest_named,)),
    EndParty.name: Row(HOST),
    PartyTick.name: Row(SYSTEM, (deadline_due,)),
}


def refusal(party: Party, actor: str, name: str, action: Act, now: float) -> Code:
    """Why ``actor`` may not ask for ``name`` now (None: they may). Raises
    ``PartyViolation(party/unknown_guest)`` for a guest who is not (or no longer) here."""
    if party.ended:
        return PartyCode.ENDED
    row = TABLE[name]
    if row.by == GUEST:
        if actor in (HOST, SYSTEM):
            return PartyCode.NOT_GUEST
        party.guest(actor)
    elif row.by != actor:
        return PartyCode.NOT_HOST
    for check in row.checks:
        code = check(party, actor, action, now)
        if code is not None:
            return code
    return None


def check(party: Party, actor: str, action: PartyAction, now: float) -> None:
    code = refusal(party, actor, action.name, action, now)
    if code is not None:
        raise PartyViolation(code)


def legal(party: Party, actor: str, now: float = 0.0) -> list[str]:
    """What ``actor`` (HOST or a guest id) may ask for now, fields still to choose; in
    the table's order."""
    try:
        return [n for n in TABLE if refusal(party, actor, n, None, now) is None]
    except PartyViolation:
        return []  # a guest who is gone may do nothing
