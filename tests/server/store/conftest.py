"""Store fixtures: every contract test runs on MemoryStore, RedisStore on one real
redis-server, and RedisStore on a real three-node Redis Cluster.

``make_store()`` opens another handle on the same backend, as a second server
instance would: a new RedisStore on the same Redis, or (in-process, where there is no
shared backend to reach) the same MemoryStore again.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from server.store import MemoryStore, RedisStore, RoomStore, Snapshot, from_url
from tests.support.redis import RedisClusterNodes, RedisServer

MakeStore = Callable[..., RoomStore]
BACKENDS = [
    pytest.param("memory", id="memory"),
    pytest.param("redis", id="redis", marks=pytest.mark.redis),
    pytest.param("cluster", id="cluster", marks=pytest.mark.redis),
]
TTL = 60.0


def new_room_id() -> str:
    return "T" + secrets.token_hex(6).upper()


def snap(version: int, text: str = "") -> Snapshot:
    # Arbitrary bytes (NULs, invalid UTF-8, msgpack-like bin) must round-trip intact.
    return Snapshot(version, b"\x00\xc4\xff" + f"{version}:{text}".encode())


def backend_url(request: pytest.FixtureRequest, backend: str) -> str:
    if backend == "redis":
        server: RedisServer = request.getfixturevalue("redis_server")
        return server.url
    cluster: RedisClusterNodes = request.getfixturevalue("redis_cluster")
    return cluster.url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def make_store(backend: str, request: pytest.FixtureRequest) -> AsyncIterator[MakeStore]:
    opened: list[RoomStore] = []
    memory = MemoryStore() if backend == "memory" else None
    url = None if memory is not None else backend_url(request, backend)

    def make(**options: Any) -> RoomStore:
        if memory is not None and not options:
            return memory
        store = from_url(url, **options)
        opened.append(store)
        return store

    yield make
    for store in opened:
        await store.close()
    if memory is not None:
        await memory.close()


@pytest.fixture
def store(make_store: MakeStore) -> RoomStore:
    return make_store()


@pytest.fixture
def room_id() -> str:
    return new_room_id()


async def redis_keys(store: RoomStore, pattern: str) -> dict[str, int]:
    """Every key matching ``pattern`` (on every cluster node) with its PTTL."""
    assert isinstance(store, RedisStore)
    client = store.client
    found = [key async for key in client.scan_iter(match=pattern, count=1000)]
    return {bytes(key).decode(): int(await client.pttl(key)) for key in found}
