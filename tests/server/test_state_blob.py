"""Stored blobs (server/wire/blob.py): a room's blob starts with its format, reads back
to the same state, keeps each seat's newest action ids; a blob from before formats were
numbered is read, one from a newer release is refused with store/format (never
rewritten), for rooms and parties alike."""

from __future__ import annotations

import dataclasses

import msgpack
import pytest

from decks.catalog import load_decks
from game import new_room, to_dict
from game import party as p
from server.errors import ErrorCode, Refused
from server.rooms.service import ACT_MEMORY
from server.wire.blob import (
    FORMAT,
    State,
    TooNew,
    decode_party,
    decode_state,
    encode_party,
    encode_state,
    remember,
)

DECKS = load_decks()


def played(moves: int) -> State:
    room = new_room("ABCDEF", DECKS["closer"], seed=7)
    state = State(room)
    for n in range(moves):
        seat = n % 3 % 2  # uneven: seat 0 acts twice as often
        state = remember(state, room, seat, f"s:a{n}", ACT_MEMORY)
    return state


@pytest.mark.parametrize("sealed", [False, True], ids=["unsealed", "sealed"])
def test_a_room_blob_starts_with_its_format_and_reads_back_to_the_same_state(
    sealed: bool,
) -> None:
    state = dataclasses.replace(played(300), sealed=sealed)
    blob = encode_state(state)
    data = msgpack.unpackb(blob, raw=False)
    # A sealed room is format 2, so a format-1 instance refuses it rather than drop the
    # mark; an unsealed one stays format 1, readable by every instance.
    assert next(iter(data)) == "f" and data["f"] == (FORMAT if sealed else 1)
    assert data.get("sealed", False) is sealed
    assert decode_state(blob, DECKS) == state


def test_a_room_blob_from_before_formats_were_numbered_is_read() -> None:
    state = played(5)
    old = {"room": to_dict(state.room), "acts": [list(a) for a in state.acts]}
    assert decode_state(msgpack.packb(old, use_bin_type=True), DECKS) == state


def test_a_blob_from_a_newer_release_is_refused_with_store_format() -> None:
    state = played(1)
    newer = {"f": FORMAT + 1, "room": to_dict(state.room), "acts": []}
    with pytest.raises(TooNew) as exc:
        decode_state(msgpack.packb(newer, use_bin_type=True), DECKS)
    assert isinstance(exc.value, Refused) and exc.value.code is ErrorCode.STORE_FORMAT
    inner = {"f": FORMAT, "room": {**to_dict(state.room), "f": 99}, "acts": []}
    with pytest.raises(TooNew):
        decode_state(msgpack.packb(inner, use_bin_type=True), DECKS)


def test_a_party_blob_starts_with_its_format_and_a_newer_one_is_refused() -> None:
    party = p.new_party("PARTY1", "closer", 3, seed=1)
    blob = encode_party(party)
    assert next(iter(msgpack.unpackb(blob, raw=False))) == "f"
    assert decode_party(blob) == party
    newer = {**p.to_dict(party), "f": 99}
    with pytest.raises(TooNew):
        decode_party(msgpack.packb(newer, use_bin_type=True))


def test_each_seat_keeps_its_newest_ids_only() -> None:
    state = played(500)
    for seat in (0, 1):
        mine = [key for s, key, _ in state.acts if s == seat]
        assert len(mine) == ACT_MEMORY
        newest = [f"s:a{n}" for n in range(500) if n % 3 % 2 == seat][-ACT_MEMORY:]
        assert mine == newest
