"""What a host, a guest or the server asks of a party, imperative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from game.party.model import HOST, SYSTEM


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
class LeaveTable(PartyAction):
    """Leave one's table (any pairing mode): the partner looks for someone new."""

    name: ClassVar[str] = "leave_table"
    by: ClassVar[str] = "guest"


@dataclass(frozen=True, slots=True)
class LeaveParty(PartyAction):
    """Leave the party for good: like a removal, asked by the guest themself."""

    name: ClassVar[str] = "leave_party"
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
