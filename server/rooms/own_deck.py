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

from decks.loader import LoadResult, load_deck
from game.deck import OWN_DECK_ID, Deck
from server.errors import ErrorCode, Refused
from server.rooms.sealed_deck import NOT_SEALED, load_own

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
        ``sealed`` room every text must be a sealed envelope (server/rooms/sealed_deck.py)."""
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
