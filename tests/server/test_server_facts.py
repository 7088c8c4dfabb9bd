"""``GET /api/server`` (issue 22): whether this server keeps daily spaces across a restart
(the in-process store never does; a Redis does when AOF or RDB saves are on, asked of
real ``redis-server`` processes started each way), the Web Push key when the operator
set one, and the daily lifetimes; never cached."""

from __future__ import annotations

import logging
import shutil
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from server.store.factory import from_url
from server.store.memory import MemoryStore
from tests.server.test_settings import PRIVATE, PUBLIC, SUBJECT
from tests.support.redis import RedisServer, require_binary, temp_dir
from tests.support.servers import InProcessServer

StartRedis = Callable[..., RedisServer]


@pytest.fixture
def redis_with() -> Iterator[StartRedis]:
    """``redis_with(*options)``: a fresh redis-server started with those options."""
    started: list[tuple[RedisServer, Path]] = []

    def start(*extra: str) -> RedisServer:
        workdir = temp_dir("ck-redis-durable-")
        server = RedisServer(require_binary("redis-server"), workdir, extra=extra)
        server.start()
        started.append((server, workdir))
        return server

    yield start
    for server, workdir in started:
        server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


async def durable_on(url: str) -> bool:
    store = from_url(url)
    try:
        return await store.daily_durable()
    finally:
        await store.close()


async def test_the_in_process_store_is_not_durable() -> None:
    store = MemoryStore(background_sweep=False)
    assert await store.daily_durable() is False
    await store.close()


async def test_a_redis_without_aof_or_saves_is_not_durable(redis_url: str) -> None:
    assert await durable_on(redis_url) is False  # the tests' Redis: --save "" --appendonly no


@pytest.mark.parametrize(
    "options", [("--appendonly", "yes"), ("--save", "3600 1")], ids=["aof", "rdb"]
)
async def test_a_redis_with_aof_or_rdb_saves_is_durable(
    redis_with: StartRedis, options: Sequence[str]
) -> None:
    server = redis_with(*options)
    assert await durable_on(server.url) is True


async def test_a_redis_that_refuses_config_is_not_durable_and_says_so_once(
    redis_with: StartRedis, caplog: pytest.LogCaptureFixture
) -> None:
    # Managed services rename CONFIG; this Redis has AOF on, but nothing here can tell.
    server = redis_with("--appendonly", "yes", "--rename-command", "CONFIG", "")
    store = from_url(server.url)
    try:
        with caplog.at_level(logging.WARNING):
            assert await store.daily_durable() is False
            assert await store.daily_durable() is False
    finally:
        await store.close()
    refused = [r for r in caplog.records if "refused CONFIG" in r.getMessage()]
    assert len(refused) == 1


@pytest.fixture
async def durable_server(redis_with: StartRedis) -> AsyncIterator[InProcessServer]:
    redis = redis_with("--appendonly", "yes")
    async with InProcessServer(redis_url=redis.url) as srv:
        yield srv


async def test_the_facts_on_a_durable_redis_with_push(durable_server: InProcessServer) -> None:
    async with httpx.AsyncClient(base_url=durable_server.url) as http:
        r = await http.get("/api/server")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert r.json() == {
        "daily_durable": True,
        "push_key": None,
        "daily_keep_days": 7,
        "daily_idle_days": 30,
    }


async def test_the_facts_in_process_with_push_keys_and_other_lifetimes() -> None:
    settings = {"vapid_public_key": PUBLIC, "vapid_private_key": PRIVATE,
                "vapid_subject": SUBJECT, "daily_keep_days": 3.0,
                "daily_idle_days": 90.0}  # fmt: skip
    async with InProcessServer(**settings) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        r = await http.get("/api/server")
    assert r.headers["cache-control"] == "no-store"
    assert r.json() == {
        "daily_durable": False,
        "push_key": PUBLIC,
        "daily_keep_days": 3,
        "daily_idle_days": 90,
    }
    assert PRIVATE not in r.text
