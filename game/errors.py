"""Typed rejections with stable codes.

``RuleViolation`` means the player asked for something the rules do not allow right now
(the peer misbehaved, or raced); it changes nothing and is sent back to that player only.
``ActionFormatError`` means the action itself is malformed (unknown name, wrong field).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    # action shape
    ACTION_UNKNOWN = "action/unknown"
    ACTION_INVALID = "action/invalid"
    # lobby
    LOBBY_NOT_IN_LOBBY = "lobby/not_in_lobby"
    LOBBY_NOT_READY = "lobby/not_ready"
    LOBBY_ALREADY_READY = "lobby/already_ready"
    LOBBY_SEAT_TAKEN = "lobby/seat_taken"
    LOBBY_UNKNOWN_DECK = "lobby/unknown_deck"
    LOBBY_UNKNOWN_LANGUAGE = "lobby/unknown_language"
    LOBBY_UNKNOWN_CARD = "lobby/unknown_card"
    # turns and phases
    TURN_NOT_YOURS = "turn/not_yours"
    TURN_WRONG_PHASE = "turn/wrong_phase"
    TURN_LISTENER_ONLY = "turn/listener_only"
    # cards
    CARD_NONE_LEFT = "card/none_left"
    CARD_NOT_ON_TABLE = "card/not_on_table"
    CARD_ALREADY_SUBMITTED = "card/already_submitted"
    CARD_NEW_CARD_DUE = "card/new_card_due"
    # levels
    LEVEL_NEEDS_CONSENT = "level/needs_consent"
    LEVEL_NO_DEEPER = "level/no_deeper"
    LEVEL_ABOVE_CAP = "level/above_cap"
    LEVEL_TOO_SOON = "level/too_soon"
    LEVEL_ALREADY_PROPOSED = "level/already_proposed"
    LEVEL_NO_PROPOSAL = "level/no_proposal"
    LEVEL_OWN_PROPOSAL = "level/own_proposal"
    LEVEL_NOT_LIGHTER = "level/not_lighter"
    LEVEL_WAIT_AFTER_DECLINE = "level/wait_after_decline"
    # pause
    GAME_PAUSED = "game/paused"
    GAME_HOST_PAUSED = "game/host_paused"
    GAME_NOT_PAUSED = "game/not_paused"
    GAME_ENDED = "game/ended"
    GAME_NOT_ENDED = "game/not_ended"
    GAME_NOT_STARTED = "game/not_started"
    TICK_NOTHING_DUE = "tick/nothing_due"
    # boundaries, stars, reactions
    BOUNDARY_UNKNOWN_TAG = "boundary/unknown_tag"
    BOUNDARY_ALREADY = "boundary/already_marked"
    BOUNDARY_NOT_MARKED = "boundary/not_marked"
    STAR_NOTHING = "star/nothing"
    STAR_ALREADY = "star/already"
    STAR_UNKNOWN = "star/unknown"
    REACTION_UNKNOWN = "reaction/unknown"
    TEXT_INVALID = "text/invalid"
    TEXT_TOO_LONG = "text/too_long"
    NAME_INVALID = "name/invalid"
    # a couple's own deck
    DECK_NONE = "deck/none"
    DECK_ALREADY_ADDED = "deck/already_added"
    DECK_ALREADY_ACCEPTED = "deck/already_accepted"
    DECK_ADDED_BY_YOU = "deck/added_by_you"


class GameError(Exception):
    """Base of every error the engine raises on purpose."""

    def __init__(self, code: ErrorCode, detail: str = "") -> None:
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail


class RuleViolation(GameError):
    """The action is well formed but not allowed now. Nothing changed."""


class ActionFormatError(GameError):
    """The action is malformed: unknown name, missing or mistyped field."""
