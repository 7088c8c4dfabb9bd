"""Parse and validate a deck file into the engine's ``game.deck.Deck``.

The pipeline, cheapest and most hostile-input-proof first: size limit, UTF-8, a
position-aware JSON scan (depth, duplicate keys, card count), the JSON Schema, then the
rules a schema cannot express. Any input yields a deck or errors; nothing raises.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from decks.checks import check, used_topics
from decks.jsonscan import ScanResult, scan
from decks.problems import Problem
from decks.schemacheck import schema_problems
from decks.silences import Silence, read_silences
from decks.vocabulary import vocabulary
from game.deck import Card, CardKind, CardMode, Deck, FollowUp, Level, Tag

MAX_BYTES = 1024 * 1024


@dataclass(slots=True)
class LoadResult:
    """A deck (when there are no errors) and everything found on the way."""

    deck: Deck | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    source: str = "<deck>"
    card_pointers: dict[str, str] = field(default_factory=dict)
    scanned: ScanResult | None = None
    silences: list[Silence] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.deck is not None

    def locate(self, problem: Problem) -> Problem:
        """``problem`` with the line and column of its pointer in this file."""
        if self.scanned is None:
            return problem
        line, column = self.scanned.locate(problem.pointer)
        return dataclasses.replace(problem, line=line, column=column)


def load_deck(data: bytes | str, *, source: str = "<deck>") -> LoadResult:
    """Parse and validate one deck file's content."""
    raw, failure = _as_bytes(data)
    if failure is not None:
        return LoadResult(None, [failure], source=source)
    if len(raw) > MAX_BYTES:
        message = f"file is {len(raw)} bytes; the limit is {MAX_BYTES} bytes (1 MiB)"
        return LoadResult(None, [Problem("file/too_large", message)], source=source)
    text, failure = _decode(raw)
    if failure is not None:
        return LoadResult(None, [failure], source=source)
    scanned = scan(text)
    result = LoadResult(None, source=source, scanned=scanned)
    if scanned.errors:
        result.errors = scanned.errors
        return result
    _validate(result, scanned.value)
    return result


def _validate(result: LoadResult, value: Any) -> None:
    problems = schema_problems(value)
    if not problems:
        problems = check(value)
    located = sorted((result.locate(p) for p in problems), key=_order)
    result.errors = [p for p in located if p.severity == "error"]
    result.warnings = [p for p in located if p.severity == "warning"]
    if not result.errors:
        result.deck = build(value)
        result.card_pointers = {card["id"]: f"/cards/{i}" for i, card in enumerate(value["cards"])}
        result.silences = read_silences(value)


def _order(problem: Problem) -> tuple[int, int, str]:
    return problem.line, problem.column, problem.code


def _as_bytes(data: bytes | str) -> tuple[bytes, Problem | None]:
    if isinstance(data, bytes):
        return data, None
    try:
        return data.encode("utf-8"), None
    except UnicodeEncodeError as error:
        message = f"text contains an unpaired surrogate at character {error.start}"
        return b"", Problem("file/not_utf8", message)


def _decode(raw: bytes) -> tuple[str, Problem | None]:
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = f"not valid UTF-8: byte 0x{raw[error.start]:02x} at offset {error.start}"
        return "", Problem("file/not_utf8", message, "", line, column)


# -- building the engine's model ------------------------------------------------------
def _text(value: Mapping[str, str]) -> dict[str, str]:
    return {language: unicodedata.normalize("NFC", text) for language, text in value.items()}


def build(data: dict[str, Any]) -> Deck:
    """The engine's Deck from schema-valid, checked data."""
    levels = tuple(
        Level(
            id=level["id"],
            name=_text(level["name"]),
            description=_text(level["description"]),
            min_cards=int(level.get("min_cards", 0)),  # JSON 2.0 is an integer too
            band_width=int(level.get("band_width", 2)),
            color=level.get("color"),
        )
        for level in data["levels"]
    )
    index = {level.id: position for position, level in enumerate(levels)}
    cards = [_card(card, index) for card in data["cards"]]
    closing = next((card for card in cards if card.kind is CardKind.CLOSING), None)
    return Deck(
        id=data["id"],
        version=data["version"],
        title=_text(data["title"]),
        description=_text(data["description"]),
        default_language=data["default_language"],
        languages=tuple(data["languages"]),
        authors=tuple(data["authors"]),
        license=data["license"],
        age_rating=data["age_rating"],
        levels=levels,
        tags=_topics(data),
        cards=tuple(card for card in cards if card.kind is not CardKind.CLOSING),
        closing=closing,
    )


def _topics(data: dict[str, Any]) -> tuple[Tag, ...]:
    """The topics players may mark: the shared vocabulary's that the deck uses (with the
    shared labels, in the vocabulary's order), then the deck's own."""
    shared = vocabulary()
    used = set(used_topics(data))
    tags = [Tag(t.id, _text(t.label)) for t in shared.topics if t.id in used]
    own = data.get("tags", [])
    return (*tags, *(Tag(t["id"], _text(t["label"])) for t in own if t["id"] not in shared.by_id))


def _follow_up(value: dict[str, Any]) -> FollowUp:
    if "text" in value:
        return FollowUp(_text(value["text"]), frozenset(value.get("tags", ())))
    return FollowUp(_text(value))


def _card(card: dict[str, Any], levels: Mapping[str, int]) -> Card:
    level = card.get("level")
    return Card(
        id=card["id"],
        level=None if level is None else levels[level],
        kind=CardKind(card["kind"]),
        mode=CardMode(card["mode"]),
        text=_text(card["text"]),
        tags=frozenset(card.get("tags", ())),
        follow_ups=tuple(_follow_up(f) for f in card.get("follow_ups", ())),
        intensity=int(card.get("intensity", 1)),
        habit=card.get("habit"),
    )
