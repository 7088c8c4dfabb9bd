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


def declare_language(data: dict[str, Any], language: str) -> None:
    """Add ``language`` to a sample deck, its texts copied from English, so a test can
    then set one text in that language and lint it alone."""

    def copy_english(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("en"), str) and "de" in node:
                node.setdefault(language, node["en"])
            for value in list(node.values()):
                copy_english(value)
        elif isinstance(node, list):
            for value in node:
                copy_english(value)

    if language not in data["languages"]:
        data["languages"].append(language)
        copy_english(data)
