"""Store fixtures: every contract test runs on MemoryStore, RedisStore on one real
redis-server, and RedisStore on a real three-node Redis Cluster.

``make_store()`` opens another handle on the same backend, as a second server
instance would: a new RedisStore on the same Redis, or (in-process, where there is no
shared backend to reach) the same MemoryStore again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from server.store import MemoryStore, RoomStore, from_url
from tests.server.store.helpers import MakeStore, new_room_id
from tests.support.redis import RedisClusterNodes, RedisServer

BACKENDS = [
    pytest.param("memory", id="memory"),
    pytest.param("redis", id="redis", marks=pytest.mark.redis),
    pytest.param("cluster", id="cluster", marks=pytest.mark.redis),
]


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
