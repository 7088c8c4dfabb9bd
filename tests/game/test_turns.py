from __future__ import annotations

from game import actions as a
from game.deck import CardKind, CardMode
from game.errors import ErrorCode
from game.model import Phase
from game.views import view_for
from tests.game.factories import card, complete_card, deck, do, shown, speaking, started
from tests.game.helpers import refused


def one_deck(*modes: CardMode, kind: CardKind = CardKind.QUESTION):
    cards = tuple(card(f"c{i}", 0, mode=m, kind=kind) for i, m in enumerate(modes))
    return deck(cards, levels=1, min_cards=(0,))


def test_nothing_deals_by_itself_after_a_card() -> None:
    room = complete_card(started())
    assert room.phase is Phase.BETWEEN and room.turn is None


def test_only_the_partner_whose_turn_it_is_draws() -> None:
    room = started()
    refused(room, 1, a.Draw(), ErrorCode.TURN_NOT_YOURS)
    assert do(room, 0, a.Draw()).phase is Phase.SHOWN


def test_partners_alternate_as_speaker() -> None:
    room = complete_card(started())
    assert room.next_speaker == 1
    room = complete_card(room)
    assert room.next_speaker == 0


def test_speaker_answers_a_shown_card_and_listener_cannot() -> None:
    room = shown()
    refused(room, 1, a.Answer(), ErrorCode.TURN_NOT_YOURS)
    assert do(room, 0, a.Answer()).phase is Phase.SPEAKING


def test_listener_cannot_pass_the_speakers_card() -> None:
    refused(speaking(), 1, a.Pass(), ErrorCode.TURN_NOT_YOURS)


def test_listener_cannot_end_speakers_turn() -> None:
    refused(speaking(), 1, a.DoneSpeaking(), ErrorCode.TURN_NOT_YOURS)


def test_listener_cannot_draw_while_speaker_speaks() -> None:
    refused(speaking(), 1, a.Draw(), ErrorCode.TURN_WRONG_PHASE)


def test_listener_sends_quiet_reactions_while_speaker_speaks() -> None:
    room = do(speaking(), 1, a.React("heart"))
    assert room.turn is not None and room.turn.reactions == ((1, "heart"),)
    assert view_for(room, 0)["reactions"] == [{"by": 1, "reaction": "heart"}]
    refused(room, 0, a.React("heart"), ErrorCode.TURN_LISTENER_ONLY)
    refused(room, 1, a.React("thumbs"), ErrorCode.REACTION_UNKNOWN)


def test_reactions_are_capped_per_card() -> None:
    room = speaking()
    for _ in range(30):
        room = do(room, 1, a.React("me_too"))
    assert room.turn is not None and len(room.turn.reactions) == 20


def test_listener_reflects_then_speaker_confirms() -> None:
    room = do(speaking(), 0, a.DoneSpeaking("typed answer"))
    assert room.phase is Phase.REFLECTING
    assert view_for(room, 1)["spoken"] == "typed answer"
    refused(room, 0, a.Reflect(), ErrorCode.TURN_LISTENER_ONLY)
    room = do(room, 1, a.Reflect("what I heard"))
    assert room.phase is Phase.CONFIRMING
    assert view_for(room, 0)["reflection"] == "what I heard"
    refused(room, 1, a.FeltHeard(), ErrorCode.TURN_NOT_YOURS)
    room = do(room, 0, a.FeltHeard())
    assert room.phase is Phase.BETWEEN and room.completed


def test_try_again_returns_to_reflecting_and_clears_the_reflection() -> None:
    room = do(do(do(speaking(), 0, a.DoneSpeaking()), 1, a.Reflect("x")), 0, a.TryAgain())
    assert room.phase is Phase.REFLECTING
    assert room.turn is not None and room.turn.reflection is None


def test_follow_ups_are_offered_to_the_listener_only_while_reflecting() -> None:
    d = deck((card("c0", 0, follow_ups=("more",)), card("c1", 0)), levels=1, min_cards=(0,))
    room = do(started(d), 0, a.Draw())
    while room.turn is not None and room.turn.card_id != "c0":
        room = do(do(room, 0, a.Skip()), 0, a.Draw())
    room = do(room, 0, a.Answer())
    assert view_for(room, 1)["card"]["follow_ups"] == []  # type: ignore[index]
    room = do(room, 0, a.DoneSpeaking())
    assert view_for(room, 1)["card"]["follow_ups"] == ["EN more"]  # type: ignore[index]
    assert view_for(room, 0)["card"]["follow_ups"] == []  # type: ignore[index]


def test_light_mode_has_no_reflecting_or_confirming() -> None:
    room = do(speaking(light=True), 0, a.DoneSpeaking())
    assert room.phase is Phase.BETWEEN and len(room.completed) == 1


def test_both_card_swaps_roles_and_the_non_opener_draws_next() -> None:
    room = do(started(one_deck(CardMode.BOTH, CardMode.ONE, CardMode.ONE)), 0, a.Draw())
    while room.turn is not None and room.turn.card_id != "c0":
        room = do(do(room, 0, a.Skip()), 0, a.Draw())
    room = do(room, 0, a.Answer())
    room = do(do(do(room, 0, a.DoneSpeaking()), 1, a.Reflect()), 0, a.FeltHeard())
    assert room.phase is Phase.SPEAKING and room.turn is not None and room.turn.speaker == 1
    room = do(do(do(room, 1, a.DoneSpeaking()), 0, a.Reflect()), 1, a.FeltHeard())
    assert room.phase is Phase.BETWEEN and room.next_speaker == 1
    assert room.completed == ("c0",)


def test_pass_on_a_both_card_covers_only_the_passers_half() -> None:
    room = do(do(started(one_deck(CardMode.BOTH)), 0, a.Draw()), 0, a.Answer())
    room = do(room, 0, a.Pass())
    assert room.phase is Phase.SPEAKING and room.turn is not None and room.turn.speaker == 1
    assert view_for(room, 1)["notice"] == "passed"
    room = do(do(do(room, 1, a.DoneSpeaking()), 0, a.Reflect()), 1, a.FeltHeard())
    assert room.completed == ("c0",)


def test_both_halves_passed_completes_nothing() -> None:
    room = do(do(started(one_deck(CardMode.BOTH, CardMode.ONE)), 0, a.Draw()), 0, a.Answer())
    room = do(do(room, room.turn.speaker, a.Pass()), 1, a.Pass())  # type: ignore[union-attr]
    assert room.phase is Phase.BETWEEN and room.completed == ()


def test_action_cards_are_played_like_both_cards() -> None:
    room = do(do(started(one_deck(CardMode.ONE, kind=CardKind.ACTION)), 0, a.Draw()), 0, a.Answer())
    room = do(do(do(room, 0, a.DoneSpeaking()), 1, a.Reflect()), 0, a.FeltHeard())
    assert room.turn is not None and room.turn.half == 1


def test_typed_text_is_gone_when_the_card_leaves_the_table() -> None:
    room = complete_card(do(speaking(), 0, a.DoneSpeaking("secret words")))
    assert "secret words" not in repr(room)
