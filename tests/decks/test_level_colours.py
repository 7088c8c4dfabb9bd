"""A deck may name a colour per level (#rrggbb); the view's deck part carries it, and
every built-in deck names one for each of its levels."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from deck_support import codes, load_data

from game.views import _deck_uncached

BUILTIN = Path(__file__).resolve().parents[2] / "decks" / "builtin"


@pytest.mark.parametrize("bad", ["red", "#fff", "#12345g", "#1234567", "12a4b6"])
def test_a_level_colour_that_is_not_rrggbb_is_refused_at_its_place(
    sample: dict[str, Any], bad: str
) -> None:
    sample["levels"][1]["color"] = bad
    assert codes(load_data(sample)) == [("schema/bad_format", "/levels/1/color")]


def test_a_named_level_colour_reaches_the_views_deck_part(sample: dict[str, Any]) -> None:
    sample["levels"][0]["color"] = "#E0a24f"
    result = load_data(sample)
    assert result.errors == [] and result.deck is not None
    levels = _deck_uncached(result.deck, "en")["levels"]
    assert isinstance(levels, list)
    assert [lv["color"] for lv in levels] == ["#E0a24f"] + [None] * (len(levels) - 1)


@pytest.mark.parametrize("path", sorted(BUILTIN.glob("*.json")), ids=lambda p: p.stem)
def test_every_builtin_deck_names_a_colour_for_each_level(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    colours = [level.get("color", "") for level in data["levels"]]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours), colours
    assert len(set(colours)) == len(colours)  # each level looks different
    assert load_data(data).errors == []
