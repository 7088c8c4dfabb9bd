"""Every deck that ships with Closeknit validates and lints without a single warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from deck_support import BUILTIN

from decks.lint import lint_deck
from decks.loader import load_deck


def test_three_decks_ship() -> None:
    assert len(BUILTIN) >= 3


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.name)
def test_shipped_deck_validates_without_errors_or_warnings(path: Path) -> None:
    result = load_deck(path.read_bytes(), source=path.name)
    assert result.errors == []
    assert result.warnings == []


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.name)
def test_shipped_deck_lints_clean(path: Path) -> None:
    result = load_deck(path.read_bytes(), source=path.name)
    assert result.deck is not None, result.errors
    warnings = [
        result.locate(w) for w in lint_deck(result.deck, card_pointers=result.card_pointers)
    ]
    assert [f"{w.line}:{w.column} {w.pointer}: {w.message}" for w in warnings] == []
