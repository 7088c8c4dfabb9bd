"""Daily spaces (issue 22): a card a day for a couple, answered apart, revealed together.

Pure, like the live engine: ``apply_daily(space, actor, action, now)`` returns a
``DailyOutcome`` or raises ``DailyViolation``; ``actor`` is a seat (0, 1) or ``SYSTEM``
(the server: admissions and ticks). The clock is always passed in.

- The couple's day is a date in the space's IANA time zone that begins at ``day_start``
  (default 4:00): an answer at 01:30 counts for the evening before (``days``).
- One card per day, the same for both, from the space's deck: never repeated in the space,
  never carrying a topic either partner marked (nor touch, nor an action card: the space is
  played apart), lightest intensity band first (``dealing``).
- Each partner answers (editable until the reveal) or passes; the reveal comes when both
  have. The next card waits until the reveal AND the turn of the couple's day: a late
  answer opens no pile of missed days, and nothing counts consecutive days.
- Depth rises only by consent after ``DEEPER_AFTER`` revealed days at a level that both
  answered; either steps back alone.
- Deadlines are data (``deadlines.next_deadline``): the next card, each revealed day's
  deletion at ``kept_until`` (``keep_days`` after the reveal), the space's end at
  ``ends_at`` (``idle_days`` after the last answer or pass). ``Tick`` fires what is due;
  a second tick at the same instant is refused with ``daily/nothing_due`` and changes nothing.

Modules: ``model``, ``days``, ``actions``, ``legality`` (THE table), ``deadlines``,
``dealing``, ``reducer``, ``views``, ``codec`` (storage and the wire names).
"""

from __future__ import annotations

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
from game.daily.deadlines import deal_at, next_deadline
from game.daily.legality import TABLE, legal, refusal
from game.daily.model import (
    DAY_START,
    DEEPER_AFTER,
    IDLE_DAYS,
    KEEP_DAYS,
    SYSTEM,
    Answered,
    DailyCode,
    DailyOutcome,
    DailyViolation,
    Space,
)
from game.daily.reducer import apply_daily, new_space
from game.daily.views import view

__all__ = [
    "DAY_START",
    "DEEPER_AFTER",
    "IDLE_DAYS",
    "KEEP_DAYS",
    "NAMES",
    "SYSTEM",
    "TABLE",
    "AnswerCard",
    "AnswerDeeper",
    "Answered",
    "DailyAction",
    "DailyCode",
    "DailyOutcome",
    "DailyViolation",
    "Heart",
    "Join",
    "MarkBoundary",
    "PassDay",
    "ProposeDeeper",
    "SetTime",
    "Space",
    "StepBack",
    "TalkTonight",
    "Tick",
    "UnmarkBoundary",
    "apply_daily",
    "deal_at",
    "legal",
    "new_space",
    "next_deadline",
    "refusal",
    "view",
]
