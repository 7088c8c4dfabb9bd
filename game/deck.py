"""The deck model the engine plays with: immutable, already validated.

Deck files are parsed and checked by ``decks.loader``; the engine only ever sees these
dataclasses. Localised text is a mapping from a language code to text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

Text = Mapping[str, str]

# The id a couple's own deck (issue 21) has in its room, whatever its file says: no deck
# file can have it (ids start with a letter or digit), so it never meets an installed one.
OWN_DECK_ID = "~own"

# Topics withheld when a couple plays "apart tonight" (on a call: nothing to touch).
APART_TAGS: frozenset[str] = frozenset({"touch"})


class CardKind(StrEnum):
    QUESTION = "question"
    ACTION = "action"
    APPRECIATION = "appreciation"
    CLOSING = "closing"


class CardMode(StrEnum):
    ONE = "one"
    BOTH = "both"
    REVEAL = "reveal"


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    name: Text
    description: Text
    min_cards: int = 0
    # Cards are dealt lightest band first; a band is ``band_width`` intensities wide
    # (intensity 1-2 is the first band of width 2), chosen at random within it.
    band_width: int = 2
    # The deck's colour for this level (#rrggbb), or None: clients then pick their own.
    color: str | None = None


@dataclass(frozen=True, slots=True)
class Tag:
    id: str
    label: Text


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A prompt for the listener; never offered when either partner marked one of its
    tags (the card's own tags already keep the whole card away)."""

    text: Text
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    level: int | None  # index into Deck.levels; None only for the closing card
    kind: CardKind
    mode: CardMode
    text: Text
    tags: frozenset[str] = frozenset()
    follow_ups: tuple[FollowUp, ...] = ()
    intensity: int = 1  # within its level: 1 is the lightest
    habit: str | None = None  # which of the five habits it practises (for deck stats)

    @property
    def answered_by_both(self) -> bool:
        """Action cards are played like "both" cards (PRODUCT.md, Decks)."""
        return self.mode is CardMode.BOTH or self.kind in (CardKind.ACTION, CardKind.CLOSING)


@dataclass(frozen=True, slots=True)
class Deck:
    id: str
    version: str
    title: Text
    description: Text
    default_language: str
    languages: tuple[str, ...]
    authors: tuple[str, ...]
    license: str
    age_rating: str
    levels: tuple[Level, ...]
    tags: tuple[Tag, ...]
    cards: tuple[Card, ...]
    closing: Card | None = None
    # A couple's own deck keeps the file it was built from (stored with its room only).
    source: str | None = field(default=None, compare=False, repr=False)
    by_id: Mapping[str, Card] = field(default_factory=dict, compare=False, repr=False)
    by_level: tuple[tuple[Card, ...], ...] = field(default=(), compare=False, repr=False)
    tag_ids: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    # Derived, language-specific data computed once per deck (views ask on every change).
    memo: dict[tuple[str, str], object] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index = {c.id: c for c in self.cards}
        if self.closing is not None:
            index[self.closing.id] = self.closing
        object.__setattr__(self, "by_id", index)
        levels = tuple(
            tuple(c for c in self.cards if c.level == i) for i in range(len(self.levels))
        )
        object.__setattr__(self, "by_level", levels)
        object.__setattr__(self, "tag_ids", frozenset(t.id for t in self.tags))

    def band(self, card: Card) -> int:
        """The dealing band of ``card`` within its level (0 is dealt first)."""
        width = self.levels[card.level].band_width if card.level is not None else 1
        return (card.intensity - 1) // max(width, 1)

    def card(self, card_id: str) -> Card:
        return self.by_id[card_id]

    def text(self, text: Text, language: str) -> str:
        """Text in ``language``, falling back to the deck's default language."""
        found = text.get(language)
        if found is None:
            found = text.get(self.default_language)
        if found is None:
            found = next(iter(text.values()), "")
        return found
