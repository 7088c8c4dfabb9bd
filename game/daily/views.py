"""Per-seat views of a daily space: never the partner's text before the reveal, never the
partner's boundaries. Plain data, ready for the wire (docs/views.md, "A daily space's view")."""

from __future__ import annotations

from typing import Any

from game.daily import days, legality
from game.daily.deadlines import deal_at
from game.daily.model import DEEPER_AFTER, Answered, Day, Space

View = dict[str, Any]


def _card(space: Space, day: Day, language: str) -> dict[str, Any]:
    card = space.deck.card(day.card_id)
    return {
        "id": card.id,
        "text": space.deck.text(card.text, language),
        "level": day.level,
        "tags": sorted(card.tags),
        "day": day.day,
    }


def _revealed(space: Space, day: Day, language: str) -> dict[str, Any]:
    return {
        "day": day.day,
        "card": _card(space, day, language),
        "answers": [
            {"seat": s, "state": a.state.value, "text": a.text} for s, a in enumerate(day.answers)
        ],
        "kept_until": day.kept_until,
        "hearts": sorted(day.hearts),
        "tonight": None
        if day.tonight is None
        else {"room": day.tonight.room, "invite": day.tonight.invite},
    }


def _waiting(space: Space, seat: int) -> str | None:
    cur = space.current
    if cur is None:
        return None if space.played_through else "tomorrow"
    mine, theirs = cur.answers[seat], cur.answers[1 - seat]
    if mine.state is not Answered.OPEN and theirs.state is Answered.OPEN:
        return "partner"
    return None


def view(space: Space, seat: int, now: float) -> View:
    """What ``seat`` sees at ``now``."""
    partner = space.seats[seat]
    language = partner.language or space.language
    cur = space.current
    mine = cur.answers[seat] if cur is not None else None
    theirs = cur.answers[1 - seat] if cur is not None else None
    deal = deal_at(space)
    return {
        "kind": "daily",
        "version": space.version,
        "you": seat,
        "language": language,
        "seats": [
            {"name": p.name, "language": p.language, "joined": p.joined} for p in space.seats
        ],
        "tz": space.tz,
        "day_start": space.day_start,
        "today": days.couple_day(now, space.tz, space.day_start).isoformat(),
        "card": None if cur is None else _card(space, cur, language),
        "mine": None if mine is None else {"state": mine.state.value, "text": mine.text},
        # Only the state: the partner's text stays out of every view until the reveal.
        "partner": None if theirs is None else {"state": theirs.state.value},
        "waiting": _waiting(space, seat),
        "next_at": deal if deal is not None and cur is None else None,
        "played_through": space.played_through,
        "level": space.level,
        "proposal": None
        if space.proposal is None
        else {"by": space.proposal.by, "level": space.proposal.level},
        "deeper_after": DEEPER_AFTER,
        "shared_at_level": space.shared_at_level,
        "boundaries": sorted(partner.boundaries),
        "history": [_revealed(space, d, language) for d in reversed(space.history)],
        "keep_days": space.keep_seconds / 86_400.0,
        "ends_at": space.ends_at,
        "ended": space.ended,
        "legal": legality.legal(space, seat, now),
    }
