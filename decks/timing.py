"""How long a deck takes to play: the deck picker's estimate (issue 21).

One game goes from the first level to the last: on each level the cards the deck asks
for before going deeper (its ``min_cards``, at least ``CARDS_PER_LEVEL``, never more than
the level has), then the closing card. A card takes a few minutes by how it is played:
one partner answers and is reflected back, both answer in turn, both write and reveal,
or both do something together. The estimate is rounded to five minutes; it is a guide
for choosing a deck, not a timer.
"""

from __future__ import annotations

from game.deck import Card, CardKind, CardMode, Deck

CARDS_PER_LEVEL = 4  # a level without its own minimum: a few cards before going deeper
# Minutes one card takes, by how it is played.
MINUTES_ONE = 3  # speak, reflect, confirm
MINUTES_BOTH = 5  # the same, twice
MINUTES_REVEAL = 4  # both write, then talk about it
MINUTES_ACTION = 3  # do something together
MINUTES_CLOSING = 4


def card_minutes(card: Card) -> int:
    if card.kind is CardKind.CLOSING:
        return MINUTES_CLOSING
    if card.kind is CardKind.ACTION:
        return MINUTES_ACTION
    if card.mode is CardMode.REVEAL:
        return MINUTES_REVEAL
    return MINUTES_BOTH if card.mode is CardMode.BOTH else MINUTES_ONE


def game_minutes(deck: Deck) -> int:
    """Minutes of one game through every level, to the closing card (at least 5)."""
    total = 0.0
    for level, cards in zip(deck.levels, deck.by_level, strict=True):
        if not cards:
            continue
        played = min(len(cards), max(level.min_cards, CARDS_PER_LEVEL))
        total += played * sum(card_minutes(c) for c in cards) / len(cards)
    if deck.closing is not None:
        total += card_minutes(deck.closing)
    return max(5, int(5 * round(total / 5)))
