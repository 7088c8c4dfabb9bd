from __future__ import annotations

import pytest

from game import actions as a
from game.codec import from_dict, to_dict
from game.errors import ErrorCode, GameError
from game.rules import apply
from game.views import view_for
from tests.game.factories import NOW, complete_card, do, lobby, shown, speaking, started
from tests.game.helpers import refused


def test_every_accepted_action_bumps_the_version_by_exactly_one() -> None:
    room = started()
    after = apply(room, 0, a.Draw(), now=NOW).room
    assert after.version == room.version + 1


def test_a_refused_action_leaves_the_room_unchanged() -> None:
    room = started()
    copy = from_dict(to_dict(room), {room.deck.id: room.deck})
    refused(room, 1, a.Draw(), ErrorCode.TURN_NOT_YOURS)
    assert room == copy


def test_stars_mark_the_card_on_the_table_or_the_last_one() -> None:
    refused(started(), 0, a.Star(), ErrorCode.STAR_NOTHING)
    room = do(shown(), 1, a.Star())
    refused(room, 1, a.Star(), ErrorCode.STAR_ALREADY)
    assert view_for(room, 1)["card"]["starred"] is True  # type: ignore[index]
    assert view_for(room, 0)["card"]["starred"] is False  # type: ignore[index]
    room = do(room, 1, a.Unstar(room.seats[1].stars[0]))
    refused(room, 1, a.Unstar("zzz"), ErrorCode.STAR_UNKNOWN)
    room = do(complete_card(room), 0, a.Star())
    assert room.seats[0].stars == (room.last_card,)


def test_card_text_comes_in_each_seats_language_with_fallback() -> None:
    room = do(lobby(), 1, a.SetLanguage("de"))
    room = do(room, 0, a.SetLanguage("fr"))
    room = do(do(do(room, 0, a.Ready()), 1, a.Ready()), 0, a.Draw())
    cid = room.turn.card_id  # type: ignore[union-attr]
    assert view_for(room, 1)["card"]["text"] == f"DE {cid}"  # type: ignore[index]
    assert view_for(room, 0)["card"]["text"] == f"EN {cid}"  # type: ignore[index]


def test_views_say_who_speaks_and_who_listens() -> None:
    room = speaking()
    assert (view_for(room, 0)["role"], view_for(room, 1)["role"]) == ("speaker", "listener")


def test_room_round_trips_through_plain_data() -> None:
    room = do(do(speaking(), 1, a.React("heart")), 0, a.DoneSpeaking("t"))
    decks = {room.deck.id: room.deck}
    assert from_dict(to_dict(room), decks) == room


def test_stored_room_with_unknown_deck_or_garbage_raises_game_error() -> None:
    room = started()
    with pytest.raises(GameError):
        from_dict(to_dict(room), {})
    with pytest.raises(GameError):
        from_dict({"f": 1, "garbage": True}, {room.deck.id: room.deck})
    with pytest.raises(GameError):
        from_dict({**to_dict(room), "f": 99}, {room.deck.id: room.deck})


def test_level_cap_steps_a_table_back_at_its_next_draw_and_caps_proposals() -> None:
    room = do(do(started(), 0, a.ProposeDeeper()), 1, a.AcceptDeeper())
    room = do(room, None, a.HostSettings(level_cap=0, host_paused=False, round_deadline=None))
    refused(
        room,
        0,
        a.ProposeDeeper(),
        ErrorCode.LEVEL_ABOVE_CAP,
    )
    room = do(room, 0, a.Draw())
    assert room.deck.card(room.turn.card_id).level == 0  # type: ignore[union-attr]
    assert view_for(room, 0)["notice"] == "level_capped"


def test_raising_the_cap_raises_nobody() -> None:
    room = do(started(), None, a.HostSettings(level_cap=2, host_paused=False, round_deadline=None))
    assert room.level == 0


def test_a_round_deadline_fires_once_however_often_ticked() -> None:
    room = do(
        started(), None, a.HostSettings(level_cap=None, host_paused=False, round_deadline=1_050.0)
    )
    refused(room, None, a.Tick(), ErrorCode.TICK_NOTHING_DUE)  # not yet due at NOW
    room = do(room, None, a.Tick(), now=1_060.0)
    assert room.new_card_due and view_for(room, 0)["notice"] == "time_for_new_card"
    with pytest.raises(GameError):
        apply(room, None, a.Tick(), now=1_061.0)
    room = complete_card(room)
    assert not room.new_card_due


def test_a_timed_round_never_cuts_a_turn() -> None:
    room = do(
        speaking(), None, a.HostSettings(level_cap=None, host_paused=False, round_deadline=1.0)
    )
    room = do(room, None, a.Tick(), now=2.0)
    assert room.turn is not None and "done_speaking" in view_for(room, 0)["legal"]  # type: ignore[operator]


def test_unknown_system_action_is_refused() -> None:
    refused(started(), None, a.Draw(), ErrorCode.ACTION_UNKNOWN)
