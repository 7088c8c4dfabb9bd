from __future__ import annotations

from game import actions as a
from game.deck import CardMode
from game.errors import ErrorCode
from game.model import Phase
from game.views import view_for
from tests.game.factories import card, complete_card, deck, do, outcome, shown, speaking, started
from tests.game.helpers import refused


def test_pass_moves_the_turn_on_and_the_card_never_returns_in_that_game() -> None:
    room = speaking()
    passed = room.turn.card_id  # type: ignore[union-attr]
    room = do(room, 0, a.Pass())
    assert room.phase is Phase.BETWEEN and room.next_speaker == 1
    assert view_for(room, 1)["notice"] == "passed"
    seen = []
    while room.phase is Phase.BETWEEN and not view_for(room, 0)["exhausted"]:
        room = do(room, room.next_speaker, a.Draw())
        seen.append(room.turn.card_id)  # type: ignore[union-attr]
        room = complete_card(room)
    assert passed not in seen


def test_speaker_may_pass_a_shown_card_without_answering() -> None:
    assert do(shown(), 0, a.Pass()).phase is Phase.BETWEEN


def test_passing_does_not_count_as_a_completed_card() -> None:
    assert do(speaking(), 0, a.Pass()).completed == ()


def test_pass_with_avoid_topic_adds_the_cards_tags_to_the_passers_marks_only() -> None:
    d = deck((card("c0", 0, tags=("money",)), card("c1", 0)), levels=1, min_cards=(0,))
    room = do(started(d), 0, a.Draw())
    if room.turn.card_id != "c0":  # type: ignore[union-attr]
        room = do(do(room, 0, a.Skip()), 0, a.Draw())
    room = do(room, 0, a.Pass(avoid_topic=True))
    assert room.seats[0].boundaries == {"money"}
    assert room.seats[1].boundaries == frozenset()
    assert view_for(room, 1)["boundaries"] == []


def test_either_partner_may_skip_a_shown_card_and_the_same_speaker_draws_again() -> None:
    room = do(shown(), 1, a.Skip())
    assert room.phase is Phase.BETWEEN and room.next_speaker == 0
    assert view_for(room, 0)["notice"] == "skipped"


def test_skip_is_refused_once_answering_started() -> None:
    refused(speaking(), 1, a.Skip(), ErrorCode.TURN_WRONG_PHASE)


def reveal_room():
    d = deck((card("r0", 0, mode=CardMode.REVEAL), card("c1", 0)), levels=1, min_cards=(0,))
    room = do(started(d), 0, a.Draw())
    if room.turn.card_id != "r0":  # type: ignore[union-attr]
        room = do(do(room, 0, a.Skip()), 0, a.Draw())
    return do(room, 0, a.Answer())


def test_reveal_answers_stay_hidden_until_both_submitted() -> None:
    room = do(reveal_room(), 0, a.WriteReveal("alpha-secret"))
    assert room.phase is Phase.WRITING
    assert "alpha-secret" not in repr(view_for(room, 1))
    assert view_for(room, 0)["reveal"] == {"mine": "alpha-secret", "submitted": [True, False]}
    room = do(room, 1, a.WriteReveal("beta"))
    assert view_for(room, 1)["revealed"]["answers"] == ["alpha-secret", "beta"]  # type: ignore[index]
    assert room.phase is Phase.BETWEEN and room.completed == ("r0",)


def test_reveal_answer_can_be_edited_until_both_submitted() -> None:
    room = do(do(reveal_room(), 0, a.WriteReveal("first")), 0, a.WriteReveal("second"))
    room = do(room, 1, a.WriteReveal("other"))
    assert room.revealed is not None and room.revealed.answers == ("second", "other")


def test_one_pass_ends_a_reveal_for_both_and_deletes_both_texts_unseen() -> None:
    room = do(reveal_room(), 1, a.WriteReveal("never-seen"))
    passed = outcome(room, 0, a.Pass())
    assert [e.seat for e in passed.events] == [None]  # nobody learns who passed
    room = passed.room
    assert room.phase is Phase.BETWEEN and room.revealed is None
    assert "never-seen" not in repr(room)
    assert view_for(room, 1)["notice"] == "reveal_passed"


def test_reveal_cards_have_no_reflect_step() -> None:
    room = do(do(reveal_room(), 0, a.WriteReveal("a")), 1, a.WriteReveal("b"))
    assert room.phase is Phase.BETWEEN


def test_revealed_answers_are_cleared_at_the_next_draw() -> None:
    room = do(do(reveal_room(), 0, a.WriteReveal("a")), 1, a.WriteReveal("b"))
    room = do(room, 1, a.Draw())
    assert room.revealed is None


def test_there_is_no_pass_budget() -> None:
    room = started(deck(tuple(card(f"c{i}", 0) for i in range(8)), levels=1, min_cards=(0,)))
    for _ in range(6):
        room = do(do(room, room.next_speaker, a.Draw()), room.next_speaker, a.Pass())
    assert len(room.dealt) == 6
