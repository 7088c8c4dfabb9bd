"""A couple's own deck (issue 21): added by one seat (the server built it from a file),
accepted by the other before a card of it is dealt, removable by either, in the lobby."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game import actions as a
from game.codec import from_dict, to_dict
from game.deck import OWN_DECK_ID
from game.errors import ActionFormatError, ErrorCode
from game.model import Phase
from game.views import view_for
from tests.game.factories import card, deck, do, lobby
from tests.game.helpers import refused

BASE = deck()
OWN = replace(
    deck(tuple(card(f"o{i}", 0) for i in range(3)), levels=1, deck_id=OWN_DECK_ID),
    source='{"a deck": "file"}',
)


def added(by: int = 0):  # type: ignore[no-untyped-def]
    return do(lobby(BASE), None, a.AddDeck(OWN, by))


def test_the_partner_accepts_before_a_card_of_it_is_dealt_and_either_can_remove_it() -> None:
    room = added(0)
    assert room.deck is BASE
    shown = view_for(room, 1)["own_deck"]
    assert shown == {"title": "Test", "description": "A test deck", "cards": 3,
                     "levels": ["Level 0"], "topics": ["Money", "Family"], "by": 0,
                     "accepted": False}  # fmt: skip
    refused(room, 0, a.AcceptDeck(), ErrorCode.DECK_ADDED_BY_YOU)
    assert "accept_deck" in view_for(room, 1)["legal"]
    assert "accept_deck" not in view_for(room, 0)["legal"]
    room = do(do(room, 0, a.Ready()), 1, a.AcceptDeck())
    assert room.deck is OWN and not room.seats[0].ready  # a new deck: both ready again
    refused(room, 1, a.AcceptDeck(), ErrorCode.DECK_ALREADY_ACCEPTED)
    assert view_for(room, 0)["own_deck"]["accepted"] is True  # type: ignore[index]
    playing = do(do(do(room, 0, a.Ready()), 1, a.Ready()), 0, a.Draw())
    assert playing.turn is not None and playing.turn.card_id.startswith("o")
    refused(playing, 0, a.RemoveDeck(), ErrorCode.LOBBY_NOT_IN_LOBBY)
    gone = do(room, 0, a.RemoveDeck())  # the one who added it may take it back too
    assert gone.deck is BASE and gone.own_deck is None
    assert view_for(gone, 1)["own_deck"] is None
    refused(gone, 1, a.RemoveDeck(), ErrorCode.DECK_NONE)


def test_one_deck_of_their_own_at_a_time_and_only_in_the_lobby() -> None:
    room = added(1)
    refused(room, None, a.AddDeck(OWN, 0), ErrorCode.DECK_ALREADY_ADDED)
    started = do(do(lobby(BASE), 0, a.Ready()), 1, a.Ready())
    assert started.phase is Phase.BETWEEN
    refused(started, None, a.AddDeck(OWN, 0), ErrorCode.LOBBY_NOT_IN_LOBBY)
    refused(room, 0, a.AddDeck(OWN, 0), ErrorCode.GAME_NOT_STARTED)  # never a seat's act


def test_choosing_an_installed_deck_leaves_the_own_deck_to_be_accepted_again() -> None:
    room = do(added(0), 1, a.AcceptDeck())
    other = deck(deck_id="other")
    room = do(room, 0, a.ChooseDeck(other))
    assert room.deck is other and room.own_deck is OWN and room.own_prior is None
    assert "accept_deck" in view_for(room, 1)["legal"]


def test_the_codec_keeps_the_file_and_needs_the_deck_built_from_it() -> None:
    room = do(added(0), 1, a.AcceptDeck())
    data = to_dict(room)
    assert data["deck"] == OWN_DECK_ID and data["own"] == [0, "test", OWN.source]
    back = from_dict(data, {"test": BASE, OWN_DECK_ID: OWN})
    assert back.deck is OWN and back.own_deck is OWN and back.own_prior is BASE
    with pytest.raises(Exception, match="not"):
        from_dict(data, {"test": BASE})


def test_no_socket_message_can_choose_or_add_the_own_deck() -> None:
    for name, args in (("choose_deck", {"deck": OWN_DECK_ID}), ("add_deck", {})):
        with pytest.raises(ActionFormatError):
            a.from_wire(name, args, {"test": BASE, OWN_DECK_ID: OWN})
