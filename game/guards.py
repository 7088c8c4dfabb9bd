"""Guards: the conditions beyond the phase table (``transitions``) for an action to be
accepted. Each returns the refusal's code, or None when the action may go ahead; none
changes anything. (Codes rather than exceptions: ``views.legal_actions`` asks every
guard on every view, and raising there would be the hot path's main cost.)"""

from __future__ import annotations

import re
from collections.abc import Callable

from game import actions as a
from game import dealing
from game.errors import ErrorCode
from game.model import Room

Guard = Callable[[Room, int, a.Action], ErrorCode | None]


def ready(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    if room.seats[seat].ready:
        return ErrorCode.LOBBY_ALREADY_READY
    return None


def unready(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    if not room.seats[seat].ready:
        return ErrorCode.LOBBY_NOT_READY
    return None


def mark_boundary(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    assert isinstance(action, a.MarkBoundary)
    if action.tag not in room.deck.tag_ids:
        return ErrorCode.BOUNDARY_UNKNOWN_TAG
    if action.tag in room.seats[seat].boundaries:
        return ErrorCode.BOUNDARY_ALREADY
    return None


def unmark_boundary(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    assert isinstance(action, a.UnmarkBoundary)
    if action.tag not in room.seats[seat].boundaries:
        return ErrorCode.BOUNDARY_NOT_MARKED
    return None


def draw(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    if room.proposal is not None:
        return ErrorCode.LEVEL_NEEDS_CONSENT
    if dealing.exhausted(room):
        return ErrorCode.CARD_NONE_LEFT
    return None


def skip(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    if room.turn is not None and room.turn.closing:
        return ErrorCode.CARD_NOT_ON_TABLE  # the closing card is left with skip_closing
    return None


def react(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    assert isinstance(action, a.React)
    if action.reaction not in a.REACTIONS:
        return ErrorCode.REACTION_UNKNOWN
    return None


def star(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    card = room.turn.card_id if room.turn is not None else room.last_card
    if card is None:
        return ErrorCode.STAR_NOTHING
    if card in room.seats[seat].stars:
        return ErrorCode.STAR_ALREADY
    return None


def unstar(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    assert isinstance(action, a.Unstar)
    if action.card not in room.seats[seat].stars:
        return ErrorCode.STAR_UNKNOWN
    return None


def propose_deeper(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    if room.proposal is not None:
        return ErrorCode.LEVEL_ALREADY_PROPOSED
    level = dealing.effective_level(room)
    if level + 1 >= len(room.deck.levels):
        return ErrorCode.LEVEL_NO_DEEPER
    if room.level_cap is not None and level + 1 > room.level_cap:
        return ErrorCode.LEVEL_ABOVE_CAP
    if room.declined_by == seat and len(room.completed) <= room.declined_at:
        return ErrorCode.LEVEL_WAIT_AFTER_DECLINE
    minimum = room.deck.levels[level].min_cards
    if dealing.completed_per_level(room)[level] < minimum and not dealing.exhausted(room):
        return ErrorCode.LEVEL_TOO_SOON
    return None


def answer_proposal(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    if room.proposal is None:
        return ErrorCode.LEVEL_NO_PROPOSAL
    elif room.proposal.by == seat:
        return ErrorCode.LEVEL_OWN_PROPOSAL
    return None


def withdraw_proposal(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    if room.proposal is None or room.proposal.by != seat:
        return ErrorCode.LEVEL_NO_PROPOSAL
    return None


def step_back(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    assert isinstance(action, a.StepBack)
    if not 0 <= action.level < dealing.effective_level(room):
        return ErrorCode.LEVEL_NOT_LIGHTER
    return None


def pause(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    if room.seats[seat].paused:
        return ErrorCode.GAME_PAUSED
    return None


def resume(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    if not room.seats[seat].paused:
        return ErrorCode.GAME_NOT_PAUSED
    return None


def skip_closing(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    if room.turn is None or not room.turn.closing:
        return ErrorCode.CARD_NOT_ON_TABLE
    return None


def set_language(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    assert isinstance(action, a.SetLanguage)
    if not _is_language(action.language):
        return ErrorCode.LOBBY_UNKNOWN_LANGUAGE
    return None


def _is_language(code: str) -> bool:
    return _LANGUAGE.fullmatch(code) is not None


_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")  # "en", "de", "pt-BR"


def _none(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    return None


GUARDS: dict[str, Guard] = {
    "ready": ready,
    "unready": unready,
    "mark_boundary": mark_boundary,
    "unmark_boundary": unmark_boundary,
    "draw": draw,
    "skip": skip,
    "react": react,
    "star": star,
    "unstar": unstar,
    "propose_deeper": propose_deeper,
    "accept_deeper": answer_proposal,
    "decline_deeper": answer_proposal,
    "withdraw_proposal": withdraw_proposal,
    "step_back": step_back,
    "pause": pause,
    "resume": resume,
    "skip_closing": skip_closing,
    "set_language": set_language,
}


def guard_for(name: str) -> Guard:
    return GUARDS.get(name, _none)
