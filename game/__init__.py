"""Closeknit's rules engine: pure, deterministic, no I/O.

``apply(room, seat, action, now=...)`` returns an ``Outcome`` (the new room, one version
higher, and its events) or raises ``RuleViolation``; ``view_for(room, seat)`` is what that
seat may see, with the actions it may take now.
"""

from __future__ import annotations

from game.actions import Action, from_wire
from game.codec import from_dict, to_dict
from game.deck import Card, CardKind, CardMode, Deck, FollowUp, Level, Tag
from game.errors import ActionFormatError, ErrorCode, GameError, RuleViolation
from game.events import Event
from game.legality import legal as legal_actions
from game.legality import refusal
from game.model import Phase, Room, Seat
from game.rules import Outcome, apply, new_room
from game.views import deck_view, view_for

__all__ = [
    "Action",
    "ActionFormatError",
    "Card",
    "CardKind",
    "CardMode",
    "Deck",
    "ErrorCode",
    "Event",
    "FollowUp",
    "GameError",
    "Level",
    "Outcome",
    "Phase",
    "Room",
    "RuleViolation",
    "Seat",
    "Tag",
    "apply",
    "deck_view",
    "from_dict",
    "from_wire",
    "legal_actions",
    "new_room",
    "refusal",
    "to_dict",
    "view_for",
]
