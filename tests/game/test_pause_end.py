from __future__ import annotations

from game import actions as a
from game.errors import ErrorCode
from game.legality import WHILE_PAUSED
from game.model import Phase
from game.views import view_for
from tests.game.factories import complete_card, deck, do, speaking, started
from tests.game.helpers import refused


def test_either_partner_may_pause_at_any_moment() -> None:
    assert do(speaking(), 1, a.Pause()).paused
    assert do(started(), 0, a.Pause()).paused


def test_a_paused_game_accepts_only_resume_end_step_back_and_boundaries() -> None:
    room = do(speaking(), 1, a.Pause())
    refused(room, 0, a.DoneSpeaking(), ErrorCode.GAME_PAUSED)
    refused(room, 0, a.Pass(), ErrorCode.GAME_PAUSED)
    refused(room, 1, a.React("heart"), ErrorCode.GAME_PAUSED)
    assert set(view_for(room, 0)["legal"]) <= WHILE_PAUSED  # type: ignore[arg-type]
    assert do(room, 0, a.MarkBoundary("money")).seats[0].boundaries == {"money"}


def test_only_the_partner_who_paused_resumes() -> None:
    room = do(speaking(), 1, a.Pause())
    refused(room, 0, a.Resume(), ErrorCode.GAME_NOT_PAUSED)
    assert not do(room, 1, a.Resume()).paused


def test_when_both_pause_play_resumes_only_when_both_resumed() -> None:
    room = do(do(speaking(), 1, a.Pause()), 0, a.Pause())
    room = do(room, 1, a.Resume())
    assert room.paused
    refused(room, 0, a.DoneSpeaking(), ErrorCode.GAME_PAUSED)
    room = do(room, 0, a.Resume())
    assert do(room, 0, a.DoneSpeaking()).phase is Phase.REFLECTING


def test_a_hosts_pause_is_a_layer_only_the_host_lifts() -> None:
    room = do(
        speaking(), None, a.HostSettings(level_cap=None, host_paused=True, round_deadline=None)
    )
    refused(room, 0, a.DoneSpeaking(), ErrorCode.GAME_HOST_PAUSED)
    refused(room, 0, a.Resume(), ErrorCode.GAME_NOT_PAUSED)
    room = do(room, None, a.HostSettings(level_cap=None, host_paused=False, round_deadline=None))
    assert do(room, 0, a.DoneSpeaking()).phase is Phase.REFLECTING


def test_ending_offers_the_closing_card_once_to_both() -> None:
    room = do(complete_card(started()), 1, a.End())
    assert room.phase is Phase.SHOWN and room.turn is not None and room.turn.closing
    view = view_for(room, 0)
    assert view["card"]["closing"] is True  # type: ignore[index]
    assert "skip_closing" in view["legal"]  # type: ignore[operator]
    refused(room, 0, a.Skip(), ErrorCode.CARD_NOT_ON_TABLE)


def test_the_closing_card_is_answered_by_both_then_the_summary() -> None:
    room = do(complete_card(started()), 0, a.End())
    room = complete_card(room)
    assert room.phase is Phase.ENDED


def test_either_may_skip_the_closing_card_straight_to_the_summary() -> None:
    room = do(do(started(), 0, a.End()), 1, a.SkipClosing())
    assert room.phase is Phase.ENDED


def test_ending_during_the_closing_card_goes_to_the_summary() -> None:
    room = do(do(started(), 0, a.End()), 1, a.End())
    assert room.phase is Phase.ENDED


def test_ending_while_paused_goes_straight_to_the_summary() -> None:
    room = do(do(speaking(), 1, a.Pause()), 0, a.End())
    assert room.phase is Phase.ENDED and not room.paused


def test_a_deck_without_closing_card_ends_at_once() -> None:
    assert do(started(deck(closing=False)), 0, a.End()).phase is Phase.ENDED


def test_the_summary_counts_cards_per_level_time_and_stars_but_no_typed_text() -> None:
    room = do(speaking(), 0, a.DoneSpeaking("typed-marker"))
    room = do(room, 1, a.Star())
    room = complete_card(room)
    room = do(room, 0, a.End(), now=1_090.0)
    room = do(room, 0, a.SkipClosing(), now=1_100.0)
    summary = view_for(room, 0)["summary"]
    assert summary["completed"] == [1, 0, 0]  # type: ignore[index]
    assert summary["seconds"] == 90  # type: ignore[index]
    assert len(summary["starred"]) == 1  # type: ignore[index,arg-type]
    assert "typed-marker" not in repr(view_for(room, 0))


def test_play_again_alternates_who_speaks_first_and_keeps_boundaries() -> None:
    room = do(complete_card(started()), 0, a.MarkBoundary("money"))
    first_done = room.completed
    room = do(do(room, 0, a.End()), 0, a.SkipClosing())
    room = do(room, 1, a.PlayAgain())
    assert room.phase is Phase.BETWEEN and room.level == 0
    assert room.next_speaker == 1
    assert room.seats[0].boundaries == {"money"}
    dealt = []
    while not view_for(room, 0)["exhausted"]:
        room = complete_card(room)
        dealt.append(room.completed[-1])
    assert not set(first_done) & set(dealt)


def test_play_again_only_after_the_end() -> None:
    refused(started(), 0, a.PlayAgain(), ErrorCode.GAME_NOT_ENDED)


def test_nothing_but_play_again_moves_an_ended_game() -> None:
    room = do(started(), 0, a.End(), now=1_000.0)
    room = do(room, 0, a.SkipClosing())
    refused(room, 0, a.Draw(), ErrorCode.GAME_ENDED)
    refused(room, 0, a.End(), ErrorCode.GAME_ENDED)
