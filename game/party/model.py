"""The party's state: guests, tables, the host's layer; codes and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

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
    NO_TABLE = "party/no_table"  # leaving a table one does not sit at
    REMOVED = "party/removed"  # a guest token whose guest the host removed
    LEFT = "party/left"  # a guest token whose guest left the party


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
    note: str | None = None  # "partner_left": their last table closed when the partner left


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
