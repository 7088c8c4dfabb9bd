"""Effects: what an accepted action does to the room. Only what the table (``legality``)
accepted gets here: none re-checks it; an assert only tells mypy what the table ensured."""

from __future__ import annotations

from game import actions as a
from game import dealing
from game.deck import CardMode
from game.events import Event
from game.frozen import replace
from game.lobby import (
    Effect,
    Result,
    _ev,
    _seat,
    accept_deck,
    choose_deck,
    mark_boundary,
    ready,
    remove_deck,
    set_apart,
    set_language,
    set_light_mode,
    set_name,
    start_game,
    unmark_boundary,
    unready,
)
from game.model import Notice, Phase, Proposal, Revealed, Room, Turn

MAX_REACTIONS = 20


# cards --------------------------------------------------------------------------------
def draw(room: Room, seat: int, action: a.Action, now: float) -> Result:
    level = dealing.effective_level(room)
    capped = level != room.level
    card = dealing.pick(room, level)
    assert card is not None  # the table checked a card is left (card_left)
    turn = Turn(card_id=card.id, opener=seat, withheld=dealing.withheld_follow_ups(room, card))
    room = replace(
        room,
        level=level,
        phase=Phase.SHOWN,
        turn=turn,
        dealt=(*room.dealt, card.id),
        revealed=None,
        notice=Notice.LEVEL_CAPPED if capped else None,
        new_card_due=False,
    )
    return room, _ev("card_dealt", seat, card=card.id, level=level)


def answer(room: Room, seat: int, action: a.Action, now: float) -> Result:
    turn, card = room.turn, room.card()
    assert turn is not None and card is not None
    phase = Phase.WRITING if card.mode is CardMode.REVEAL else Phase.SPEAKING
    return replace(room, phase=phase, notice=None), _ev("answer_started", seat, card=card.id)


def skip(room: Room, seat: int, action: a.Action, now: float) -> Result:
    turn = room.turn
    assert turn is not None
    room = replace(
        room,
        phase=Phase.BETWEEN,
        turn=None,
        next_speaker=turn.opener,
        notice=Notice.SKIPPED,
        skipped_in_room=room.skipped_in_room | {turn.card_id},
    )
    return room, _ev("card_skipped", seat, card=turn.card_id)


def pass_(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.Pass)
    turn, card = room.turn, room.card()
    assert turn is not None and card is not None
    if action.avoid_topic and card.tags:
        room = _seat(room, seat, boundaries=room.seats[seat].boundaries | card.tags)
    events = _ev("card_passed", seat, card=turn.card_id)
    if room.phase is Phase.WRITING:
        # Either writer may pass a reveal card; both see only that it was passed.
        events = _ev("card_passed", None, card=turn.card_id)
        return _finish(room, turn, completed=False, notice=Notice.REVEAL_PASSED), events
    if card.answered_by_both and turn.half == 0:
        return _next_half(room, turn, Notice.PASSED), events
    return _finish(room, turn, completed=turn.halves_done > 0, notice=Notice.PASSED), events


def done_speaking(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.DoneSpeaking)
    turn = room.turn
    assert turn is not None
    turn = replace(turn, spoken=action.text)
    events = _ev("speaking_done", seat, card=turn.card_id)
    if room.light_mode:
        return _half_completed(room, turn), events
    return replace(room, phase=Phase.REFLECTING, turn=turn), events


def reflect(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.Reflect)
    turn = room.turn
    assert turn is not None
    room = replace(room, phase=Phase.CONFIRMING, turn=replace(turn, reflection=action.text))
    return room, _ev("reflected", seat, card=turn.card_id)


def felt_heard(room: Room, seat: int, action: a.Action, now: float) -> Result:
    turn = room.turn
    assert turn is not None
    return _half_completed(room, turn), _ev("felt_heard", seat, card=turn.card_id)


def try_again(room: Room, seat: int, action: a.Action, now: float) -> Result:
    turn = room.turn
    assert turn is not None
    room = replace(room, phase=Phase.REFLECTING, turn=replace(turn, reflection=None))
    return room, _ev("reflect_again_asked", seat, card=turn.card_id)


def write_reveal(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.WriteReveal)
    turn = room.turn
    assert turn is not None
    texts = list(turn.reveal)
    texts[seat] = action.text
    done = list(turn.submitted)
    done[seat] = True
    turn = replace(turn, reveal=(texts[0], texts[1]), submitted=(done[0], done[1]))
    events = _ev("reveal_written", seat, card=turn.card_id)
    if not all(done):
        return replace(room, turn=turn), events
    answers = (texts[0] or "", texts[1] or "")
    room = replace(room, revealed=Revealed(turn.card_id, answers))
    return _finish(room, turn, completed=True, notice=None), [
        *events,
        *_ev("revealed", None, card=turn.card_id),
    ]


def react(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.React)
    turn = room.turn
    assert turn is not None
    reactions = (*turn.reactions, (seat, action.reaction))[-MAX_REACTIONS:]
    return replace(room, turn=replace(turn, reactions=reactions)), _ev("reacted", seat)


def star(room: Room, seat: int, action: a.Action, now: float) -> Result:
    card = room.turn.card_id if room.turn is not None else room.last_card
    assert card is not None
    return _seat(room, seat, stars=(*room.seats[seat].stars, card)), [
        Event("starred", seat, private=True)
    ]


def unstar(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.Unstar)
    stars = tuple(c for c in room.seats[seat].stars if c != action.card)
    return _seat(room, seat, stars=stars), [Event("unstarred", seat, private=True)]


def _half_completed(room: Room, turn: Turn) -> Room:
    turn = replace(turn, halves_done=turn.halves_done + 1)
    card = room.deck.card(turn.card_id)
    if card.answered_by_both and turn.half == 0:
        return _next_half(room, turn, None)
    return _finish(room, turn, completed=True, notice=None)


def _next_half(room: Room, turn: Turn, notice: Notice | None) -> Room:
    turn = replace(turn, half=1, spoken=None, reflection=None, reactions=())
    return replace(room, phase=Phase.SPEAKING, turn=turn, notice=notice)


def _finish(room: Room, turn: Turn, *, completed: bool, notice: Notice | None) -> Room:
    """The card leaves the table; the partner of its opener draws next."""
    if turn.closing:
        return _end(room, room.ended_at or 0.0)
    done = (*room.completed, turn.card_id) if completed else room.completed
    in_room = room.completed_in_room | {turn.card_id} if completed else room.completed_in_room
    return replace(
        room,
        phase=Phase.BETWEEN,
        turn=None,
        last_card=turn.card_id,
        completed=done,
        completed_in_room=in_room,
        next_speaker=1 - turn.opener,
        notice=notice,
    )


# levels -------------------------------------------------------------------------------
def propose_deeper(room: Room, seat: int, action: a.Action, now: float) -> Result:
    to_level = dealing.effective_level(room) + 1
    room = replace(room, proposal=Proposal(seat, to_level), notice=None)
    return room, _ev("deeper_proposed", seat, level=to_level)


def accept_deeper(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert room.proposal is not None
    level = room.proposal.to_level
    room = replace(room, level=level, proposal=None, notice=Notice.LEVEL_RAISED, declined_by=None)
    return room, _ev("level_raised", seat, level=level)


def decline_deeper(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert room.proposal is not None
    room = replace(
        room,
        proposal=None,
        notice=Notice.STAYING,
        declined_by=room.proposal.by,
        declined_at=len(room.completed),
    )
    return room, _ev("staying_here", None)  # neutral: no "who declined"


def withdraw_proposal(room: Room, seat: int, action: a.Action, now: float) -> Result:
    return replace(room, proposal=None, notice=Notice.WITHDRAWN), _ev("proposal_withdrawn", seat)


def step_back(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.StepBack)
    room = replace(room, level=action.level, proposal=None, notice=Notice.STEPPED_BACK)
    return room, _ev("stepped_back", seat, level=action.level)


# pause, end, again --------------------------------------------------------------------
def pause(room: Room, seat: int, action: a.Action, now: float) -> Result:
    return _seat(room, seat, paused=True), _ev("paused", seat)


def resume(room: Room, seat: int, action: a.Action, now: float) -> Result:
    return _seat(room, seat, paused=False), _ev("resumed", seat)


def end(room: Room, seat: int, action: a.Action, now: float) -> Result:
    offer = (
        room.deck.closing is not None
        and not room.closing_offered
        and not room.paused
        and (room.turn is None or not room.turn.closing)
    )
    if not offer:
        return _end(room, now), _ev("game_ended", seat)
    assert room.deck.closing is not None
    turn = Turn(card_id=room.deck.closing.id, opener=room.next_speaker, closing=True)
    room = replace(
        room,
        phase=Phase.SHOWN,
        turn=turn,
        closing_offered=True,
        proposal=None,
        revealed=None,
        notice=None,
        ended_at=now,
    )
    return room, _ev("closing_offered", seat, card=turn.card_id)


def skip_closing(room: Room, seat: int, action: a.Action, now: float) -> Result:
    return _end(room, room.ended_at or now), _ev("game_ended", seat)


def _end(room: Room, now: float) -> Room:
    seats = tuple(replace(s, paused=False) for s in room.seats)
    return replace(
        room,
        phase=Phase.ENDED,
        turn=None,
        proposal=None,
        seats=(seats[0], seats[1]),
        ended_at=room.ended_at or now,
        notice=None,
    )


def play_again(room: Room, seat: int, action: a.Action, now: float) -> Result:
    room = start_game(replace(room, game_no=room.game_no + 1), now)
    return room, _ev("game_started", seat)


EFFECTS: dict[str, Effect] = {
    "set_name": set_name,
    "set_language": set_language,
    "choose_deck": choose_deck,
    "accept_deck": accept_deck,
    "remove_deck": remove_deck,
    "set_light_mode": set_light_mode,
    "set_apart": set_apart,
    "ready": ready,
    "unready": unready,
    "mark_boundary": mark_boundary,
    "unmark_boundary": unmark_boundary,
    "draw": draw,
    "answer": answer,
    "skip": skip,
    "pass": pass_,
    "done_speaking": done_speaking,
    "reflect": reflect,
    "felt_heard": felt_heard,
    "try_again": try_again,
    "write_reveal": write_reveal,
    "react": react,
    "star": star,
    "unstar": unstar,
    "propose_deeper": propose_deeper,
    "accept_deeper": accept_deeper,
    "decline_deeper": decline_deeper,
    "withdraw_proposal": withdraw_proposal,
    "step_back": step_back,
    "pause": pause,
    "resume": resume,
    "end": end,
    "skip_closing": skip_closing,
    "play_again": play_again,
}
