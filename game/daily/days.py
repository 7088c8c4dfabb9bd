"""The couple's day: a date in the space's time zone that begins at its day-start hour."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=256)
def zone(tz: str) -> ZoneInfo | None:
    """The IANA zone ``tz``, or None when this machine's zone data does not know it."""
    if not tz or len(tz) > 64 or tz.startswith(("/", ".")) or ".." in tz:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def couple_day(now: float, tz: str, day_start: int) -> date:
    """The couple's day at ``now``: local time less ``day_start`` hours, so 01:30 with a
    day start of 4 is still the evening before."""
    zi = zone(tz) or ZoneInfo("UTC")
    local = datetime.fromtimestamp(now, zi).replace(tzinfo=None)
    return (local - timedelta(hours=day_start)).date()


def day_begins(day: date, tz: str, day_start: int) -> float:
    """The instant (epoch seconds) the couple's ``day`` begins."""
    zi = zone(tz) or ZoneInfo("UTC")
    return datetime.combine(day, time(day_start), tzinfo=zi).timestamp()


def next_day_at(now: float, tz: str, day_start: int) -> float:
    """When the couple's next day begins after ``now``."""
    return day_begins(couple_day(now, tz, day_start) + timedelta(days=1), tz, day_start)


def turned_since(day: str, now: float, tz: str, day_start: int) -> bool:
    """Has the couple's day moved on from ``day`` (ISO date) at ``now``?"""
    return couple_day(now, tz, day_start) > date.fromisoformat(day)


def next_day_begins(day: str, tz: str, day_start: int) -> float:
    """When the couple's day after ``day`` (ISO date) begins."""
    return day_begins(date.fromisoformat(day) + timedelta(days=1), tz, day_start)
