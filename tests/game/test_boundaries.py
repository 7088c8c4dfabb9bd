from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game import actions as a
from game.errors import ErrorCode
from game.views import view_for
from tests.game.factories import card, complete_card, deck, do, shown, started
from tests.game.helpers import refused


def tagged_deck():
    cards = tuple(card(f"m{i}", 0, tags=("money",)) for i in range(5)) + tuple(
        card(f"p{i}", 0) for i in range(5)
    )
    return deck(cards, levels=1, min_cards=(0,))


@given(st.integers(0, 2**32), st.sampled_from([0, 1]))
def test_a_card_with_an_off_limits_tag_is_never_dealt(seed: int, marker: int) -> None:
    from dataclasses import replace

    room = replace(started(tagged_deck()), seed=seed)
    room = do(room, marker, a.MarkBoundary("money"))
    while not view_for(room, 0)["exhausted"]:
        room = complete_card(room)
    assert not any(c.startswith("m") for c in room.dealt)
    assert len(room.dealt) == 5


def test_a_new_mark_never_pulls_the_card_on_the_table() -> None:
    d = deck((card("m0", 0, tags=("money",)),), levels=1, min_cards=(0,))
    room = do(shown(d), 1, a.MarkBoundary("money"))
    assert room.turn is not None and room.turn.card_id == "m0"


def test_a_view_holds_only_its_own_marks() -> None:
    room = do(do(started(), 0, a.MarkBoundary("money")), 1, a.MarkBoundary("family"))
    assert view_for(room, 0)["boundaries"] == ["money"]
    assert view_for(room, 1)["boundaries"] == ["family"]
    assert "money" not in repr({k: v for k, v in view_for(room, 1).items() if k != "deck"})


def test_the_partners_view_does_not_change_when_a_mark_is_added() -> None:
    room = started()
    before = view_for(room, 1)
    after = view_for(do(room, 0, a.MarkBoundary("money")), 1)
    assert {**before, "version": 0} == {**after, "version": 0}


def test_marks_can_be_removed_only_by_their_owner() -> None:
    room = do(started(), 0, a.MarkBoundary("money"))
    refused(room, 1, a.UnmarkBoundary("money"), ErrorCode.BOUNDARY_NOT_MARKED)
    assert do(room, 0, a.UnmarkBoundary("money")).seats[0].boundaries == frozenset()


def test_unknown_or_repeated_marks_are_refused() -> None:
    refused(started(), 0, a.MarkBoundary("nope"), ErrorCode.BOUNDARY_UNKNOWN_TAG)
    room = do(started(), 0, a.MarkBoundary("money"))
    refused(room, 0, a.MarkBoundary("money"), ErrorCode.BOUNDARY_ALREADY)
