"""No card repeats another: across every shipped deck and every language, no card or
follow-up says (nearly) what another says.

A couple who plays one deck after another, or a host who runs two in one evening, should
never meet the same question twice in other words. The check is the linter's own
near-duplicate measure (``decks.lint.similar_texts``: the lowercase word sets of two
texts in one language, Jaccard >= 0.7), run over all shipped decks at once, so a reader
and the linter agree on what counts as a repeat.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from deck_support import BUILTIN

from decks.cli import load_file
from decks.lint import NEAR_DUPLICATE, similar_texts
from game.deck import Deck

# Where a text sits: "closer/w01" for a card, "closer/w01/follow_ups/0" for a follow-up.
Place = str


def _deck(path: Path) -> Deck:
    result = load_file(str(path))
    assert result.deck is not None, result.errors
    return result.deck


def _texts(decks: list[Deck], language: str) -> Iterator[tuple[Place, str]]:
    """Every card and follow-up text in ``language``, with where it sits."""
    for deck in decks:
        cards = [*deck.cards, *([deck.closing] if deck.closing else [])]
        for card in cards:
            if language in card.text:
                yield f"{deck.id}/{card.id}", card.text[language]
            for index, follow_up in enumerate(card.follow_ups):
                if language in follow_up.text:
                    yield f"{deck.id}/{card.id}/follow_ups/{index}", follow_up.text[language]


def repeats(decks: list[Deck], language: str) -> list[str]:
    """Every pair of texts in ``language`` the near-duplicate check finds, readable."""
    found = similar_texts(_texts(decks, language))
    return sorted(f"{min(a, b)} ~ {max(a, b)} ({score:.2f})" for a, b, score in found)


SHIPPED = [_deck(path) for path in BUILTIN]
LANGUAGES = sorted({language for deck in SHIPPED for language in deck.languages})


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_shipped_card_or_follow_up_repeats_another_in_any_deck(language: str) -> None:
    assert repeats(SHIPPED, language) == []


def test_the_repeat_check_finds_a_card_copied_into_another_deck_in_new_case_and_marks() -> None:
    original = SHIPPED[0]
    card = original.cards[0]
    text = {lang: value.upper().replace("?", "!") for lang, value in card.text.items()}
    copied = replace(
        original, id="copy", cards=(replace(card, id="copied", text=text),), closing=None
    )
    found = repeats([original, copied], original.default_language)
    assert f"{original.id}/{card.id} ~ copy/copied (1.00)" in found


def test_the_repeat_check_finds_a_follow_up_that_echoes_a_card_of_another_deck() -> None:
    texts = [
        ("a/c1", "Which small habit of mine makes you laugh?"),
        ("b/c9/follow_ups/0", "Which small habit of mine makes you laugh most?"),
    ]
    pairs = list(similar_texts(texts))
    assert [(a, b) for a, b, _ in pairs] == [("a/c1", "b/c9/follow_ups/0")]
    assert pairs[0][2] >= NEAR_DUPLICATE
