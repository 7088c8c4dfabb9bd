"""A room's stored blob: assembled from action ids packed once, it is still exactly the
MessagePack map {"room", "acts"} and reads back to the same state."""

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


def played(moves: int) -> State:
    room = new_room("ABCDEF", DECKS["closer"], seed=7)
    state = State(room)
    for n in range(moves):
        seat = n % 3 % 2  # uneven: seat 0 acts twice as often
        state = _remember(state, room, seat, f"s:a{n}")
    return state


def test_the_blob_is_the_plain_msgpack_map_whatever_the_number_of_ids() -> None:
    for moves in (0, 1, 15, 16, 17, 200, 70_000 // ACT_MEMORY):
        state = played(moves)
        assert Service.encode(state) == plain(state)
        unpacked = State(state.room, state.acts)  # as decoded: nothing packed yet
        assert Service.encode(unpacked) == plain(state)


def test_a_blob_reads_back_to_the_same_state() -> None:
    svc = service()
    state = played(300)
    back = svc.decode(Service.encode(state))
    assert back == state
    assert Service.encode(_remember(back, back.room, 1, "s:x")) == plain(
        _remember(state, state.room, 1, "s:x")
    )


def test_each_seat_keeps_its_newest_ids_only() -> None:
    state = played(500)
    for seat in (0, 1):
        mine = [key for s, key, _ in state.acts if s == seat]
        assert len(mine) == ACT_MEMORY
        newest = [f"s:a{n}" for n in range(500) if n % 3 % 2 == seat][-ACT_MEMORY:]
        assert mine == newest
