"""Tagged follow-ups, "apart tonight" and dealing by bands of intensity."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from game import actions as a
from game.codec import from_dict, to_dict
from game.deck import Deck, Tag
from game.errors import ErrorCode
from game.model import Phase, Room
from game.views import view_for
from tests.game.factories import card, complete_card, deck, do, lobby, speaking, started
from tests.game.helpers import refused

TOPICS = (
    Tag("family", {"en": "Family"}),
    Tag("loss", {"en": "Loss"}),
    Tag("touch", {"en": "Touch"}),
)


def follow_up_deck() -> Deck:
    asked = card(
        "c0",
        0,
        follow_ups=("plain", "who cooked", "say to them"),
        follow_up_tags=((), ("family",), ("loss",)),
    )
    return deck((asked,), levels=1, min_cards=(0,), tags=TOPICS)


def reflecting(room: Room) -> Room:
    assert room.turn is not None
    return do(room, room.turn.speaker, a.DoneSpeaking())


def listener_follow_ups(room: Room) -> object:
    assert room.turn is not None
    return view_for(room, 1 - room.turn.speaker)["card"]["follow_ups"]  # type: ignore[index]


def test_a_follow_up_whose_topic_either_partner_marked_is_never_offered() -> None:
    for marker in (0, 1):
        room = do(started(follow_up_deck()), marker, a.MarkBoundary("family"))
        room = reflecting(do(do(room, 0, a.Draw()), 0, a.Answer()))
        assert listener_follow_ups(room) == ["EN plain", "EN say to them"]


def test_untagged_follow_ups_are_all_offered_without_marks() -> None:
    room = reflecting(speaking(follow_up_deck()))
    assert listener_follow_ups(room) == ["EN plain", "EN who cooked", "EN say to them"]


def test_a_speakers_mark_during_the_card_does_not_change_what_the_listener_sees() -> None:
    # Like a card's own tags, a mark applies from the next card: a follow-up vanishing
    # from the listener's screen would tell them what their partner just marked.
    room = do(speaking(follow_up_deck()), 0, a.MarkBoundary("loss"))
    assert listener_follow_ups(reflecting(room)) == [
        "EN plain",
        "EN who cooked",
        "EN say to them",
    ]


def test_the_listeners_own_new_mark_hides_that_follow_up_from_them_at_once() -> None:
    room = do(speaking(follow_up_deck()), 1, a.MarkBoundary("family"))
    assert listener_follow_ups(reflecting(room)) == ["EN plain", "EN say to them"]


def test_withheld_follow_ups_survive_a_round_trip_through_the_store() -> None:
    d = follow_up_deck()
    room = do(do(do(started(d), 1, a.MarkBoundary("loss")), 0, a.Draw()), 0, a.Answer())
    assert room.turn is not None and room.turn.withheld == (2,)
    assert from_dict(to_dict(room), {d.id: d}) == room


def test_a_turn_stored_before_tagged_follow_ups_loads_with_none_withheld() -> None:
    d = follow_up_deck()
    data = to_dict(speaking(d))
    data["turn"] = data["turn"][:10]
    del data["apart"]
    room = from_dict(data, {d.id: d})
    assert room.turn is not None and room.turn.withheld == () and not room.apart


# apart tonight ------------------------------------------------------------------------
def touch_deck() -> Deck:
    cards = tuple(card(f"t{i}", 0, tags=("touch",)) for i in range(4)) + tuple(
        card(f"p{i}", 0) for i in range(4)
    )
    return deck(cards, levels=1, min_cards=(0,), tags=TOPICS)


@given(st.integers(0, 2**32))
@settings(max_examples=30)
def test_apart_tonight_never_deals_a_touch_card(seed: int) -> None:
    room = replace(do(lobby(touch_deck()), 1, a.SetApart(True)), seed=seed)
    room = do(do(room, 0, a.Ready()), 1, a.Ready())
    while not view_for(room, 0)["exhausted"]:
        room = complete_card(room)
    assert sorted(room.dealt) == ["p0", "p1", "p2", "p3"]


def test_apart_tonight_holds_back_touch_follow_ups() -> None:
    d = deck(
        (card("c0", 0, follow_ups=("plain", "hug"), follow_up_tags=((), ("touch",))),),
        levels=1,
        min_cards=(0,),
        tags=TOPICS,
    )
    room = do(do(do(lobby(d), 0, a.SetApart(True)), 0, a.Ready()), 1, a.Ready())
    room = reflecting(do(do(room, 0, a.Draw()), 0, a.Answer()))
    assert listener_follow_ups(room) == ["EN plain"]


def test_apart_tonight_is_a_lobby_setting_both_see_and_it_asks_both_to_ready_again() -> None:
    room = do(do(lobby(touch_deck()), 0, a.Ready()), 1, a.SetApart(True))
    assert room.apart and not room.seats[0].ready
    assert view_for(room, 0)["apart"] is True and view_for(room, 1)["apart"] is True
    assert "set_apart" in view_for(room, 0)["legal"]  # type: ignore[operator]


def test_apart_tonight_cannot_change_once_the_game_started() -> None:
    refused(started(touch_deck()), 0, a.SetApart(True), ErrorCode.LOBBY_NOT_IN_LOBBY)
    assert "set_apart" not in view_for(started(touch_deck()), 0)["legal"]  # type: ignore[operator]


def test_apart_tonight_comes_from_the_wire_as_a_flag() -> None:
    assert a.from_wire("set_apart", {"on": True}, {}) == a.SetApart(True)


# bands of intensity -------------------------------------------------------------------
def banded_deck(width: int) -> Deck:
    intensities = (1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6)
    cards = tuple(
        card(f"c{i}", 0, intensity=x, tags=("family",) if i % 3 == 0 else ())
        for i, x in enumerate(intensities)
    )
    return deck(cards, levels=1, min_cards=(0,), tags=TOPICS, band_width=width)


def band(d: Deck, card_id: str) -> int:
    return d.band(d.card(card_id))


@given(
    seed=st.integers(0, 2**32),
    width=st.sampled_from([1, 2, 3]),
    marked=st.booleans(),
    skips=st.lists(st.booleans(), min_size=12, max_size=12),
)
@settings(max_examples=60)
def test_cards_come_lightest_band_first_and_passes_skips_and_marks_still_hold(
    seed: int, width: int, marked: bool, skips: list[bool]
) -> None:
    d = banded_deck(width)
    room = replace(started(d), seed=seed)
    if marked:
        room = do(room, 1, a.MarkBoundary("family"))
    for skip in skips:
        if view_for(room, 0)["exhausted"]:
            break
        room = do(room, room.next_speaker, a.Draw())
        assert room.turn is not None
        if skip:
            room = do(room, 0, a.Skip())
        else:
            room = do(room, room.turn.speaker, a.Answer())
            room = do(room, room.turn.speaker, a.Pass())  # type: ignore[union-attr]
    bands = [band(d, c) for c in room.dealt]
    assert bands == sorted(bands), "a heavier band was dealt before a lighter one"
    assert len(set(room.dealt)) == len(room.dealt)
    if marked:
        assert not any(d.card(c).tags for c in room.dealt)


def test_within_a_band_the_order_is_not_the_written_one() -> None:
    d = deck(tuple(card(f"c{i}", 0) for i in range(6)), levels=1, min_cards=(0,))
    orders = set()
    for seed in range(8):
        room = replace(started(d), seed=seed)
        while not view_for(room, 0)["exhausted"]:
            room = complete_card(room)
        orders.add(room.dealt)
    assert len(orders) > 1 and ("c0", "c1", "c2", "c3", "c4", "c5") not in orders


@given(seed=st.integers(0, 2**32))
@settings(max_examples=25)
def test_play_again_never_deals_a_completed_card_and_keeps_the_band_order(seed: int) -> None:
    d = banded_deck(2)
    room = replace(started(d), seed=seed)
    for _ in range(4):
        room = complete_card(room)
    first = set(room.completed)
    room = do(do(room, 0, a.End()), 0, a.SkipClosing())
    room = do(room, 0, a.PlayAgain())
    assert room.phase is Phase.BETWEEN
    while not view_for(room, 0)["exhausted"]:
        room = complete_card(room)
    assert not first & set(room.dealt)
    bands = [band(d, c) for c in room.dealt]
    assert bands == sorted(bands)
