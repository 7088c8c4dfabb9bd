"""A room's stored blob: assembled from action ids packed once (a room created by this
instance) or packed whole (one decoded from the store), it is exactly the MessagePack
map {"room", "acts"}, reads back to the same state, and keeps 64 ids per seat."""

from __future__ import annotations

import msgpack

from decks.catalog import load_decks
from game import new_room, to_dict
from server.service import ACT_MEMORY, Service, State, _remember
from server.settings import Settings
from server.store.memory import MemoryStore

DECKS = load_decks()


def service() -> Service:
    return Service(MemoryStore(background_sweep=False), DECKS, Settings())


def plain(state: State) -> bytes:
    """The blob as one packb call writes it."""
    acts = [list(a) for a in state.acts]
    out: bytes = msgpack.packb({"room": to_dict(state.room), "acts": acts}, use_bin_type=True)
    return out


def played(moves: int, *, packed: bool = True) -> State:
    room = new_room("ABCDEF", DECKS["closer"], seed=7)
    state = State(room, (), ()) if packed else State(room)
    for n in range(moves):
        seat = n % 3 % 2  # uneven: seat 0 acts twice as often
        state = _remember(state, room, seat, f"s:a{n}")
    return state


def test_the_blob_is_the_plain_msgpack_map_whatever_the_number_of_ids() -> None:
    for moves in (0, 1, 15, 16, 17, 200, 70_000 // ACT_MEMORY):
        state = played(moves)
        assert state.packed is not None and Service.encode(state) == plain(state)
        unpacked = played(moves, packed=False)
        assert unpacked.packed is None and unpacked == state
        assert Service.encode(unpacked) == plain(state)


def test_a_blob_reads_back_to_the_same_state() -> None:
    svc = service()
    state = played(300)
    back = svc.decode(Service.encode(state))
    assert back == state and back.packed is None
    assert Service.encode(_remember(back, back.room, 1, "s:x")) == plain(
        _remember(state, state.room, 1, "s:x")
    )


def test_each_seat_keeps_its_newest_ids_only() -> None:
    for packed in (True, False):
        assert_newest_kept(played(500, packed=packed))


def assert_newest_kept(state: State) -> None:
    for seat in (0, 1):
        mine = [key for s, key, _ in state.acts if s == seat]
        assert len(mine) == ACT_MEMORY
        newest = [f"s:a{n}" for n in range(500) if n % 3 % 2 == seat][-ACT_MEMORY:]
        assert mine == newest
