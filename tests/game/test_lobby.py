from __future__ import annotations

from game import actions as a
from game.deck import Card
from game.errors import ErrorCode
from game.model import Phase
from game.rules import new_room
from game.views import view_for
from tests.game.factories import card, complete_card, deck, do, lobby, started
from tests.game.helpers import refused


def test_game_starts_only_when_both_partners_are_ready() -> None:
    room = do(lobby(), 0, a.Ready())
    assert room.phase is Phase.LOBBY
    room = do(room, 1, a.Ready())
    assert room.phase is Phase.BETWEEN
    assert room.next_speaker == 0
    assert room.started_at is not None


def test_seat_that_has_not_joined_cannot_act() -> None:
    room = new_room("R", deck(), seed=1)
    refused(room, 1, a.Ready(), ErrorCode.TURN_NOT_YOURS)


def test_second_join_is_refused_as_seat_taken() -> None:
    refused(lobby(), None, a.Join(), ErrorCode.LOBBY_SEAT_TAKEN)


def test_ready_twice_is_refused_and_unready_undoes_it() -> None:
    room = do(lobby(), 0, a.Ready())
    refused(room, 0, a.Ready(), ErrorCode.LOBBY_ALREADY_READY)
    room = do(room, 0, a.Unready())
    assert not room.seats[0].ready
    refused(room, 0, a.Unready(), ErrorCode.LOBBY_NOT_READY)


def test_names_can_only_be_changed_in_the_lobby() -> None:
    room = do(lobby(), 1, a.SetName("Bo"))
    assert room.seats[1].name == "Bo"
    refused(started(), 0, a.SetName("X"), ErrorCode.LOBBY_NOT_IN_LOBBY)


def test_each_seat_keeps_its_own_language() -> None:
    room = do(lobby(), 1, a.SetLanguage("de"))
    assert [s.language for s in room.seats] == ["en", "de"]
    refused(room, 0, a.SetLanguage("EN!"), ErrorCode.LOBBY_UNKNOWN_LANGUAGE)
    assert do(room, 0, a.SetLanguage("pt-BR")).seats[0].language == "pt-BR"


def test_choosing_a_deck_unreadies_both_and_a_mark_waits_for_a_deck_that_uses_its_topic() -> None:
    # One topic vocabulary (issue 15): a mark means the same in every deck, so a deck
    # chosen in between that never uses the topic does not wipe it.
    room = do(lobby(), 0, a.MarkBoundary("money"))
    room = do(room, 1, a.Ready())
    other = deck(deck_id="other", tags=())
    room = do(room, 1, a.ChooseDeck(other))
    assert room.deck.id == "other"
    assert not any(s.ready for s in room.seats)
    view = view_for(room, 0)
    assert view["boundaries"] == [] and "unmark_boundary" not in view["legal"]  # type: ignore[operator]
    back = do(room, 1, a.ChooseDeck(deck(cards=(money_card(), *deck().cards))))
    assert view_for(back, 0)["boundaries"] == ["money"]
    back = do(do(back, 0, a.Ready()), 1, a.Ready())
    while not view_for(back, 0)["exhausted"]:
        back = complete_card(back)
    assert "m0" not in back.dealt


def money_card() -> Card:
    return card("m0", 0, tags=("money",))


def test_light_mode_is_set_in_the_lobby() -> None:
    room = do(lobby(), 0, a.SetLightMode(True))
    assert room.light_mode
    refused(started(), 0, a.SetLightMode(False), ErrorCode.LOBBY_NOT_IN_LOBBY)


def test_cards_are_not_drawn_in_the_lobby() -> None:
    refused(lobby(), 0, a.Draw(), ErrorCode.GAME_NOT_STARTED)


def test_lobby_view_lists_lobby_actions() -> None:
    legal = view_for(lobby(), 1)["legal"]
    assert legal == sorted(
        ["choose_deck", "mark_boundary", "pause", "ready", "set_apart", "set_language",
         "set_light_mode", "set_name"]
    )  # fmt: skip
