"""Every deck that ships with Closeknit validates without a single warning and keeps the
shape its design promises (levels, sizes, habits, the card an argument deck opens with)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from deck_support import BUILTIN

from decks.loader import load_deck
from game.dealing import pick
from game.deck import Deck
from game.rules import new_room

OLDER = ("closer", "mixer", "three-sets")
NEW = ("weekly-check-in", "far-apart", "after-an-argument")  # issue 23
HABITS = ("speaking", "listening", "vulnerability", "appreciation", "shared-experience")


def test_the_six_built_in_decks_ship() -> None:
    names = {p.name for p in BUILTIN}
    assert names >= {f"{deck}.json" for deck in (*OLDER, *NEW)}, names


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.name)
def test_shipped_deck_validates_without_errors_or_warnings(path: Path) -> None:
    result = load_deck(path.read_bytes(), source=path.name)
    assert result.errors == []
    assert result.warnings == []


# Linting clean (with silences that give reasons): tests/decks/test_deck_boundaries.py


def _raw(name: str) -> dict[str, Any]:
    path = next(p for p in BUILTIN if p.name == f"{name}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _per_level(deck: dict[str, Any]) -> list[int]:
    levels = [lv["id"] for lv in deck["levels"]]
    return [sum(1 for c in deck["cards"] if c.get("level") == lv) for lv in levels]


def test_the_couples_deck_has_three_full_levels_every_mode_and_a_closing_card() -> None:
    deck = _raw("closer")
    assert len(deck["levels"]) == 3
    assert min(_per_level(deck)) >= 30, _per_level(deck)
    modes = {c["mode"] for c in deck["cards"] if c.get("level") is not None}
    kinds = {c["kind"] for c in deck["cards"]}
    assert {"both", "reveal"} <= modes and {"action", "closing"} <= kinds
    assert sum(1 for c in deck["cards"] if c["kind"] == "closing") == 1
    assert all({"en", "de"} <= set(c["text"]) for c in deck["cards"])


def test_the_party_mixer_deck_has_three_levels_of_twenty_or_more() -> None:
    deck = _raw("mixer")
    assert len(deck["levels"]) == 3
    assert min(_per_level(deck)) >= 20, _per_level(deck)


def test_the_three_sets_deck_is_three_sets_of_twelve_answered_by_both() -> None:
    deck = _raw("three-sets")
    assert _per_level(deck) == [12, 12, 12]
    dealt = [c for c in deck["cards"] if c.get("level") is not None]
    assert all(c["mode"] == "both" for c in dealt)


def test_the_three_sets_deck_keeps_its_written_rise_in_bands_of_three() -> None:
    # Issue 15: a deck may choose bands for a whole level; each set rises in four bands of
    # three, dealt lightest first and at random within a band.
    deck = _loaded("three-sets")
    for index, level in enumerate(deck.levels):
        assert level.band_width == 1, level.id
        bands = [deck.band(c) for c in deck.by_level[index]]
        assert bands == sorted(bands), level.id  # the written order rises
        assert [bands.count(b) for b in range(4)] == [3, 3, 3, 3], (level.id, bands)


@pytest.mark.parametrize("name", NEW)
def test_each_new_deck_has_36_cards_on_three_levels_a_closing_card_and_english_german_spanish(
    name: str,
) -> None:
    deck = _raw(name)
    assert deck["languages"] == ["en", "de", "es"]
    assert len(deck["levels"]) == 3
    dealt = [c for c in deck["cards"] if c["kind"] != "closing"]
    assert len(dealt) >= 36 and min(_per_level(deck)) >= 12, _per_level(deck)
    assert sum(1 for c in deck["cards"] if c["kind"] == "closing") == 1
    for card in deck["cards"]:
        assert set(card["text"]) == {"en", "de", "es"}, card["id"]
        for follow_up in card.get("follow_ups", []):
            assert set(follow_up.get("text", follow_up)) == {"en", "de", "es"}, card["id"]


@pytest.mark.parametrize("name", NEW)
def test_each_new_deck_practises_every_habit_on_five_cards_or_more(name: str) -> None:
    deck = _raw(name)
    dealt = [c for c in deck["cards"] if c["kind"] != "closing"]
    assert all(c.get("habit") in HABITS for c in dealt)
    counts = {habit: sum(1 for c in dealt if c["habit"] == habit) for habit in HABITS}
    assert min(counts.values()) >= 5, counts


def test_the_far_apart_deck_has_nothing_a_couple_on_a_call_cannot_play() -> None:
    deck = _raw("far-apart")
    for card in deck["cards"]:
        assert "touch" not in card.get("tags", []), card["id"]
        assert all("touch" not in f.get("tags", []) for f in card.get("follow_ups", []))


def _loaded(name: str) -> Deck:
    path = next(p for p in BUILTIN if p.name == f"{name}.json")
    result = load_deck(path.read_bytes(), source=path.name)
    assert result.deck is not None
    return result.deck


@pytest.mark.parametrize("apart", [False, True])
def test_after_an_argument_always_deals_its_pause_and_safety_card_first(apart: bool) -> None:
    deck = _loaded("after-an-argument")
    first = deck.by_id["a00"]
    assert first.level == 0 and "pause" in first.text["en"].lower()
    assert "unsafe" in first.text["en"] and "nicht sicher" in first.text["de"]
    assert "a salvo" in first.text["es"]
    # Alone in the first level's lightest band, so no seed deals anything before it.
    assert [c.id for c in deck.by_level[0] if deck.band(c) == 0] == ["a00"]
    for seed in range(200):
        room = replace(new_room("r", deck, seed=seed), apart=apart)
        card = pick(room, 0)
        assert card is not None and card.id == "a00", (seed, card)


def test_after_an_argument_says_where_to_find_help_without_numbers_or_links() -> None:
    deck = _raw("after-an-argument")
    for language, text in deck["description"].items():
        assert not re.search(r"\d|https?:|www\.|@", text), language
    assert "unsafe" in deck["description"]["en"] and "support service" in deck["description"]["en"]
    assert "nicht sicher" in deck["description"]["de"]
    assert "Beratungsstelle" in deck["description"]["de"]
    assert "a salvo" in deck["description"]["es"] and "servicio" in deck["description"]["es"]
