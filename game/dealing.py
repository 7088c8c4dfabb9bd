"""Which cards may be dealt, and how one is chosen: from the seed, never a global RNG."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from game.deck import APART_TAGS, Card, Deck
from game.model import Room


def blocked_tags(room: Room) -> frozenset[str]:
    """Both partners' marks together (and touch when the couple plays apart tonight).
    Used only to filter; never shown to anyone."""
    marks = room.seats[0].boundaries | room.seats[1].boundaries
    return marks | APART_TAGS if room.apart else marks


def _dealable(room: Room, level: int) -> Iterator[Card]:
    """Cards of ``level`` not yet dealt this game, not completed in this room, and
    carrying no off-limits tag. Lazy: ``exhausted`` stops at the first one."""
    blocked = blocked_tags(room)
    dealt, done = frozenset(room.dealt), room.completed_in_room
    for c in room.deck.by_level[level]:
        if c.id not in dealt and c.id not in done and not (c.tags & blocked):
            yield c


def _fresh(room: Room, level: int) -> Iterator[Card]:
    """Dealable cards of ``level`` this couple has not played on an earlier evening."""
    before = room.played_before
    return (c for c in _dealable(room, level) if c.id not in before)


def deals(deck: Deck, card_id: str) -> bool:
    """Whether ``card_id`` is a card of ``deck`` that a draw can deal: every card but the
    closing one (offered only at the end). The rule ``new_room`` checks a first card by."""
    card = deck.by_id.get(card_id)
    return card is not None and card.level is not None


def _first(room: Room) -> Card | None:
    """The room's ``first_card`` on the first draw of its first game, whatever its level,
    unless a mark (or "apart tonight") holds it back now: then chance deals as ever."""
    if room.first_card is None or room.dealt or room.game_no:
        return None
    if not deals(room.deck, room.first_card):
        return None
    card = room.deck.by_id[room.first_card]
    return None if card.tags & blocked_tags(room) else card


def pick(room: Room, level: int) -> Card | None:
    """The next card at ``level``: chosen from the room's seed among the dealable cards
    of the lightest band that has one. Never in written order: a card a boundary holds
    back looks like one chance has not dealt yet.

    The one rule of memory: while a card the couple has not played before (``played_before``,
    from the device) is dealable at ``level``, no card they played before is dealt.
    A room made for one card (``first_card``) deals it first (``_first``)."""
    first = _first(room)
    if first is not None:
        return first
    cards = list(_dealable(room, level))
    if not cards:
        return None
    if room.played_before:
        cards = [c for c in cards if c.id not in room.played_before] or cards
    band = room.deck.band
    lightest = min(band(c) for c in cards)
    cards = [c for c in cards if band(c) == lightest]
    rng = random.Random(f"{room.seed}:{room.game_no}:{len(room.dealt)}")
    return rng.choice(cards)


def withheld_follow_ups(room: Room, card: Card) -> tuple[int, ...]:
    """Positions of ``card``'s follow-ups that a mark holds back, fixed when the card is
    dealt: a mark made later applies from the next card, like a card's own tags."""
    blocked = blocked_tags(room)
    return tuple(i for i, f in enumerate(card.follow_ups) if f.tags & blocked)


def effective_level(room: Room) -> int:
    """The level the next card comes from: a host's lower cap steps the table back."""
    if room.level_cap is not None and room.level > room.level_cap:
        return room.level_cap
    return room.level


@dataclass(frozen=True, slots=True)
class _Counted:
    completed: tuple[str, ...]
    counts: tuple[int, ...]


_COUNTED = ("completed_per_level", "")


def completed_per_level(room: Room) -> list[int]:
    """Cards completed this game, counted per level in one pass.

    Both views of a move (and the guard of ``propose_deeper``) ask this of the same room,
    and ``completed`` is one tuple shared by every room until a card is completed: the
    deck remembers the last tuple it counted. Held there, that tuple cannot be freed, so
    ``is`` cannot mistake another tuple for it."""
    memo = room.deck.memo
    done = room.completed
    last = memo.get(_COUNTED)
    if isinstance(last, _Counted) and last.completed is done:
        return list(last.counts)
    counts = [0] * len(room.deck.levels)
    for card_id in done:
        level = room.deck.by_id[card_id].level
        if level is not None:  # the closing card has no level (and ends the game)
            counts[level] += 1
    memo[_COUNTED] = _Counted(done, tuple(counts))
    return counts


def played_through(room: Room) -> str | None:
    """What a couple with a remembered past is told: ``"deck"`` when no card they have not
    played before is left at any level (the next ones come round again), ``"level"`` when
    none is left at the level the next card comes from, else None."""
    if not room.played_before:
        return None
    if next(_fresh(room, effective_level(room)), None) is not None:
        return None
    levels = range(len(room.deck.levels))
    return "level" if any(next(_fresh(room, lv), None) for lv in levels) else "deck"


def exhausted(room: Room) -> bool:
    """No card is left to deal at the level the next card comes from."""
    return next(_dealable(room, effective_level(room)), None) is None
