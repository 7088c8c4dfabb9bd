"""What a client sends into a room, checked against the configured limits before the
engine sees it: typed texts (a sealed envelope in a sealed room) and names, and the
card ids a remembering device sends with a new room (issue 21)."""

from __future__ import annotations

from collections.abc import Sequence

from game import ActionFormatError
from game import ErrorCode as GameCode
from game.actions import Action, SetName
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
