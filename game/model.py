"""The state of one couple's room: frozen dataclasses, replaced never mutated."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from game.deck import Card, Deck

SEATS = (0, 1)


class Phase(StrEnum):
    LOBBY = "lobby"  # names, languages, boundaries, ready
    BETWEEN = "between"  # no card on the table: draw, propose deeper, step back, end
    SHOWN = "shown"  # card shown: the speaker answers or passes; either may skip
    SPEAKING = "speaking"  # the speaker answers; the listener listens and reacts
    REFLECTING = "reflecting"  # the listener reflects back what they heard
    CONFIRMING = "confirming"  # the speaker confirms they felt heard, or asks again
    WRITING = "writing"  # a reveal card: both write privately until both submitted
    ENDED = "ended"  # the summary


class Notice(StrEnum):
    """What the table is told about the last thing that happened, neutrally."""

    PASSED = "passed"
    SKIPPED = "skipped"
    REVEAL_PASSED = "reveal_passed"
    STAYING = "staying"  # a declined proposal: "staying here for now"
    LEVEL_RAISED = "level_raised"
    STEPPED_BACK = "stepped_back"
    WITHDRAWN = "withdrawn"
    LEVEL_CAPPED = "level_capped"
    TIME_FOR_NEW_CARD = "time_for_new_card"


@dataclass(frozen=True, slots=True)
class Seat:
    name: str = ""
    language: str = "en"
    joined: bool = False
    ready: bool = False
    paused: bool = False
    boundaries: frozenset[str] = frozenset()
    stars: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Proposal:
    by: int
    to_level: int


@dataclass(frozen=True, slots=True)
class Turn:
    """The card on the table and where its answering stands."""

    card_id: str
    opener: int  # who drew it; the speaker of the first half
    half: int = 0  # 0 or 1 on cards answered by both
    halves_done: int = 0  # halves completed (not passed)
    spoken: str | None = None  # the speaker's typed answer, when playing by text
    reflection: str | None = None  # the listener's typed reflection
    reveal: tuple[str | None, str | None] = (None, None)
    submitted: tuple[bool, bool] = (False, False)
    reactions: tuple[tuple[int, str], ...] = ()
    closing: bool = False
    withheld: tuple[int, ...] = ()  # follow-ups a boundary held back when it was dealt

    @property
    def speaker(self) -> int:
        return self.opener if self.half == 0 else 1 - self.opener


@dataclass(frozen=True, slots=True)
class Revealed:
    """Both answers of the last reveal card, shown at once until the next draw."""

    card_id: str
    answers: tuple[str, str]


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    deck: Deck
    seed: int
    version: int = 0
    phase: Phase = Phase.LOBBY
    light_mode: bool = False
    apart: bool = False  # "apart tonight": on a call, so touch cards are not dealt
    seats: tuple[Seat, Seat] = (Seat(joined=True), Seat())
    game_no: int = 0  # games started in this room; who speaks first alternates with it
    next_speaker: int = 0  # who draws the next card
    level: int = 0  # the level the next card is dealt from
    proposal: Proposal | None = None
    declined_by: int | None = None  # whose proposal was last declined ...
    declined_at: int = 0  # ... when this many cards had been completed
    turn: Turn | None = None
    revealed: Revealed | None = None
    last_card: str | None = None  # the last card that left the table (for stars)
    dealt: tuple[str, ...] = ()  # every card dealt this game, in order
    completed: tuple[str, ...] = ()  # cards completed this game
    completed_in_room: frozenset[str] = frozenset()  # across games: never dealt again
    skipped_in_room: frozenset[str] = frozenset()  # "doesn't fit us", for the device's memory
    # Cards the couple played on earlier evenings (completed or skipped), as the creator's
    # device remembered them: dealt only once no other card is left (``dealing.pick``).
    played_before: frozenset[str] = frozenset()
    closing_offered: bool = False
    notice: Notice | None = None
    started_at: float | None = None
    ended_at: float | None = None
    # set by a party host; a couple's own room leaves them at their defaults
    level_cap: int | None = None
    host_paused: bool = False
    round_deadline: float | None = None
    round_fired: bool = False  # the current deadline has fired (a tick is safe twice)
    new_card_due: bool = False
    # A couple's own deck (issue 21): added by ``own_by``, played once the partner
    # accepted it; then ``own_prior`` is the deck it replaced (taken back on removal).
    own_deck: Deck | None = None
    own_by: int = 0
    own_prior: Deck | None = None
    # The card the first draw of the room deals ("let's talk about this tonight" from a
    # daily space), when the deck still has it and no mark holds it back: ``dealing.pick``.
    first_card: str | None = None

    def seat(self, index: int) -> Seat:
        return self.seats[index]

    def card(self) -> Card | None:
        return None if self.turn is None else self.deck.card(self.turn.card_id)

    @property
    def paused(self) -> bool:
        return self.host_paused or self.seats[0].paused or self.seats[1].paused
