"""Redis key names: one prefix, the room's hash tag, a party's tables in its slot."""

from __future__ import annotations

import pytest

from server import keys


def test_a_rooms_keys_carry_its_hash_tag() -> None:
    assert keys.room_keys("ABC").all() == (
        "ck:{ABC}:state",
        "ck:{ABC}:log",
        "ck:{ABC}:secrets",
        "ck:{ABC}:presence",
    )


def test_a_party_tables_keys_carry_the_partys_tag() -> None:
    assert keys.room_keys("PARTY/t7").all() == (
        "ck:{PARTY}:t7:state",
        "ck:{PARTY}:t7:log",
        "ck:{PARTY}:t7:secrets",
        "ck:{PARTY}:t7:presence",
    )
    assert keys.room_pattern("PARTY/t7") == "ck:{PARTY}:t7:*"


def test_all_rooms_share_one_broker_channel() -> None:
    assert keys.BUS == "ck:bus"


@pytest.mark.parametrize(
    "room_id", ["", "A{B", "A}B", "A*", "A B", "A\x00B", "/t1", "PARTY/", "X" * 201]
)
def test_an_id_the_key_scheme_cannot_hold_is_refused(room_id: str) -> None:
    with pytest.raises(keys.RoomIdError):
        keys.room_keys(room_id)
