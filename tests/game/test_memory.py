"""Memory without accounts (issue 21): a room made with the ids a device remembers deals
the cards not played before first, and says when a level or the deck is played through."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from game import actions as a
from game.codec import from_dict, to_dict
from game.dealing import exhausted, pick, played_through
from game.model import Phase, Room
from game.rules import new_room
from game.views import view_for
from tests.game.factories import card, complete_card, deck, do

DECK = deck(
    tuple(
        card(f"l{lv}c{i}", lv, tags=("money",) if i == 3 else ())
        for lv in range(2)
        for i in range(5)
    )
)
IDS = sorted(c.id for c in DECK.cards)


def started(before: frozenset[str] | set[str] = frozenset(), seed: int = 7) -> Room:
    room = new_room("ROOM42", DECK, seed=seed, played_before=before)
    room = do(room, None, a.Join())
    return do(do(room, 0, a.Ready()), 1, a.Ready())


def test_new_room_keeps_only_ids_the_deck_deals() -> None:
    room = new_room("ROOM42", DECK, seed=1, played_before=["l0c1", "gone", "closing"])
    assert room.played_before == {"l0c1"}


def test_a_second_evening_deals_new_cards_first_then_says_played_through() -> None:
    before = {"l0c0", "l0c1", "l0c2"}
    room = started(before)
    assert view_for(room, 0)["played_through"] is None
    seen = []
    for _ in range(2):
        room = complete_card(room)
        seen.append(room.last_card)
    assert set(seen) == {"l0c3", "l0c4"}
    view = view_for(room, 1)
    assert view["played_through"] == "level"  # level 1 still has new cards
    assert view["played"] == {"completed": sorted(seen), "skipped": []}
    room = complete_card(room)  # the remembered ones come round again
    assert room.last_card in before


def test_the_whole_deck_played_through() -> None:
    room = started(set(IDS))
    assert view_for(room, 0)["played_through"] == "deck"
    assert view_for(started(set(IDS) - {"l1c0"}), 0)["played_through"] == "level"


def test_a_skipped_card_is_kept_for_the_device_and_the_codec_round_trips() -> None:
    room = do(started({"l0c0"}), 0, a.Draw())
    assert room.turn is not None
    skipped = room.turn.card_id
    room = do(room, 0, a.Skip())
    assert view_for(room, 0)["played"] == {"completed": [], "skipped": [skipped]}
    back = from_dict(to_dict(room), {DECK.id: DECK})
    assert back.skipped_in_room == {skipped} and back.played_before == {"l0c0"}
    old = to_dict(room)
    del old["skipped"], old["before"]  # a room stored before memory existed
    assert from_dict(old, {DECK.id: DECK}).played_before == frozenset()


def test_choosing_another_deck_forgets_what_the_device_remembered() -> None:
    room = new_room("ROOM42", DECK, seed=1, played_before=["l0c1"])
    room = do(room, 0, a.ChooseDeck(deck(deck_id="other")))
    assert room.played_before == frozenset()


@settings(max_examples=60, deadline=None)
@given(
    before=st.sets(st.sampled_from(IDS)),
    seed=st.integers(0, 2**31),
    marked=st.booleans(),
    moves=st.lists(st.sampled_from(["complete", "skip", "deeper"]), max_size=14),
)
def test_no_card_played_before_while_a_new_one_is_dealable(
    before: set[str], seed: int, marked: bool, moves: list[str]
) -> None:
    """Invariants: a remembered card is dealt only when no new card is dealable at its
    level; memory never changes which cards can be dealt, only their order; a room that
    remembers nothing deals exactly as before."""
    room = started(before, seed)
    if marked:
        room = do(room, 1, a.MarkBoundary("money"))
    for move in moves:
        if room.phase is not Phase.BETWEEN or exhausted(room):
            break
        level = room.level
        card = pick(room, level)
        assert card is not None
        marks = room.seats[1].boundaries
        fresh = [
            c
            for c in DECK.by_level[level]
            if c.id not in before and c.id not in room.dealt and not c.tags & marks
        ]
        if card.id in before:
            assert not fresh
        assert (played_through(room) is None) == bool(fresh) or not before
        assert exhausted(room) == exhausted(replace(room, played_before=frozenset()))
        if move == "skip":
            room = do(do(room, room.next_speaker, a.Draw()), room.next_speaker, a.Skip())
        elif move == "deeper" and room.level == 0:
            room = do(do(room, 0, a.ProposeDeeper()), 1, a.AcceptDeeper())
        else:
            room = complete_card(room)
    through = played_through(room)
    if before and through == "deck":
        assert all(
            c.id in before or c.id in room.dealt or c.id in room.completed_in_room
            or c.tags & room.seats[1].boundaries
            for c in DECK.cards
        )  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), n=st.integers(0, 4))
def test_memory_of_another_level_leaves_this_levels_deal_as_it_was(seed: int, n: int) -> None:
    """Memory only reorders: remembering level 1's cards deals level 0 exactly as a room
    that remembers nothing (same seed, same cards, same order)."""
    room, plain = started({c.id for c in DECK.by_level[1]}, seed), started(set(), seed)
    for _ in range(n):
        assert pick(room, 0) == pick(plain, 0)
        room, plain = complete_card(room), complete_card(plain)
        assert room.last_card == plain.last_card
