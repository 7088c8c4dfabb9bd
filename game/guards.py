"""Guards: the conditions beyond the phase table (``transitions``) for an action to be
accepted. Each raises ``RuleViolation`` or returns None; none changes anything."""

from __future__ import annotations

from collections.abc import Callable

from game import actions as a
from game import dealing
from game.errors import ErrorCode, RuleViolation
from game.model import Room

Guard = Callable[[Room, int, a.Action], None]


def _fail(code: ErrorCode) -> None:
    raise RuleViolation(code)


def ready(room: Room, seat: int, action: a.Action) -> None:
    if room.seats[seat].ready:
        _fail(ErrorCode.LOBBY_ALREADY_READY)


def unready(room: Room, seat: int, action: a.Action) -> None:
    if not room.seats[seat].ready:
        _fail(ErrorCode.LOBBY_NOT_READY)


def mark_boundary(room: Room, seat: int, action: a.Action) -> None:
    assert isinstance(action, a.MarkBoundary)
    if action.tag not in {t.id for t in room.deck.tags}:
        _fail(ErrorCode.BOUNDARY_UNKNOWN_TAG)
    if action.tag in room.seats[seat].boundaries:
        _fail(ErrorCode.BOUNDARY_ALREADY)


def unmark_boundary(room: Room, seat: int, action: a.Action) -> None:
    assert isinstance(action, a.UnmarkBoundary)
    if action.tag not in room.seats[seat].boundaries:
        _fail(ErrorCode.BOUNDARY_NOT_MARKED)


def draw(room: Room, seat: int, action: a.Action) -> None:
    if room.proposal is not None:
        _fail(ErrorCode.LEVEL_NEEDS_CONSENT)
    if dealing.exhausted(room):
        _fail(ErrorCode.CARD_NONE_LEFT)


def skip(room: Room, seat: int, action: a.Action) -> None:
    if room.turn is not None and room.turn.closing:
        _fail(ErrorCode.CARD_NOT_ON_TABLE)  # the closing card is left with skip_closing


def react(room: Room, seat: int, action: a.Action) -> None:
    assert isinstance(action, a.React)
    if action.reaction not in a.REACTIONS:
        _fail(ErrorCode.REACTION_UNKNOWN)


def write_reveal(room: Room, seat: int, action: a.Action) -> None:
    turn = room.turn
    if turn is not None and all(turn.submitted):
        _fail(ErrorCode.CARD_ALREADY_SUBMITTED)


def star(room: Room, seat: int, action: a.Action) -> None:
    card = room.turn.card_id if room.turn is not None else room.last_card
    if card is None:
        _fail(ErrorCode.STAR_NOTHING)
    if card in room.seats[seat].stars:
        _fail(ErrorCode.STAR_ALREADY)


def unstar(room: Room, seat: int, action: a.Action) -> None:
    assert isinstance(action, a.Unstar)
    if action.card not in room.seats[seat].stars:
        _fail(ErrorCode.STAR_UNKNOWN)


def propose_deeper(room: Room, seat: int, action: a.Action) -> None:
    if room.proposal is not None:
        _fail(ErrorCode.LEVEL_ALREADY_PROPOSED)
    level = dealing.effective_level(room)
    if level + 1 >= len(room.deck.levels):
        _fail(ErrorCode.LEVEL_NO_DEEPER)
    if room.level_cap is not None and level + 1 > room.level_cap:
        _fail(ErrorCode.LEVEL_ABOVE_CAP)
    if room.declined_by == seat and len(room.completed) <= room.declined_at:
        _fail(ErrorCode.LEVEL_WAIT_AFTER_DECLINE)
    minimum = room.deck.levels[level].min_cards
    if dealing.completed_at(room, level) < minimum and not dealing.exhausted(room):
        _fail(ErrorCode.LEVEL_TOO_SOON)


def answer_proposal(room: Room, seat: int, action: a.Action) -> None:
    if room.proposal is None:
        _fail(ErrorCode.LEVEL_NO_PROPOSAL)
    elif room.proposal.by == seat:
        _fail(ErrorCode.LEVEL_OWN_PROPOSAL)


def withdraw_proposal(room: Room, seat: int, action: a.Action) -> None:
    if room.proposal is None or room.proposal.by != seat:
        _fail(ErrorCode.LEVEL_NO_PROPOSAL)


def step_back(room: Room, seat: int, action: a.Action) -> None:
    assert isinstance(action, a.StepBack)
    if not 0 <= action.level < dealing.effective_level(room):
        _fail(ErrorCode.LEVEL_NOT_LIGHTER)


def pause(room: Room, seat: int, action: a.Action) -> None:
    if room.seats[seat].paused:
        _fail(ErrorCode.GAME_PAUSED)


def resume(room: Room, seat: int, action: a.Action) -> None:
    if not room.seats[seat].paused:
        _fail(ErrorCode.GAME_NOT_PAUSED)


def skip_closing(room: Room, seat: int, action: a.Action) -> None:
    if room.turn is None or not room.turn.closing:
        _fail(ErrorCode.CARD_NOT_ON_TABLE)


def set_language(room: Room, seat: int, action: a.Action) -> None:
    assert isinstance(action, a.SetLanguage)
    if not _is_language(action.language):
        _fail(ErrorCode.LOBBY_UNKNOWN_LANGUAGE)


def _is_language(code: str) -> bool:
    main, _, region = code.partition("-")
    ok_main = 2 <= len(main) <= 3 and main.isascii() and main.isalpha() and main.islower()
    ok_region = not region or (len(region) == 2 and region.isascii() and region.isupper())
    return ok_main and ok_region and (not _ or bool(region))


def _none(room: Room, seat: int, action: a.Action) -> None:
    return None


GUARDS: dict[str, Guard] = {
    "ready": ready,
    "unready": unready,
    "mark_boundary": mark_boundary,
    "unmark_boundary": unmark_boundary,
    "draw": draw,
    "skip": skip,
    "react": react,
    "write_reveal": write_reveal,
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
