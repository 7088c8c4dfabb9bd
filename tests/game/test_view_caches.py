"""What views remember per deck (card texts per language, the last per-level count) never
shows in a view: each view is fresh, right for its seat's language, and safe to change."""

from __future__ import annotations

import copy

from game import actions as a
from game import dealing
from game.deck import CardMode
from game.model import Room
from game.views import view_for
from tests.game.factories import card, complete_card, deck, do, lobby

TAGGED = deck((card("c1", 0, tags=("money", "family")), card("c2", 0), card("c3", 0)))


def _drawn(first_language: str, second_language: str) -> Room:
    room = do(do(lobby(TAGGED), 0, a.SetLanguage(first_language)), 1, a.SetLanguage("de"))
    room = do(room, 0, a.SetLanguage(second_language))
    room = do(do(room, 0, a.Ready()), 1, a.Ready())
    while True:  # the seed decides the card: draw until the tagged one is on the table
        room = do(room, room.next_speaker, a.Draw())
        if room.turn is not None and room.turn.card_id == "c1":
            return room
        room = do(room, room.next_speaker, a.Skip())


def _card(room: Room, seat: int) -> dict[str, object]:
    shown = view_for(room, seat)["card"]
    assert isinstance(shown, dict)
    return shown


def test_each_language_gets_its_own_card_text_and_tag_labels() -> None:
    room = _drawn("en", "en")
    for _ in range(2):  # the second round is answered from what the deck remembered
        assert _card(room, 1)["text"] == "DE c1"
        assert _card(room, 1)["tags"] == [
            {"id": "family", "label": "Family"},  # no German label: the deck's default
            {"id": "money", "label": "Geld"},
        ]
        assert _card(room, 0)["text"] == "EN c1"
        assert _card(room, 0)["tags"] == [
            {"id": "family", "label": "Family"},
            {"id": "money", "label": "Money"},
        ]


def test_two_seats_views_share_no_mutable_part_of_a_card() -> None:
    room = do(_drawn("de", "de"), 0, a.Star())  # same language; starred differs
    mine, theirs = _card(room, 0), _card(room, 1)
    assert (mine["starred"], theirs["starred"]) == (True, False)
    assert mine is not theirs and mine["tags"] is not theirs["tags"]
    assert isinstance(mine["tags"], list) and isinstance(theirs["tags"], list)
    assert all(m is not t for m, t in zip(mine["tags"], theirs["tags"], strict=True))


def test_a_changed_view_does_not_leak_into_the_next_one() -> None:
    room = _drawn("en", "en")
    expected = [copy.deepcopy(view_for(room, seat)) for seat in (0, 1)]
    for seat in (0, 1):
        view = view_for(room, seat)
        shown = view["card"]
        progress = view["progress"]
        assert isinstance(shown, dict) and isinstance(progress, dict)
        shown["text"] = "changed"
        shown["tags"][0]["label"] = "changed"
        shown["tags"].append({"id": "x", "label": "y"})
        progress["completed"][0] = 99
        view["legal"].append("nonsense")  # type: ignore[attr-defined]
    assert [view_for(room, seat) for seat in (0, 1)] == expected


def test_a_revealed_card_is_a_fresh_dict_in_each_view() -> None:
    reveal = deck((card("r1", 0, mode=CardMode.REVEAL, tags=("money",)),))
    room = do(do(lobby(reveal), 0, a.Ready()), 1, a.Ready())
    room = complete_card(room)
    assert room.revealed is not None
    first = view_for(room, 0)["revealed"]
    assert isinstance(first, dict)
    first["card"]["tags"][0]["label"] = "changed"
    again, other = view_for(room, 0)["revealed"], view_for(room, 1)["revealed"]
    assert isinstance(again, dict) and isinstance(other, dict)
    assert again["card"]["tags"] == [{"id": "money", "label": "Money"}] == other["card"]["tags"]
    assert again["card"] is not other["card"]


def test_counts_per_level_follow_each_room_whichever_was_counted_last() -> None:
    room = do(do(lobby(TAGGED), 0, a.Ready()), 1, a.Ready())
    one = complete_card(room)
    two = complete_card(one)
    for _ in range(2):
        assert dealing.completed_per_level(two) == [2, 0, 0]
        assert dealing.completed_per_level(one) == [1, 0, 0]
        assert dealing.completed_per_level(room) == [0, 0, 0]
    counted = dealing.completed_per_level(two)
    counted[0] = 99
    assert dealing.completed_per_level(two) == [2, 0, 0]
