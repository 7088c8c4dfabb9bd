"""Paths and helpers shared by the deck tests (a plain module: conftest is not importable)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from decks.loader import LoadResult, load_deck

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "samples" / "valid.json"
BROKEN = HERE / "broken"
REPO = HERE.parent.parent
BUILTIN = sorted((REPO / "decks" / "builtin").glob("*.json"))


def sample_data() -> dict[str, Any]:
    """A fresh copy of a small valid deck (2 levels of 3 cards, a closing card, en+de)."""
    data: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def load_data(data: Any) -> LoadResult:
    """Serialise a deck the way people write them (indented) and load it."""
    return load_deck(json.dumps(data, indent=2, ensure_ascii=False), source="test.json")


def codes(result: LoadResult) -> list[tuple[str, str]]:
    return [(p.code, p.pointer) for p in result.errors]
