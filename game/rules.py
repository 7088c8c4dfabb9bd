"""The reducer: ``apply(room, seat, action, now=...) -> Outcome`` or ``RuleViolation``.

Legality: the phase table (``transitions``), then the pause gate, then the seat's role,
then the action's guard (``guards``). Only then does its effect (``effects``) run. Every
accepted action bumps the version by exactly one; a refused one changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from game import actions as a
from game.deck import Deck
from game.effects import EFFECTS
from game.errors import ErrorCode, RuleViolation
from game.events import Event
from game.frozen import maker, replace
from game.guards import guard_for
from game.model import Notice, Phase, Room, Seat
from game.transitions import WHILE_PAUSED, Who, who_may


@dataclass(frozen=True, slots=True)
class Outcome:
    room: Room
    events: tuple[Event, ...]


_outcome = maker(Outcome)  # one per move (see ``game.frozen``)


def new_room(
    room_id: str, deck: Deck, *, seed: int, light_mode: bool = False, language: str = "en"
) -> Room:
    """A fresh room in the lobby: seat 0 (the creator) is there, seat 1 not yet."""
    seats = (Seat(joined=True, language=language), Seat(language=language))
    return Room(id=room_id, deck=deck, seed=seed, light_mode=light_mode, seats=seats)


def apply(room: Room, seat: int | None, action: a.Action, *, now: float) -> Outcome:
    if seat is None:
        new, events = _system(room, action, now)
    else:
        check(room, seat, action)
        new, events = EFFECTS[action.name](room, seat, action, now)
    return _outcome(_bump(room, new), tuple(events))


def _bump(old: Room, new: Room) -> Room:
    """``new`` one version above ``old``. Effects always build a fresh ``Room`` that no
    one else has seen yet, so its version is set in place rather than through a second
    copy of all its fields."""
    if new is old:  # never shared: an effect that changed nothing still gets a copy
        new = replace(old)
    object.__setattr__(new, "version", old.version + 1)
    return new


def check(room: Room, seat: int, action: a.Action) -> None:
    """Raise ``RuleViolation`` unless ``seat`` may do ``action`` now. Changes nothing."""
    code = refusal(room, seat, action)
    if code is not None:
        raise RuleViolation(code)


def refusal(room: Room, seat: int, action: a.Action) -> ErrorCode | None:
    """Why ``seat`` may not do ``action`` now, or None when it may."""
    if seat not in (0, 1) or not room.seats[seat].joined:
        return ErrorCode.TURN_NOT_YOURS
    who = who_may(room.phase, action.name)
    if who is None:
        return _wrong_phase(room, action.name)
    return refusal_in_phase(room, seat, action, who, paused=room.paused)


def refusal_in_phase(
    room: Room, seat: int, action: a.Action, who: Who, *, paused: bool
) -> ErrorCode | None:
    """The rest of ``refusal`` once the phase table said ``who`` may do the action: the
    pause gate, the seat's role, the action's guard. (``views.legal_actions`` asks the
    same three checks for a whole row at once.)"""
    name = action.name
    if paused and name not in WHILE_PAUSED:
        host = room.host_paused and not any(s.paused for s in room.seats)
        return ErrorCode.GAME_HOST_PAUSED if host else ErrorCode.GAME_PAUSED
    return role_refusal(room, seat, who) or guard_for(name)(room, seat, action)


def _wrong_phase(room: Room, name: str) -> ErrorCode:
    if room.phase is Phase.ENDED:
        return ErrorCode.GAME_ENDED
    if room.phase is Phase.LOBBY:
        return ErrorCode.GAME_NOT_STARTED
    if name in {"set_name", "choose_deck", "set_light_mode", "set_apart", "ready", "unready"}:
        return ErrorCode.LOBBY_NOT_IN_LOBBY
    if name == "play_again":
        return ErrorCode.GAME_NOT_ENDED
    if (
        name
        in {
            "answer",
            "pass",
            "skip",
            "done_speaking",
            "reflect",
            "felt_heard",
            "try_again",
            "write_reveal",
            "react",
            "skip_closing",
        }
        and room.turn is None
    ):
        return ErrorCode.CARD_NOT_ON_TABLE
    if name in {"propose_deeper", "accept_deeper", "decline_deeper", "withdraw_proposal"}:
        return (
            ErrorCode.LEVEL_NEEDS_CONSENT
            if name == "propose_deeper"
            else ErrorCode.LEVEL_NO_PROPOSAL
        )
    return ErrorCode.TURN_WRONG_PHASE


def role_refusal(room: Room, seat: int, who: Who) -> ErrorCode | None:
    if who is Who.ANYONE:
        return None
    if who is Who.DRAWER:
        return None if seat == room.next_speaker else ErrorCode.TURN_NOT_YOURS
    assert room.turn is not None  # the table grants speaker/listener only with a card
    speaker = room.turn.speaker
    if who is Who.SPEAKER and seat != speaker:
        return ErrorCode.TURN_NOT_YOURS
    if who is Who.LISTENER and seat == speaker:
        return ErrorCode.TURN_LISTENER_ONLY
    return None


def _system(room: Room, action: a.Action, now: float) -> tuple[Room, list[Event]]:
    if isinstance(action, a.Join):
        if room.seats[1].joined:
            raise RuleViolation(ErrorCode.LOBBY_SEAT_TAKEN)
        seats = (room.seats[0], replace(room.seats[1], joined=True))
        return replace(room, seats=seats), [Event("partner_joined", 1)]
    if isinstance(action, a.HostSettings):
        same_round = action.round_deadline == room.round_deadline
        room = replace(
            room,
            level_cap=action.level_cap,
            host_paused=action.host_paused,
            round_deadline=action.round_deadline,
            round_fired=room.round_fired and same_round,
            new_card_due=room.new_card_due and same_round,
        )
        return room, [Event("host_settings_changed", None)]
    if isinstance(action, a.Tick):
        return _tick(room, now)
    raise RuleViolation(ErrorCode.ACTION_UNKNOWN)


def _tick(room: Room, now: float) -> tuple[Room, list[Event]]:
    """Fire a passed round deadline once: running it twice finds nothing due."""
    due = room.round_deadline is not None and now >= room.round_deadline
    if not due or room.round_fired or room.phase in (Phase.LOBBY, Phase.ENDED):
        raise RuleViolation(ErrorCode.TICK_NOTHING_DUE)
    room = replace(room, round_fired=True, new_card_due=True, notice=Notice.TIME_FOR_NEW_CARD)
    return room, [Event("time_for_new_card", None)]
