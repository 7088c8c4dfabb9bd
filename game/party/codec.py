"""Party <-> plain data, for stores."""

from __future__ import annotations

from typing import Any

from game.party.actions import (
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
    PauseAll,
    RemoveGuest,
    ResumeAll,
    SetLevelCap,
    SetMixer,
    SetRounds,
    StartRound,
)
from game.party.model import FORMAT, Guest, Party, Table


# storage ----------------------------------------------------------------------------------
def to_dict(party: Party) -> dict[str, Any]:
    return {
        "f": FORMAT,
        "id": party.id,
        "seed": party.seed,
        "deck": [party.deck, party.deck_levels],
        "version": party.version,
        "guests": [
            [g.id, g.name, g.language, g.table, g.seat, g.looking, g.pair_code, g.note]
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
        MakePairCode, EnterPairCode, LookForPartner, LeaveTable, LeaveParty, SetMixer,
        PairGuests, Mix, SetLevelCap, SetRounds, StartRound, PauseAll, ResumeAll, Lock,
        RemoveGuest, HandHost, EndParty,
    )
}  # fmt: skip
