"""Deadlines as data: when a daily space next needs its tick, and what is due at ``now``."""

from __future__ import annotations

from game.daily import days
from game.daily.model import Space


def deal_at(space: Space) -> float | None:
    """When the next card may be dealt: once both answered or passed the current card AND
    the couple's day has turned since it was dealt (never a pile of missed days)."""
    if space.played_through or space.current is not None:
        return None
    if space.last_day is None:
        return 0.0  # nothing dealt yet: at once
    turn = days.next_day_begins(space.last_day, space.tz, space.day_start)
    return max(space.last_revealed_at, turn)


def next_deadline(space: Space) -> float | None:
    """The earliest instant something is due: a new card, a revealed day's deletion at its
    ``kept_until``, or the space's end at ``ends_at``. None when nothing ever is."""
    if space.ended:
        return None
    times = [d.kept_until for d in space.history if d.kept_until is not None]
    times.append(space.ends_at)
    deal = deal_at(space)
    if deal is not None:
        times.append(deal)
    return min(times)
