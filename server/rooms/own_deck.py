"""A couple's own deck (issue 21): a deck file one seat uploads to its room.

The same loader, schema and checks as an installed deck, with the same problems (line
and column); then the room's own bounds: at most ``MAX_BYTES`` and ``MAX_CARDS``. The
deck lives only inside its room's stored state (the file goes into the blob, so it has
the room's TTL and goes with "delete our room now"); nothing else keeps it. Built decks
are cached by the file's digest so loading a room does not parse its deck again; the
cache holds decks, never who uploaded them, and a room only ever reaches the deck built
from its own stored file.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
from collections import OrderedDict
from typing import Any

from decks.checks import check, texts
from decks.jsonscan import scan
from decks.loader import LoadResult, build, load_deck
from decks.problems import Problem, join_pointer
from decks.schemacheck import schema_problems
from decks.silences import read_silences
from game.deck import OWN_DECK_ID, Deck
from server.errors import ErrorCode, Refused
from server.wire import seal

MAX_BYTES = 64 * 1024
# A sealed room's file (issue 20): its texts are envelopes, padded and base64url, so the
# same deck takes more bytes; the page keeps the deck itself to MAX_BYTES before sealing.
SEALED_MAX_BYTES = 320 * 1024
MAX_CARDS = 200
MAX_PROBLEMS = 20  # problems named in one refusal (the first ones, in file order)
CACHED = 256


class DeckRefused(Refused):
    """The uploaded file is not a deck this room takes; ``problems`` say where (each
    ``{"code", "message", "line", "column"}``), for a file that is not a valid deck."""

    def __init__(self, code: ErrorCode, message: str, problems: list[dict[str, object]]) -> None:
        super().__init__(code, message)
        self.problems = problems


class OwnDecks:
    """Builds a couple's deck from its file, and remembers recent ones by digest."""

    def __init__(self) -> None:
        self._built: OrderedDict[str, Deck] = OrderedDict()

    async def upload(self, raw: bytes, *, sealed: bool = False) -> Deck:
        """The deck in an uploaded file, or ``DeckRefused`` (nothing is kept then). The
        checks take a fraction of a second for 200 cards: off the event loop. In a
        ``sealed`` room every text must be a sealed envelope (``load_own``, below)."""
        source, deck = await asyncio.to_thread(check_upload, raw, sealed)
        return self._keep(source, deck)

    def build(self, source: str) -> Deck:
        """The deck of a room's stored file (checked when it was uploaded)."""
        digest = _digest(source)
        found = self._built.get(digest)
        if found is not None:
            self._built.move_to_end(digest)
            return found
        deck = load_own(source, sealed=False).deck  # its envelopes, when sealed, as texts
        if deck is None:  # cannot happen for a file this server took; say so plainly
            raise Refused(ErrorCode.STORE_FORMAT, "A stored couple's deck does not load.")
        return self._keep(source, deck)

    def _keep(self, source: str, deck: Deck) -> Deck:
        digest = _digest(source)
        # The room's own id (never an installed deck's), and a version naming this file,
        # so a client told about one couple's deck is told again about the next one.
        own = dataclasses.replace(deck, id=OWN_DECK_ID, version=f"own-{digest[:16]}", source=source)
        self._built[digest] = own
        while len(self._built) > CACHED:
            self._built.popitem(last=False)
        return own


def check_upload(raw: bytes, sealed: bool = False) -> tuple[str, Deck]:
    """The file's text and its deck, or ``DeckRefused``."""
    limit = SEALED_MAX_BYTES if sealed else MAX_BYTES
    if len(raw) > limit:
        raise DeckRefused(ErrorCode.DECK_TOO_LARGE, f"At most {limit} bytes.", [])
    result = load_deck(raw, source="your deck") if not sealed else _load_sealed(raw)
    if result.deck is None:
        problems: list[dict[str, object]] = [
            {"code": p.code, "message": p.message, "line": p.line, "column": p.column}
            for p in result.errors[:MAX_PROBLEMS]
        ]
        if any(p.code == NOT_SEALED for p in result.errors):
            raise DeckRefused(ErrorCode.NOT_SEALED, "This room takes sealed texts only.", problems)
        raise DeckRefused(ErrorCode.DECK_INVALID, "The file is not a valid deck.", problems)
    deck = result.deck
    if len(deck.cards) + (deck.closing is not None) > MAX_CARDS:
        raise DeckRefused(ErrorCode.DECK_TOO_MANY_CARDS, f"At most {MAX_CARDS} cards.", [])
    return raw.decode("utf-8").removeprefix("\ufeff"), deck


def _load_sealed(raw: bytes) -> LoadResult:
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return load_deck(raw, source="your deck")  # its problem, with line and column
    return load_own(text, sealed=True)


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


# -- a sealed room's deck ------------------------------------------------------------
# A couple's own deck in a sealed room (issue 20): its texts arrive sealed.
#
# The couple's browser seals every text of the deck (title, description, level names and
# descriptions, card texts, follow-ups) with the room key before the upload; ids, kinds,
# modes, levels, tags (topics) and the file's structure stay readable. The server checks
# the deck as any deck, with each envelope standing in as a short placeholder text, and
# checks each envelope's shape and padded size against its field's limit (docs/protocol.md
# "A couple's own deck, sealed"). The checks that need the words (length in characters,
# control characters) ran in the browser before sealing; the server cannot run them.
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
