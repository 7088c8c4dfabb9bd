"""Which card a daily space deals next: the same for both, from the seed, light before deep."""

from __future__ import annotations

import random

from game.daily.model import Space
from game.deck import APART_TAGS, Card, CardKind


def blocked(space: Space) -> frozenset[str]:
    """Both partners' boundaries, and touch: a daily space is always played apart."""
    return space.seats[0].boundaries | space.seats[1].boundaries | APART_TAGS


def dealable(space: Space, level: int) -> list[Card]:
    """Cards of ``level`` never dealt in this space, carrying no blocked topic. Action
    cards (something to do together, in one sitting) stay for live play."""
    off = blocked(space)
    return [
        c
        for c in space.deck.by_level[level]
        if c.id not in space.dealt and not (c.tags & off) and c.kind is not CardKind.ACTION
    ]


def pick(space: Space) -> Card | None:
    """The next card: at the space's level, or (when that level is played through) the
    nearest lighter level with one left; never deeper than the couple agreed. Among the
    dealable cards, the lightest intensity band first, chosen by the space's seed."""
    for level in range(space.level, -1, -1):
        cards = dealable(space, level)
        if cards:
            lightest = min(space.deck.band(c) for c in cards)
            band = [c for c in cards if space.deck.band(c) == lightest]
            return random.Random(f"{space.seed}:{len(space.dealt)}").choice(band)
    return None
