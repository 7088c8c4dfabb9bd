"""What a host, a guest or the server asks of a party, imperative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from game.party.model import HOST, SYSTEM


# actions --------------------------------------------------------------------------------
class _Named:
    """``name`` (the wire name) and ``by`` (who may ask: HOST, SYSTEM, or "guest") are given
    to each class by ``_named`` where the classes are listed (``PARTY_ACTIONS``), not as
    ``ClassVar`` values in the dataclass bodies, which mypyc turns into fields (see
    game.actions)."""

    __slots__ = ()
    name: ClassVar[str] = ""
    by: ClassVar[str] = HOST


@dataclass(frozen=True, slots=True)
class PartyAction(_Named):
    """What a host, a guest or the server asks of a party."""


@dataclass(frozen=True, slots=True)
class AddGuest(PartyAction):
    guest_name: str
    language: str = "en"


@dataclass(frozen=True, slots=True)
class MakePairCode(PartyAction):
    pass


@dataclass(frozen=True, slots=True)
class EnterPairCode(PartyAction):
    code: str


@dataclass(frozen=True, slots=True)
class LookForPartner(PartyAction):
    pass


@dataclass(frozen=True, slots=True)
class LeaveTable(PartyAction):
    """Leave one's table (any pairing mode): the partner looks for someone new."""


@dataclass(frozen=True, slots=True)
class LeaveParty(PartyAction):
    """Leave the party for good: like a removal, asked by the guest themself."""


@dataclass(frozen=True, slots=True)
class SetMixer(PartyAction):
    on: bool


@dataclass(frozen=True, slots=True)
class PairGuests(PartyAction):
    first: str  # (not "a": that is the wire's action name)
    second: str


@dataclass(frozen=True, slots=True)
class Mix(PartyAction):
    """Pair at random from the seed: unpaired guests, or with ``everyone`` all guests
    (re-pairing between rounds: every table closes and new ones open)."""

    everyone: bool = False


@dataclass(frozen=True, slots=True)
class ChooseDeck(PartyAction):
    """For tables opened from now on (the shell checked the deck exists)."""

    deck: str
    levels: int


@dataclass(frozen=True, slots=True)
class SetLevelCap(PartyAction):
    cap: int | None


@dataclass(frozen=True, slots=True)
class SetRounds(PartyAction):
    seconds: int | None


@dataclass(frozen=True, slots=True)
class StartRound(PartyAction):
    pass


@dataclass(frozen=True, slots=True)
class PauseAll(PartyAction):
    pass


@dataclass(frozen=True, slots=True)
class ResumeAll(PartyAction):
    pass


@dataclass(frozen=True, slots=True)
class Lock(PartyAction):
    on: bool


@dataclass(frozen=True, slots=True)
class RemoveGuest(PartyAction):
    guest: str


@dataclass(frozen=True, slots=True)
class HandHost(PartyAction):
    guest: str


@dataclass(frozen=True, slots=True)
class EndParty(PartyAction):
    pass


@dataclass(frozen=True, slots=True)
class PartyTick(PartyAction):
    """Fires a passed round deadline once; running it twice finds nothing due."""


def _named(*rows: tuple[type[PartyAction], str, str]) -> tuple[type[PartyAction], ...]:
    """Give each party action class its wire name and who may ask; the classes, in order."""
    for cls, name, by in rows:
        cls.name, cls.by = name, by
    return tuple(cls for cls, _, _ in rows)


PARTY_ACTIONS: tuple[type[PartyAction], ...] = _named(
    (AddGuest, "add_guest", SYSTEM),
    (MakePairCode, "make_pair_code", "guest"),
    (EnterPairCode, "enter_pair_code", "guest"),
    (LookForPartner, "look_for_partner", "guest"),
    (LeaveTable, "leave_table", "guest"),
    (LeaveParty, "leave_party", "guest"),
    (SetMixer, "set_mixer", HOST),
    (PairGuests, "pair_guests", HOST),
    (Mix, "mix", HOST),
    (ChooseDeck, "choose_deck", HOST),
    (SetLevelCap, "set_level_cap", HOST),
    (SetRounds, "set_rounds", HOST),
    (StartRound, "start_round", HOST),
    (PauseAll, "pause_all", HOST),
    (ResumeAll, "resume_all", HOST),
    (Lock, "lock", HOST),
    (RemoveGuest, "remove_guest", HOST),
    (HandHost, "hand_host", HOST),
    (EndParty, "end_party", HOST),
    (PartyTick, "tick", SYSTEM),
)
