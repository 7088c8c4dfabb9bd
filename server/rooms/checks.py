"""What a client sends into a room, checked against the configured limits before the
engine sees it: typed texts (a sealed envelope in a sealed room) and names, the card ids
a remembering device sends with a new room (issue 21), and a new room's first settings."""

from __future__ import annotations

from collections.abc import Sequence

from game import ActionFormatError, Room, apply, from_wire
from game import ErrorCode as GameCode
from game.actions import Action, SetLanguage, SetLightMode, SetName
from server.errors import ErrorCode, Refused
from server.settings import Settings
from server.wire import seal

# What a device that remembers may send when creating a room (docs/protocol.md): card ids
# of earlier evenings on this deck. Bounded so a room's stored state stays small.
MAX_PLAYED = 1000
MAX_PLAYED_ID = 64  # the deck format's longest id


def within_limits(action: Action, settings: Settings, *, sealed: bool = False) -> None:
    """The configured limits (the engine's own are the ceiling: 2,000 and 40); in a
    sealed room a typed text must be a well-formed envelope of its field's size."""
    text = getattr(action, "text", None)
    if isinstance(text, str) and sealed:
        try:
            seal.check(text, max_chars=settings.max_text)
        except seal.EnvelopeError as exc:
            raise Refused(ErrorCode.NOT_SEALED, str(exc)) from None
    elif isinstance(text, str) and len(text) > settings.max_text:
        raise ActionFormatError(GameCode.TEXT_TOO_LONG, f"at most {settings.max_text} characters")
    if isinstance(action, SetName) and len(action.value) > settings.max_name:
        raise ActionFormatError(GameCode.NAME_INVALID, f"at most {settings.max_name} characters")


def check_played(played: Sequence[str]) -> None:
    """The ids a remembering device sent, within bounds (ids the deck lacks are dropped by
    ``new_room``; nothing else about them is checked or kept)."""
    if len(played) > MAX_PLAYED:
        raise Refused(ErrorCode.PLAYED_TOO_MANY, f"At most {MAX_PLAYED} played cards.")
    if any(not p or len(p) > MAX_PLAYED_ID for p in played):
        raise Refused(ErrorCode.PLAYED_BAD_ID, f"A card id is 1-{MAX_PLAYED_ID} characters.")


def text_limit(settings: Settings) -> int:
    """The longest typed field a move may carry: an envelope's length while texts are
    sealed (``wire.seal``), else ``MAX_TEXT``."""
    if settings.sealed_texts:
        return seal.max_chars_for(settings.max_text)
    return settings.max_text


def set_up(
    room: Room, name: str | None, language: str | None, *, light: bool, limits: Settings, now: float
) -> Room:
    """A new room with its creator's name, language and light mode, each checked."""
    if language is not None and language not in room.deck.languages:
        raise ActionFormatError(GameCode.LOBBY_UNKNOWN_LANGUAGE, "the deck lacks it")
    if name is not None:  # "" is refused as the docs say, not taken as no name
        set_name = from_wire("set_name", {"value": name}, {})  # the engine's name checks
        within_limits(set_name, limits)
        room = apply(room, 0, set_name, now=now).room
    if language and language != room.seats[0].language:
        room = apply(room, 0, SetLanguage(language), now=now).room
    if light:
        room = apply(room, 0, SetLightMode(True), now=now).room
    return room
