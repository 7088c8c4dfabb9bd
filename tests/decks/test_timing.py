"""The deck picker's estimate of a game's time (decks/timing.py, issue 21)."""

from __future__ import annotations

from decks.catalog import load_decks
from decks.timing import CARDS_PER_LEVEL, MINUTES_BOTH, MINUTES_CLOSING, MINUTES_ONE, game_minutes
from game.deck import CardMode
from tests.game.factories import card, deck


def test_a_game_plays_each_levels_minimum_then_the_closing_card() -> None:
    ones = tuple(card(f"a{i}", 0) for i in range(6)) + tuple(
        card(f"b{i}", 1, mode=CardMode.BOTH) for i in range(6)
    )
    small = deck(ones, levels=2, min_cards=(5, 0))
    expected = 5 * MINUTES_ONE + CARDS_PER_LEVEL * MINUTES_BOTH + MINUTES_CLOSING
    assert game_minutes(small) == 5 * round(expected / 5)
    assert game_minutes(deck((card("x", 0),), levels=1, closing=False)) == 5  # never less


def test_every_builtin_deck_has_an_estimate_of_a_sensible_size() -> None:
    for d in load_decks().values():
        assert 15 <= game_minutes(d) <= 240, d.id


def test_the_deck_listing_carries_what_the_picker_shows() -> None:
    from server.http.deck_routes import deck_summary

    closer = load_decks()["closer"]
    summary = deck_summary(closer)
    assert summary["minutes"] == game_minutes(closer)
    assert summary["age_rating"] == "16+" and summary["languages"] == list(closer.languages)
    assert summary["title"] and summary["description"] and len(summary["levels"]) == 3  # type: ignore[arg-type]
