"""The decks a server offers: the built-in ones plus an optional folder of extra decks.

A broken deck in the extra folder is reported and skipped: a host's typo must never stop
the server from starting with the decks that are fine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from decks.loader import MAX_BYTES, load_deck
from decks.problems import Problem
from game.deck import Deck

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
# Listed first whatever the other files are called: the start screen offers the decks in
# catalog order and preselects the first, and a couple who does not choose should get
# the couples deck, not "after-an-argument" (which sorts before it).
FIRST_DECK = "closer"

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Catalog:
    decks: dict[str, Deck] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)
    skipped: dict[Path, list[Problem]] = field(default_factory=dict)


def load_catalog(
    extra_dir: Path | str | None = None, *, builtin_dir: Path = BUILTIN_DIR
) -> Catalog:
    """Every valid deck by id; built-in decks win over extra decks with the same id."""
    catalog = Catalog()
    folders = [Path(builtin_dir)] + ([Path(extra_dir)] if extra_dir is not None else [])
    for folder in folders:
        for path in _deck_files(folder, catalog):
            _add(catalog, path)
    if FIRST_DECK in catalog.decks:  # a repeated key keeps the first key's place
        catalog.decks = {FIRST_DECK: catalog.decks[FIRST_DECK], **catalog.decks}
    return catalog


def load_decks(extra_dir: Path | str | None = None) -> dict[str, Deck]:
    """Just the decks, by id (problems are logged)."""
    return load_catalog(extra_dir).decks


def _deck_files(folder: Path, catalog: Catalog) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".json" and p.is_file())
    except OSError as error:
        _skip(
            catalog, folder, Problem("catalog/unreadable", f"cannot list folder: {error.strerror}")
        )
        return []


def _add(catalog: Catalog, path: Path) -> None:
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # enough to see that it is too large
    except OSError as error:
        _skip(catalog, path, Problem("catalog/unreadable", f"cannot read file: {error.strerror}"))
        return
    try:
        result = load_deck(data, source=str(path))
    except Exception as error:  # the loader never raises; a server must start even if it did
        log.exception("deck loader failed on %s", path)
        _skip(catalog, path, Problem("catalog/loader_failed", f"loader failed: {error!r}"))
        return
    if result.deck is None:
        _skip(catalog, path, *result.errors)
        return
    if result.deck.id in catalog.decks:
        message = f"deck id {result.deck.id!r} is already used by {catalog.sources[result.deck.id]}"
        _skip(catalog, path, Problem("catalog/duplicate_id", message, "/id"))
        return
    catalog.decks[result.deck.id] = result.deck
    catalog.sources[result.deck.id] = path


def _skip(catalog: Catalog, path: Path, *problems: Problem) -> None:
    catalog.skipped[path] = list(problems)
    first = problems[0] if problems else None
    detail = f"{first.line}:{first.column}: {first.message}" if first else "unknown problem"
    log.warning("skipping deck %s (%d problems; first at %s)", path, len(problems), detail)
