"""THE daily space's table: one row per action, saying who may ask for it and every check
that must hold. The reducer assumes a legal action; views list what is legal from here.

A check answers the code that refuses the action, or None. A check that needs the action's
fields passes when asked without them (``action=None``): that is how a view lists what a
seat could do now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from game.daily import days
from game.daily.actions import (
    NAMES,
    AnswerCard,
    AnswerDeeper,
    DailyAction,
    Heart,
    Join,
    MarkBoundary,
    PassDay,
    ProposeDeeper,
    SetTime,
    StepBack,
    TalkTonight,
    Tick,
    UnmarkBoundary,
)
from game.daily.deadlines import next_deadline
from game.daily.model import (
    DEEPER_AFTER,
    MAX_INVITE,
    SYSTEM,
    DailyCode,
    DailyViolation,
    Space,
)

SEAT = "seat"
Act = DailyAction | None
Code = DailyCode | None
Check = Callable[[Space, int, Act, float], Code]


@dataclass(frozen=True, slots=True)
class Row:
    by: str  # SEAT or "system"
    checks: tuple[Check, ...] = ()


# checks: the space ---------------------------------------------------------------------------
def card_open(space: Space, seat: int, action: Act, now: float) -> Code:
    return DailyCode.NO_CARD if space.current is None else None


def deeper_offered(space: Space, seat: int, action: Act, now: float) -> Code:
    if space.proposal is not None:
        return DailyCode.LEVEL_ALREADY_PROPOSED
    if space.level + 1 >= len(space.deck.levels):
        return DailyCode.LEVEL_NO_DEEPER
    return DailyCode.LEVEL_TOO_SOON if space.shared_at_level < DEEPER_AFTER else None


def partner_proposed(space: Space, seat: int, action: Act, now: float) -> Code:
    if space.proposal is None:
        return DailyCode.LEVEL_NO_PROPOSAL
    return DailyCode.LEVEL_OWN_PROPOSAL if space.proposal.by == seat else None


def lighter_exists(space: Space, seat: int, action: Act, now: float) -> Code:
    return DailyCode.LEVEL_NOT_LIGHTER if space.level == 0 else None


def due(space: Space, seat: int, action: Act, now: float) -> Code:
    at = next_deadline(space)
    return None if at is not None and now >= at else DailyCode.NOTHING_DUE


# checks: the action's fields ----------------------------------------------------------------
def free_seat(space: Space, seat: int, action: Act, now: float) -> Code:
    if not isinstance(action, Join):
        return None
    if action.seat not in (0, 1) or space.seats[action.seat].joined:
        return DailyCode.SEAT_TAKEN
    return None


def text_ok(space: Space, seat: int, action: Act, now: float) -> Code:
    if not isinstance(action, AnswerCard):
        return None
    # its length and characters are the wire's (codec.action_from_wire), as in live play
    return DailyCode.TEXT_INVALID if not action.text.strip() else None


def known_topic(space: Space, seat: int, action: Act, now: float) -> Code:
    if not isinstance(action, MarkBoundary | UnmarkBoundary):
        return None
    if action.tag not in space.deck.tag_ids:
        return DailyCode.BOUNDARY_UNKNOWN_TAG
    marked = action.tag in space.seats[seat].boundaries
    if isinstance(action, MarkBoundary):
        return DailyCode.BOUNDARY_ALREADY if marked else None
    return None if marked else DailyCode.BOUNDARY_NOT_MARKED


def revealed_day(space: Space, seat: int, action: Act, now: float) -> Code:
    if not isinstance(action, Heart | TalkTonight):
        return None if space.history else DailyCode.UNKNOWN_DAY
    if not any(d.day == action.day for d in space.history):
        return DailyCode.UNKNOWN_DAY
    if isinstance(action, TalkTonight):
        room_ok = 0 < len(action.room) <= 16 and action.room.isalnum()
        if not room_ok or not 0 < len(action.invite) <= MAX_INVITE:
            return DailyCode.BAD_ROOM
    return None


def time_ok(space: Space, seat: int, action: Act, now: float) -> Code:
    if not isinstance(action, SetTime):
        return None
    if days.zone(action.tz) is None:
        return DailyCode.BAD_TIME_ZONE
    return None if 0 <= action.day_start <= 23 else DailyCode.BAD_DAY_START


TABLE: dict[type[DailyAction], Row] = {
    Join: Row("system", (free_seat,)),
    AnswerCard: Row(SEAT, (card_open, text_ok)),
    PassDay: Row(SEAT, (card_open,)),
    ProposeDeeper: Row(SEAT, (deeper_offered,)),
    AnswerDeeper: Row(SEAT, (partner_proposed,)),
    StepBack: Row(SEAT, (lighter_exists,)),
    MarkBoundary: Row(SEAT, (known_topic,)),
    UnmarkBoundary: Row(SEAT, (known_topic,)),
    Heart: Row(SEAT, (revealed_day,)),
    SetTime: Row(SEAT, (time_ok,)),
    TalkTonight: Row(SEAT, (revealed_day,)),
    Tick: Row("system", (due,)),
}


def refusal(space: Space, actor: int, action: DailyAction, now: float) -> Code:
    """Why ``actor`` may not do ``action`` now, or None when it is legal."""
    return _refusal(space, actor, type(action), action, now)


def _refusal(space: Space, actor: int, kind: type[DailyAction], action: Act, now: float) -> Code:
    row = TABLE[kind]
    if space.ended:
        return DailyCode.ENDED
    if row.by == "system":
        if actor != SYSTEM:
            return DailyCode.NOT_SYSTEM
    elif actor not in (0, 1) or not space.seats[actor].joined:
        return DailyCode.NOT_SEATED
    for check in row.checks:
        code = check(space, actor, action, now)
        if code is not None:
            return code
    return None


def check(space: Space, actor: int, action: DailyAction, now: float) -> None:
    code = refusal(space, actor, action, now)
    if code is not None:
        raise DailyViolation(code)


def legal(space: Space, seat: int, now: float) -> list[str]:
    """The seat's actions that are legal now (fields still to choose), by wire name."""
    return [
        NAMES[kind]
        for kind, row in TABLE.items()
        if row.by == SEAT and _refusal(space, seat, kind, None, now) is None
    ]
