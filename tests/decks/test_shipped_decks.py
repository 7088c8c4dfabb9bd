"""Every deck that ships with Closeknit validates without a single warning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from deck_support import BUILTIN

from decks.loader import load_deck


def test_three_decks_ship() -> None:
    assert len(BUILTIN) >= 3


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
