"""``apply_party``: the party's reducer and its effects."""

from __future__ import annotations

import random
from dataclasses import replace

from game.party import legality
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
    CODE_ALPHABET,
    PAIR_CODE_LENGTH,
    Guest,
    Party,
    PartyEvent,
    PartyOutcome,
    Table,
)

# the reducer ----------------------------------------------------------------------------
Result = tuple[Party, list[PartyEvent]]


def apply_party(party: Party, actor: str, action: PartyAction, *, now: float) -> PartyOutcome:
    """Legality is the table's (``legality.check``); the effects below assume it."""
    legality.check(party, actor, action, now)
    new, events = _EFFECTS[action.name](party, actor, action, now)
    return PartyOutcome(replace(new, version=party.version + 1), tuple(events))


def _add_guest(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, AddGuest)
    guest = Guest(id=f"g{party.next_guest}", name=action.guest_name, language=action.language)
    party = replace(party, guests=(*party.guests, guest), next_guest=party.next_guest + 1)
    joined = [PartyEvent("guest_joined", {"guest": guest.id})]
    waiting = any(g.looking for g in party.guests)
    if party.mixer and waiting:  # the host pairs; someone left alone is paired on arrival
        party, opened = _seek_partner(party, guest.id)
        return party, joined + opened
    return party, joined


def _make_pair_code(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    me = party.guest(actor)
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
    code = action.code.strip().upper()
    partner = next(g for g in party.guests if g.pair_code == code)
    return _open_table(party, partner.id, actor)


def _look(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    me = party.guest(actor)
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
    return _open_table(party, action.first, action.second)


def _mix(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, Mix)
    events: list[PartyEvent] = []
    if action.everyone:
        for table in party.tables:
            party, closed = _close_table(party, table.id, look=False)
            events += closed
    pool = [g.id for g in party.guests if g.table is None]
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
    cap = party.level_cap
    cap = None if cap is None else min(cap, action.levels - 1)
    party = replace(party, deck=action.deck, deck_levels=action.levels, level_cap=cap)
    return party, [PartyEvent("settings_changed")]


def _set_level_cap(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, SetLevelCap)
    return replace(party, level_cap=action.cap), [PartyEvent("settings_changed")]


def _set_rounds(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, SetRounds)
    if action.seconds is None and party.round_deadline is not None:
        party = replace(party, round_deadline=None, round_fired=False)
        return replace(party, round_seconds=None), [PartyEvent("settings_changed")]
    return replace(party, round_seconds=action.seconds), []


def _start_round(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert party.round_seconds is not None
    deadline = now + party.round_seconds
    party = replace(party, round_no=party.round_no + 1, round_deadline=deadline, round_fired=False)
    return party, [
        PartyEvent("round_started", {"round": party.round_no}),
        PartyEvent("settings_changed"),
    ]


def _pause_all(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    return replace(party, paused=True), [PartyEvent("settings_changed")]


def _resume_all(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    return replace(party, paused=False), [PartyEvent("settings_changed")]


def _lock(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, Lock)
    return replace(party, locked=action.on), []


def _remove_guest(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    assert isinstance(action, RemoveGuest)
    return _without(party, party.guest(action.guest), "guest_removed")


def _leave_party(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    return _without(party, party.guest(actor), "guest_left")


def _without(party: Party, gone: Guest, event: str) -> Result:
    """``gone`` leaves the party (removed, or of their own accord); a partner left alone
    looks for someone new and is told why."""
    party, partner, events = _split(party, gone) if gone.table else (party, None, [])
    party = replace(party, guests=tuple(g for g in party.guests if g.id != gone.id))
    events.append(PartyEvent(event, {"guest": gone.id}))
    return _left_alone(party, partner, events)


def _leave_table(party: Party, actor: str, action: PartyAction, now: float) -> Result:
    party, partner, events = _split(party, party.guest(actor))
    return _left_alone(party, partner, events)


def _split(party: Party, me: Guest) -> tuple[Party, str, list[PartyEvent]]:
    """Close ``me``'s table; returns the partner now without one."""
    table = party.table(me.table) if me.table else None
    assert table is not None
    partner = next(g for g in table.guests if g != me.id)
    party, events = _close_table(party, table.id, look=False)
    return party, partner, events


def _left_alone(party: Party, partner: str | None, events: list[PartyEvent]) -> Result:
    if partner is None:
        return party, events
    mate = replace(party.guest(partner), looking=True, note="partner_left")
    party, more = _seek_partner(_with_guest(party, mate), partner)
    return party, events + more


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
    return replace(party, round_fired=True), [PartyEvent("round_ended", {"round": party.round_no})]


_EFFECTS = {
    AddGuest.name: _add_guest,
    MakePairCode.name: _make_pair_code,
    EnterPairCode.name: _enter_pair_code,
    LookForPartner.name: _look,
    LeaveTable.name: _leave_table,
    LeaveParty.name: _leave_party,
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


def _open_table(party: Party, a: str, b: str) -> Result:
    table = Table(id=f"t{party.next_table}", guests=(a, b))
    seats = {a: 0, b: 1}
    guests = tuple(
        replace(g, table=table.id, seat=seats[g.id], looking=False, pair_code=None, note=None)
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
