"""A live room made for one card ("let's talk about this tonight" from a daily space):
its first draw deals that card, whatever its level or the seed, unless a mark or "apart
tonight" holds it back; after that chance deals as ever."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import actions as a
from game.codec import from_dict, to_dict
from game.deck import CardKind, Deck
from game.errors import ActionFormatError, ErrorCode
from game.model import Room
from game.rules import new_room
from tests.game.factories import card, complete_card, deck, do

DECK = deck(
    (
        *(card(f"light{i}", 0) for i in range(4)),
        card("deep", 2, intensity=5, tags=("money",)),
        card("hug", 1, kind=CardKind.ACTION, tags=("touch",)),
        *(card(f"mid{i}", 1) for i in range(3)),
    )
)


def lobby_for(first: str, d: Deck = DECK, seed: int = 7) -> Room:
    return do(new_room("ROOM42", d, seed=seed, first_card=first), None, a.Join())


def start(room: Room) -> Room:
    return do(do(room, 0, a.Ready()), 1, a.Ready())


def drawn(room: Room) -> str:
    room = do(room, room.next_speaker, a.Draw())
    assert room.turn is not None
    return room.turn.card_id


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_the_first_draw_deals_the_asked_card_whatever_the_seed_and_its_level(seed: int) -> None:
    room = start(lobby_for("deep", seed=seed))
    assert drawn(room) == "deep"
    assert room.level == 0  # depth still rises only by the couple's consent


def test_only_the_first_draw_is_the_asked_card() -> None:
    room = complete_card(start(lobby_for("deep")))
    assert room.dealt == ("deep",)
    following = [drawn(room)]
    for _ in range(3):
        room = complete_card(room)
        assert room.dealt[-1] != "deep"
        following.append(room.dealt[-1])
    assert "deep" not in following and all(c.startswith("light") for c in following)


def test_an_action_card_with_a_touch_tag_is_dealt_first_in_live_play() -> None:
    assert drawn(start(lobby_for("hug"))) == "hug"


def test_a_partners_mark_holds_the_asked_card_back() -> None:
    room = do(lobby_for("deep"), 1, a.MarkBoundary("money"))
    room = start(room)
    for _ in range(4):
        room = complete_card(room)
    assert "deep" not in room.dealt and room.dealt[0].startswith("light")


def test_apart_tonight_holds_back_a_touch_card_asked_first() -> None:
    room = start(do(lobby_for("hug"), 0, a.SetApart(True)))
    assert drawn(room).startswith("light")


def test_choosing_another_deck_drops_the_asked_card() -> None:
    other = deck(deck_id="other")
    room = do(lobby_for("deep"), 0, a.ChooseDeck(other))
    assert room.first_card is None


def test_the_next_game_in_the_room_is_dealt_by_chance() -> None:
    room = complete_card(start(lobby_for("deep")))
    room = complete_card(do(room, 0, a.End()))  # the closing card, then the summary
    room = do(room, 0, a.PlayAgain())
    assert room.game_no == 1 and drawn(room) != "deep"


@pytest.mark.parametrize("asked", ["nope", "closing", ""])
def test_a_card_the_deck_does_not_deal_is_refused(asked: str) -> None:
    with pytest.raises(ActionFormatError) as refused:
        new_room("ROOM42", DECK, seed=7, first_card=asked)
    assert refused.value.code is ErrorCode.LOBBY_UNKNOWN_CARD


def test_the_asked_card_is_stored_with_the_room() -> None:
    room = lobby_for("deep")
    data = to_dict(room)
    assert from_dict(data, {DECK.id: DECK}).first_card == "deep"
    del data["first"]  # a room stored before first cards
    assert from_dict(data, {DECK.id: DECK}).first_card is None
