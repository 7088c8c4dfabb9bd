"""A couple's own deck in a sealed room (issue 20): its texts arrive sealed.

The couple's browser seals every text of the deck (title, description, level names and
descriptions, card texts, follow-ups) with the room key before the upload; ids, kinds,
modes, levels, tags (topics) and the file's structure stay readable. The server checks
the deck as any deck, with each envelope standing in as a short placeholder text, and
checks each envelope's shape and padded size against its field's limit (docs/protocol.md
"A couple's own deck, sealed"). The checks that need the words (length in characters,
control characters) ran in the browser before sealing; the server cannot run them.
"""

from __future__ import annotations

from typing import Any

from decks.checks import check, texts
from decks.jsonscan import scan
from decks.loader import LoadResult, build
from decks.problems import Problem, join_pointer
from decks.schemacheck import schema_problems
from decks.silences import read_silences
from server.wire import seal

PLACEHOLDER = "sealed"  # what the checks see in place of an envelope
LONGEST = 500  # the deck format's longest text (a description)
NOT_SEALED = "text/not_sealed"


def load_own(source: str, *, sealed: bool) -> LoadResult:
    """``source`` checked as a deck whose envelopes stand for texts; with ``sealed``,
    every text (topics' labels aside) must be an envelope within its field's size."""
    scanned = scan(source)
    result = LoadResult(None, source="your deck", scanned=scanned)
    if scanned.errors:
        result.errors = scanned.errors
        return result
    envelopes: dict[str, str] = {}
    swapped = _swap(scanned.value, "", envelopes)
    problems = schema_problems(swapped) or check(swapped)
    if not any(p.severity == "error" for p in problems):
        problems += _sealing(swapped, envelopes, required=sealed)
    located = sorted((result.locate(p) for p in problems), key=lambda p: (p.line, p.column))
    result.errors = [p for p in located if p.severity == "error"]
    result.warnings = [p for p in located if p.severity == "warning"]
    if not result.errors:
        result.deck = build(scanned.value)
        result.silences = read_silences(scanned.value)
    return result


def _swap(value: Any, pointer: str, envelopes: dict[str, str]) -> Any:
    """A copy of ``value`` with each well-formed envelope replaced by the placeholder."""
    if isinstance(value, dict):
        return {k: _swap(v, join_pointer(pointer, k), envelopes) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap(v, join_pointer(pointer, i), envelopes) for i, v in enumerate(value)]
    if isinstance(value, str) and value.startswith(seal.PREFIX):
        try:
            seal.check(value, max_chars=LONGEST)
        except seal.EnvelopeError:
            return value  # the checks then name it (too long, or not sealed)
        envelopes[pointer] = value
        return PLACEHOLDER
    return value


def _sealing(data: dict[str, Any], envelopes: dict[str, str], *, required: bool) -> list[Problem]:
    limits = {
        join_pointer(pointer, language): limit
        for pointer, text, limit in texts(data)
        if not pointer.startswith("/tags/")
        for language in text
    }
    out: list[Problem] = []
    for pointer, limit in limits.items():
        envelope = envelopes.get(pointer)
        if envelope is None:
            if required:
                message = "this room takes sealed texts only: the page seals them before adding"
                out.append(Problem(NOT_SEALED, message, pointer))
            continue
        try:
            seal.check(envelope, max_chars=limit)
        except seal.EnvelopeError as exc:
            out.append(Problem(NOT_SEALED, str(exc), pointer))
    for pointer in envelopes.keys() - limits.keys():
        message = "only texts are sealed: ids, levels and topics stay readable"
        out.append(Problem("text/sealed_not_allowed", message, pointer))
    return out
