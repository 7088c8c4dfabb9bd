from __future__ import annotations

from game import actions as a
from game.errors import ErrorCode
from game.views import view_for
from tests.game.factories import card, complete_card, deck, do, outcome, started
from tests.game.helpers import refused


def test_going_deeper_needs_the_partners_acceptance() -> None:
    room = do(started(), 0, a.ProposeDeeper())
    assert room.level == 0 and room.proposal is not None
    refused(room, 0, a.AcceptDeeper(), ErrorCode.LEVEL_OWN_PROPOSAL)
    room = do(room, 1, a.AcceptDeeper())
    assert room.level == 1 and room.proposal is None


def test_the_next_card_waits_while_a_proposal_is_open() -> None:
    room = do(started(), 1, a.ProposeDeeper())
    refused(room, 0, a.Draw(), ErrorCode.LEVEL_NEEDS_CONSENT)


def test_proposals_happen_between_cards_only() -> None:
    room = do(started(), 0, a.Draw())
    refused(room, 0, a.ProposeDeeper(), ErrorCode.LEVEL_NEEDS_CONSENT)


def test_a_decline_is_neutral_and_the_proposer_waits_one_more_completed_card() -> None:
    declined = outcome(do(started(), 0, a.ProposeDeeper()), 1, a.DeclineDeeper())
    assert [e.seat for e in declined.events] == [None]  # nobody is told who declined
    room = declined.room
    assert room.level == 0
    assert view_for(room, 0)["notice"] == view_for(room, 1)["notice"] == "staying"
    refused(room, 0, a.ProposeDeeper(), ErrorCode.LEVEL_WAIT_AFTER_DECLINE)
    assert do(room, 1, a.ProposeDeeper()).proposal is not None  # the partner may
    room = do(do(room, 0, a.Draw()), 0, a.Pass())  # a pass is not a completed card
    refused(room, 0, a.ProposeDeeper(), ErrorCode.LEVEL_WAIT_AFTER_DECLINE)
    room = complete_card(room)
    assert do(room, 0, a.ProposeDeeper()).proposal is not None


def test_the_proposer_may_withdraw() -> None:
    room = do(started(), 0, a.ProposeDeeper())
    refused(room, 1, a.WithdrawProposal(), ErrorCode.LEVEL_NO_PROPOSAL)
    room = do(room, 0, a.WithdrawProposal())
    assert room.proposal is None and view_for(room, 1)["notice"] == "withdrawn"


def test_accept_without_a_proposal_is_refused() -> None:
    refused(started(), 1, a.AcceptDeeper(), ErrorCode.LEVEL_NO_PROPOSAL)


def test_a_levels_minimum_must_be_completed_before_proposing_deeper() -> None:
    room = started(deck(min_cards=(2, 0, 0)))
    refused(room, 0, a.ProposeDeeper(), ErrorCode.LEVEL_TOO_SOON)
    room = do(do(room, 0, a.Draw()), 0, a.Pass())  # passes don't count
    room = do(do(room, 1, a.Draw()), 0, a.Skip())  # skips don't count
    refused(room, 0, a.ProposeDeeper(), ErrorCode.LEVEL_TOO_SOON)
    room = complete_card(complete_card(room))
    assert do(room, 0, a.ProposeDeeper()).proposal is not None


def test_the_minimum_is_waived_when_the_level_has_no_card_left() -> None:
    d = deck((card("a", 0), card("b", 1)), levels=2, min_cards=(5, 0))
    room = do(do(started(d), 0, a.Draw()), 0, a.Pass())
    assert view_for(room, 0)["exhausted"]
    assert do(room, 1, a.ProposeDeeper()).proposal is not None


def test_an_exhausted_level_offers_deeper_step_back_or_end() -> None:
    d = deck((card("a", 0), card("b", 1), card("c", 1)), levels=2, min_cards=(0, 0))
    room = do(do(started(d), 0, a.ProposeDeeper()), 1, a.AcceptDeeper())
    room = complete_card(complete_card(room))
    view = view_for(room, 0)
    assert view["exhausted"]
    assert "draw" not in view["legal"]  # type: ignore[operator]
    assert {"step_back", "end"} <= set(view["legal"])  # type: ignore[arg-type]
    refused(room, 0, a.Draw(), ErrorCode.CARD_NONE_LEFT)


def test_there_is_no_level_deeper_than_the_last() -> None:
    room = started(deck(levels=1, min_cards=(0,)))
    refused(room, 0, a.ProposeDeeper(), ErrorCode.LEVEL_NO_DEEPER)


def test_either_partner_steps_back_alone_from_the_next_card() -> None:
    room = do(do(started(), 0, a.ProposeDeeper()), 1, a.AcceptDeeper())
    room = do(room, 0, a.Draw())
    room = do(room, 1, a.StepBack(0))
    assert room.turn is not None and room.deck.card(room.turn.card_id).level == 1
    room = complete_card(room)
    room = do(room, room.next_speaker, a.Draw())
    assert room.deck.card(room.turn.card_id).level == 0  # type: ignore[union-attr]


def test_stepping_back_is_only_to_a_lighter_level() -> None:
    refused(started(), 0, a.StepBack(0), ErrorCode.LEVEL_NOT_LIGHTER)


def test_every_return_to_a_deeper_level_needs_fresh_consent() -> None:
    room = do(do(started(), 0, a.ProposeDeeper()), 1, a.AcceptDeeper())
    room = do(room, 1, a.StepBack(0))
    assert room.level == 0
    room = do(room, 0, a.ProposeDeeper())
    assert room.level == 0
    assert do(room, 1, a.AcceptDeeper()).level == 1


def test_stepping_back_cancels_an_open_proposal() -> None:
    room = do(do(started(), 0, a.ProposeDeeper()), 1, a.AcceptDeeper())
    room = do(room, 0, a.ProposeDeeper())
    room = do(room, 1, a.StepBack(0))
    assert room.proposal is None and room.level == 0


def test_the_game_never_escalates_by_itself() -> None:
    room = started()
    for _ in range(4):
        room = complete_card(room)
    assert room.level == 0
