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

Modules: ``model`` (state, codes, errors), ``actions``, ``legality`` (THE table: who may
ask for what, and every check), ``reducer`` (``apply_party``; effects only),
``views`` (host, display, guest; deltas), ``codec`` (storage).
"""

from __future__ import annotations

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
from game.party.codec import ACTIONS, from_dict, to_dict
from game.party.legality import TABLE, legal, refusal
from game.party.model import (
    CODE_ALPHABET,
    FORMAT,
    HOST,
    MAX_GUESTS,
    MAX_ROUND_SECONDS,
    PAIR_CODE_LENGTH,
    SYSTEM,
    Guest,
    Party,
    PartyCode,
    PartyEvent,
    PartyOutcome,
    PartyViolation,
    Table,
    new_party,
)
from game.party.reducer import Result, apply_party, host_layer
from game.party.views import View, diff, display_view, guest_view, host_view, table_summary

__all__ = [
    "ACTIONS",
    "CODE_ALPHABET",
    "FORMAT",
    "HOST",
    "MAX_GUESTS",
    "MAX_ROUND_SECONDS",
    "PAIR_CODE_LENGTH",
    "SYSTEM",
    "TABLE",
    "AddGuest",
    "ChooseDeck",
    "EndParty",
    "EnterPairCode",
    "Guest",
    "HandHost",
    "LeaveParty",
    "LeaveTable",
    "Lock",
    "LookForPartner",
    "MakePairCode",
    "Mix",
    "PairGuests",
    "Party",
    "PartyAction",
    "PartyCode",
    "PartyEvent",
    "PartyOutcome",
    "PartyTick",
    "PartyViolation",
    "PauseAll",
    "RemoveGuest",
    "Result",
    "ResumeAll",
    "SetLevelCap",
    "SetMixer",
    "SetRounds",
    "StartRound",
    "Table",
    "View",
    "apply_party",
    "diff",
    "display_view",
    "from_dict",
    "guest_view",
    "host_layer",
    "host_view",
    "legal",
    "new_party",
    "refusal",
    "table_summary",
    "to_dict",
]
