"""``apply_daily``: the daily space's reducer and its effects (legality is in the table)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from game.daily import days, legality
from game.daily.actions import (
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
from game.daily.deadlines import deal_at
from game.daily.dealing import pick
from game.daily.model import (
    DAY,
    DAY_START,
    IDLE_DAYS,
    KEEP_DAYS,
    Answer,
    Answered,
    DailyOutcome,
    Day,
    Partner,
    Proposal,
    Space,
    Tonight,
)
from game.deck import Deck


def new_space(
    deck: Deck,
    *,
    seed: str,
    name: str,
    now: float,
    language: str = "en",
    tz: str = "UTC",
    day_start: int = DAY_START,
    keep_days: float = KEEP_DAYS,
    idle_days: float = IDLE_DAYS,
    sealed: bool = False,
) -> Space:
    """A space with its creator in seat 0 and today's first card dealt."""
    space = Space(
        deck=deck,
        seed=seed,
        seats=(Partner(name, language, True), Partner()),
        tz=tz if days.zone(tz) is not None else "UTC",
        day_start=day_start,
        ends_at=now + idle_days * DAY,
        language=language,
        sealed=sealed,
        keep_seconds=keep_days * DAY,
        idle_seconds=idle_days * DAY,
    )
    return _deal(space, now)


def apply_daily(space: Space, actor: int, action: DailyAction, now: float) -> DailyOutcome:
    """Apply a legal action (``DailyViolation`` otherwise): a new space, version + 1."""
    legality.check(space, actor, action, now)
    space, events = _effect(space, actor, action, now)
    return DailyOutcome(replace(space, version=space.version + 1), events)


def _effect(
    space: Space, seat: int, action: DailyAction, now: float
) -> tuple[Space, tuple[str, ...]]:
    match action:
        case Join(seat=at, name=name, language=language):
            seats = _with(space.seats, at, Partner(name, language, True))
            return replace(space, seats=seats), ("joined",)
        case AnswerCard(text=text):
            return _answer(space, seat, Answer(Answered.ANSWERED, text), now)
        case PassDay():
            return _answer(space, seat, Answer(Answered.PASSED), now)
        case ProposeDeeper():
            return replace(space, proposal=Proposal(seat, space.level + 1)), ("proposed",)
        case AnswerDeeper(accept=True):
            deeper = replace(space, level=space.level + 1, shared_at_level=0, proposal=None)
            return replace(deeper, played_through=False), ("deeper",)
        case AnswerDeeper(accept=False):
            # A declined proposal is offered again after another DEEPER_AFTER shared days.
            return replace(space, proposal=None, shared_at_level=0), ("declined",)
        case StepBack():
            back = replace(space, level=space.level - 1, shared_at_level=0, proposal=None)
            return back, ("stepped_back",)
        case MarkBoundary(tag=tag):
            partner = space.seats[seat]
            marked = replace(partner, boundaries=partner.boundaries | {tag})
            return replace(space, seats=_with(space.seats, seat, marked)), ("boundary",)
        case UnmarkBoundary(tag=tag):
            partner = space.seats[seat]
            freed = replace(partner, boundaries=partner.boundaries - {tag})
            seats = _with(space.seats, seat, freed)
            return replace(space, seats=seats, played_through=False), ("boundary",)
        case Heart(day=key):
            return _on_day(space, key, lambda d: replace(d, hearts=d.hearts ^ {seat})), ("heart",)
        case TalkTonight(day=key, room=room, invite=invite):
            tonight = Tonight(room, invite)
            return _on_day(space, key, lambda d: replace(d, tonight=tonight)), ("tonight",)
        case SetTime(tz=tz, day_start=hour):
            return replace(space, tz=tz, day_start=hour), ("time",)
        case Tick():
            return tick(space, now)
    raise AssertionError(f"no effect for {action!r}")  # pragma: no cover


def tick(space: Space, now: float) -> tuple[Space, tuple[str, ...]]:
    """Fire everything due at ``now``. Applied to its own result it finds nothing due
    (the table then refuses a second tick with ``daily/nothing_due``)."""
    if now >= space.ends_at:
        gone = replace(space, ended=True, current=None, history=(), proposal=None)
        return gone, ("ended",)
    events: list[str] = []
    kept = tuple(d for d in space.history if d.kept_until is None or d.kept_until > now)
    if len(kept) != len(space.history):
        space = replace(space, history=kept)
        events.append("deleted")
    at = deal_at(space)
    if at is not None and now >= at:
        space = _deal(space, now)
        events.append("dealt" if space.current is not None else "played_through")
    return space, tuple(events)


def _deal(space: Space, now: float) -> Space:
    card = pick(space)
    if card is None:
        return replace(space, played_through=True)
    level = card.level if card.level is not None else space.level
    today = days.couple_day(now, space.tz, space.day_start).isoformat()
    return replace(space, current=Day(today, card.id, level), dealt=space.dealt | {card.id})


def _answer(space: Space, seat: int, answer: Answer, now: float) -> tuple[Space, tuple[str, ...]]:
    cur = space.current
    assert cur is not None  # the table's card_open
    day = replace(cur, answers=_with(cur.answers, seat, answer))
    space = replace(space, ends_at=now + space.idle_seconds)
    if not day.complete:
        return replace(space, current=day), ("answered",)
    shown = replace(day, revealed_at=now, kept_until=now + space.keep_seconds)
    both = all(a.state is Answered.ANSWERED for a in day.answers)
    shared = space.shared_at_level + (1 if both and day.level == space.level else 0)
    revealed = replace(
        space,
        current=None,
        history=(*space.history, shown),
        last_day=day.day,
        last_revealed_at=now,
        shared_at_level=shared,
    )
    return revealed, ("answered", "revealed")


T = TypeVar("T")


def _on_day(space: Space, key: str, change: Callable[[Day], Day]) -> Space:
    history = tuple(change(d) if d.day == key else d for d in space.history)
    return replace(space, history=history)


def _with(pair: tuple[T, T], seat: int, value: T) -> tuple[T, T]:
    return (value, pair[1]) if seat == 0 else (pair[0], value)
