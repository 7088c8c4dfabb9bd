"""A commit's broker message carries the state it wrote: the instance holding the
partner's socket delivers it without reading the store, and its own seat's next move
compare-and-sets without a load. A damaged or foreign state on the bus is ignored and
the instance loads instead."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from decks.catalog import load_decks
from game import Room
from server.fanout.conn import Conn, Frame
from server.fanout.hub import Hub
from server.metrics import Metrics
from server.rooms.service import Service
from server.settings import Settings
from server.store import MemoryStore, RoomStore, Snapshot, from_url
from server.wire import broker, protocol
from server.wire.blob import State, encode_state
from server.wire.protocol import Codec
from tests.support.redis import RedisServer

DECKS = load_decks()


class Socket:
    def __init__(self) -> None:
        self.sent: list[Frame] = []

    async def send(self, frame: Frame) -> None:
        self.sent.append(frame)

    async def close(self, code: int) -> None:
        pass

    def states(self) -> list[dict[str, Any]]:
        out = [json.loads(f) for f in self.sent]
        return [m for m in out if m.get("t") == "state"]


@dataclass
class Instances:
    """Two server instances on one backend: A where seat 0 plays, B holding seat 1."""

    a: Service
    b: Service
    hub_b: Hub
    loads: list[str]  # room ids loaded through B's store handle
    code: str
    conn_b: Conn
    sock_b: Socket
    before: Room  # the room as it was when B's seat was bound


def count_loads(store: RoomStore, loads: list[str]) -> None:
    load = store.load

    async def counted(room_id: str) -> Snapshot | None:
        loads.append(room_id)
        return await load(room_id)

    store.load = counted  # type: ignore[method-assign]


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def instances(request: pytest.FixtureRequest) -> AsyncIterator[Instances]:
    if request.param == "memory":
        shared = MemoryStore(background_sweep=False)
        store_a: RoomStore = shared
        store_b: RoomStore = shared  # one process: the same store, two services
    else:
        server: RedisServer = request.getfixturevalue("redis_server")
        store_a, store_b = from_url(server.url), from_url(server.url)
    loads: list[str] = []
    a = Service(store_a, DECKS, Settings())
    b = Service(store_b, DECKS, Settings())
    hub_b = Hub(store_b, b, Settings(), Metrics())
    created = await a.create_room("closer", name="Ana", language=None, light_mode=False)
    seated = await a.join_invite(created.code, created.invite, "Bo")
    sock = Socket()
    conn = Conn(Codec(protocol.SUBPROTOCOL_JSON), sock.send, sock.close, 64, "b")
    hub_b.add(conn)
    await hub_b.bind(conn, created.code, 1, seated.room)
    count_loads(store_b, loads)  # from here on
    try:
        yield Instances(a, b, hub_b, loads, created.code, conn, sock, seated.room)
    finally:
        await conn.stop()
        await store_a.close()
        if store_b is not store_a:
            await store_b.close()


async def until(check: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not check():
            await asyncio.sleep(0.005)


async def running(hub: Hub, body: Callable[[], Awaitable[None]]) -> None:
    task = asyncio.create_task(hub.run())
    try:
        await asyncio.wait_for(hub.store.wait_subscribed(), 5)
        await body()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_the_partners_instance_delivers_without_reading_the_store(
    instances: Instances,
) -> None:
    i = instances

    async def play() -> None:
        applied = await i.a.act(i.code, 0, "r0", "ready", {})
        version = applied.room.version
        await until(lambda: any(s["version"] == version for s in i.sock_b.states()))
        last = i.sock_b.states()[-1]
        assert last["version"] == version
        assert [e["name"] for e in last["events"]] == ["seat_ready"]
        # B's own seat moves next on the state the message carried: no load either.
        mine = await i.b.act(i.code, 1, "r1", "ready", {})
        assert mine.room.version == version + 1

    await running(i.hub_b, play)
    assert i.loads == []


@pytest.mark.parametrize("kind", ["damaged", "foreign", "older"])
async def test_a_bad_state_on_the_bus_is_ignored_and_the_room_loaded(
    instances: Instances, kind: str
) -> None:
    i = instances
    applied = await i.a.act(i.code, 0, "r0", "ready", {})
    version = applied.room.version
    record = broker.encode(broker.commit(version, applied.events))
    if kind == "damaged":
        snapshot = Snapshot(version, b"\xc1not msgpack")
    elif kind == "foreign":  # well formed, but another room's
        snapshot = Snapshot(version, encode_state(State(replace(applied.room, id="OTHER1"))))
    else:  # well formed, but the state before the one the record announces
        snapshot = Snapshot(version, encode_state(State(i.before)))
    await i.hub_b.route(i.code, record, snapshot)
    assert i.loads == [i.code]
    assert i.conn_b.version == version
