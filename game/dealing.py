"""Which cards may be dealt, and how one is chosen: from the seed, never a global RNG."""

from __future__ import annotations

import random

from game.deck import Card
from game.model import Room


def blocked_tags(room: Room) -> frozenset[str]:
    """Both partners' marks together. Used only to filter; never shown to anyone."""
    return room.seats[0].boundaries | room.seats[1].boundaries


def dealable(room: Room, level: int) -> list[Card]:
    """Cards of ``level`` not yet dealt this game, not completed in this room, and
    carrying no off-limits tag."""
    blocked = blocked_tags(room)
    dealt = set(room.dealt)
    return [
        c
        for c in room.deck.by_level[level]
        if c.id not in dealt and c.id not in room.completed_in_room and not (c.tags & blocked)
    ]


def pick(room: Room, level: int) -> Card | None:
    """The next card at ``level``: a deterministic choice from the room's seed."""
    cards = dealable(room, level)
    if not cards:
        return None
    rng = random.Random(f"{room.seed}:{room.game_no}:{len(room.dealt)}")
    return rng.choice(cards)


def effective_level(room: Room) -> int:
    """The level the next card comes from: a host's lower cap steps the table back."""
    if room.level_cap is not None and room.level > room.level_cap:
        return room.level_cap
    return room.level


def completed_at(room: Room, level: int) -> int:
    deck = room.deck
    return sum(1 for cid in room.completed if deck.card(cid).level == level)


def exhausted(room: Room) -> bool:
    """No card is left to deal at the level the next card comes from."""
    blocked = blocked_tags(room)
    dealt, done = room.dealt, room.completed_in_room
    return not any(
        c.id not in done and not (c.tags & blocked) and c.id not in dealt
        for c in room.deck.by_level[effective_level(room)]
    )
