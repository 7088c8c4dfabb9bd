"""A daily space's state: two partners, one card a day, the days already revealed.

Nothing here counts consecutive days: ``shared_at_level`` counts revealed days at the
current level however far apart they were, and no field knows whether a day was skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from game.deck import Deck

SYSTEM = -1  # the server itself: admissions and ticks
DAY = 86_400.0
KEEP_DAYS = 7.0  # revealed answers are kept this long (a server setting overrides it)
IDLE_DAYS = 30.0  # the space ends this long after its last answer or pass
DEEPER_AFTER = 3  # revealed days at a level, both answered, before "go deeper" is offered
DAY_START = 4  # the hour a couple's day begins: 01:30 still counts for the evening before
MAX_INVITE = 300


class DailyCode(StrEnum):
    NOT_SEATED = "daily/not_seated"
    NOT_SYSTEM = "daily/not_system"
    ENDED = "daily/ended"
    NO_CARD = "daily/no_card"
    REVEALED = "daily/revealed"
    SEAT_TAKEN = "daily/seat_taken"
    BAD_TIME_ZONE = "daily/bad_time_zone"
    BAD_DAY_START = "daily/bad_day_start"
    UNKNOWN_DAY = "daily/unknown_day"
    BAD_ROOM = "daily/bad_room"
    NOTHING_DUE = "daily/nothing_due"
    TEXT_INVALID = "text/invalid"
    LEVEL_TOO_SOON = "level/too_soon"
    LEVEL_NO_DEEPER = "level/no_deeper"
    LEVEL_ALREADY_PROPOSED = "level/already_proposed"
    LEVEL_NO_PROPOSAL = "level/no_proposal"
    LEVEL_OWN_PROPOSAL = "level/own_proposal"
    LEVEL_NOT_LIGHTER = "level/not_lighter"
    BOUNDARY_UNKNOWN_TAG = "boundary/unknown_tag"
    BOUNDARY_ALREADY = "boundary/already_marked"
    BOUNDARY_NOT_MARKED = "boundary/not_marked"


class DailyViolation(Exception):
    """The action is not allowed now (or not for this actor). Nothing changed."""

    def __init__(self, code: DailyCode) -> None:
        super().__init__(code.value)
        self.code = code


class Answered(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    PASSED = "passed"


@dataclass(frozen=True, slots=True)
class Answer:
    state: Answered = Answered.OPEN
    text: str | None = None  # a sealed envelope in a sealed space; opaque to the engine


@dataclass(frozen=True, slots=True)
class Partner:
    name: str = ""
    language: str = "en"
    joined: bool = False
    boundaries: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Tonight:
    room: str
    invite: str


@dataclass(frozen=True, slots=True)
class Day:
    """One dealt card. ``day`` (ISO date of the couple's day it was dealt) is its key:
    a card is dealt only once the couple's day has turned, so no two share a day."""

    day: str
    card_id: str
    level: int
    answers: tuple[Answer, Answer] = (Answer(), Answer())
    revealed_at: float | None = None
    kept_until: float | None = None
    hearts: frozenset[int] = frozenset()
    tonight: Tonight | None = None

    @property
    def complete(self) -> bool:
        return all(a.state is not Answered.OPEN for a in self.answers)


@dataclass(frozen=True, slots=True)
class Proposal:
    by: int
    level: int


@dataclass(frozen=True, slots=True)
class Space:
    deck: Deck
    seed: str
    seats: tuple[Partner, Partner]
    tz: str
    day_start: int
    ends_at: float
    language: str = "en"
    sealed: bool = False  # answers are sealed envelopes (the server checks their shape)
    keep_seconds: float = KEEP_DAYS * DAY
    idle_seconds: float = IDLE_DAYS * DAY
    level: int = 0
    shared_at_level: int = 0
    proposal: Proposal | None = None
    current: Day | None = None  # the card being answered (not revealed yet), or None
    history: tuple[Day, ...] = ()  # revealed days whose answers are still kept, oldest first
    last_day: str | None = None  # the day of the card revealed last (kept after its deletion)
    last_revealed_at: float = 0.0
    dealt: frozenset[str] = frozenset()  # every card id ever dealt here: never dealt again
    played_through: bool = False  # no card is left to deal
    ended: bool = False
    version: int = 0


@dataclass(frozen=True, slots=True)
class DailyOutcome:
    space: Space
    events: tuple[str, ...] = ()  # "dealt", "answered", "revealed", "deleted", "ended", ...
