"""``deck lint`` in one call: the validator's warnings, the linter's, and the silences."""

from __future__ import annotations

from decks.lint import lint_deck
from decks.loader import LoadResult
from decks.silences import Silenced, apply_silences


def lint_report(result: LoadResult) -> Silenced:
    """Every warning about a loaded deck that no silence covers, each silence with what it
    silenced, and a warning for each silence that silenced nothing. Positions filled in."""
    if result.deck is None:
        return Silenced([], [])
    found = lint_deck(result.deck, card_pointers=result.card_pointers)
    located = [result.locate(problem) for problem in found]
    silenced = apply_silences([*result.warnings, *located], result.silences)
    warnings = [result.locate(problem) for problem in silenced.warnings]
    return Silenced(warnings, silenced.silences)
