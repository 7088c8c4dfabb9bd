"""What only MemoryStore can get wrong: its own clock, sweeping and fan-out."""

from __future__ import annotations

import asyncio
import gc

from server.store import MemoryStore
from server.store.fanout import Fanout
from tests.server.store.helpers import new_room_id, snap


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_idle_rooms_are_swept_without_being_touched() -> None:
    clock = FakeClock()
    store = MemoryStore(clock=clock, background_sweep=False)
    for _ in range(100):
        room = new_room_id()
        await store.create(room, snap(1), {"s": "v"}, 10)
        await store.set_presence(room, 0, True, 10)
    clock.now += 9
    assert store.sweep() == 0
    clock.now += 2
    assert store.sweep() == 100
    assert store.entries == 0


async def test_any_call_sweeps_once_the_interval_has_passed() -> None:
    clock = FakeClock()
    store = MemoryStore(clock=clock, sweep_interval=30, background_sweep=False)
    await store.create(new_room_id(), snap(1), {}, 10)
    clock.now += 31
    await store.load(new_room_id())  # some other room: the sweep frees the idle one
    assert store.entries == 0


async def test_the_background_sweep_frees_idle_rooms() -> None:
    store = MemoryStore(sweep_interval=0.05)
    try:
        await store.create(new_room_id(), snap(1), {}, 0.05)
        assert store.entries == 1
        await asyncio.sleep(0.3)
        assert store.entries == 0
    finally:
        await store.close()


async def test_a_secret_set_later_keeps_only_the_secrets_alive() -> None:
    clock = FakeClock()
    store = MemoryStore(clock=clock, background_sweep=False)
    room = new_room_id()
    await store.create(room, snap(1), {}, 10)
    await store.set_secret(room, "k", "v", 100)
    clock.now += 50
    assert await store.load(room) is None
    assert await store.secrets(room) == {"k": "v"}
    assert await store.room_count() == 0


async def test_a_slow_subscriber_loses_messages_instead_of_growing() -> None:
    fanout = Fanout(limit=3)
    sub = fanout.subscribe()
    for i in range(10):
        fanout.deliver("R", b"%d" % i)
    got = [await anext(sub) for _ in range(3)]
    assert got == [("R", b"0", None), ("R", b"1", None), ("R", b"2", None)]
    assert sub.dropped == 7


async def test_a_subscription_dropped_without_closing_is_forgotten() -> None:
    fanout = Fanout()
    sub = fanout.subscribe()
    assert fanout.subscribers == 1
    del sub
    gc.collect()
    assert fanout.subscribers == 0


async def test_a_closed_subscription_stops_receiving() -> None:
    fanout = Fanout()
    sub, other = fanout.subscribe(), fanout.subscribe()
    await sub.aclose()
    fanout.deliver("R", b"m")
    assert await anext(other) == ("R", b"m", None)
    assert fanout.subscribers == 1


def test_a_store_outlives_the_event_loop_it_was_first_used_on() -> None:
    # TestClient portals and CLI commands may each bring their own loop.
    store = MemoryStore()
    room = new_room_id()
    assert asyncio.run(store.create(room, snap(1), {}, 60))
    assert asyncio.run(store.load(room)) == snap(1)
    asyncio.run(store.close())
