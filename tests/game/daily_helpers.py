"""Daily spaces for engine tests: a couple seated, a clock in the couple's own zone."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from game.daily import SYSTEM, Join, Space, Tick, apply_daily, new_space, refusal
from game.deck import Deck
from tests.game.factories import deck

BERLIN = "Europe/Berlin"


def at(stamp: str, tz: str = BERLIN) -> float:
    """Epoch seconds of a local wall-clock time, e.g. ``at("2026-12-03 21:00")``."""
    return datetime.fromisoformat(stamp).replace(tzinfo=ZoneInfo(tz)).timestamp()


def couple(
    d: Deck | None = None,
    *,
    now: float | None = None,
    tz: str = BERLIN,
    day_start: int = 4,
    keep_days: float = 7,
    idle_days: float = 30,
) -> Space:
    """Ana (seat 0) made the space; Ben (seat 1) joined a minute later."""
    start = at("2026-12-03 20:00", tz) if now is None else now
    space = new_space(
        d or deck(),
        seed="s",
        name="Ana",
        now=start,
        tz=tz,
        day_start=day_start,
        keep_days=keep_days,
        idle_days=idle_days,
    )
    return apply_daily(space, SYSTEM, Join(1, "Ben", "de"), start + 60).space


def tick_if_due(space: Space, now: float) -> Space:
    """What the server's tick does: apply ``Tick`` when something is due, else nothing."""
    if refusal(space, SYSTEM, Tick(), now) is None:
        return apply_daily(space, SYSTEM, Tick(), now).space
    return space


def dumped(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
