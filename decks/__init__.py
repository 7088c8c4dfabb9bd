"""Deck files: the JSON format, its loader and validator, the linter and the catalog."""

from __future__ import annotations

from decks.loader import LoadResult, load_deck
from decks.problems import Problem

__all__: list[str] = ["LoadResult", "Problem", "load_deck"]
