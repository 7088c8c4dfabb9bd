"""Issue 14's findings that need Redis as the store (real redis-server, real server
processes, spoken to only through the protocol): Redis out of memory or hung, and the
per-address limits shared by every instance."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.server.client import Client, pair
from tests.server.party_helpers import console, create_party
from tests.support.redis import RedisServer, command
from tests.support.servers import ServerProcess, ws_env

FAST = {"MSG_RATE": "500", "MSG_BURST": "500"}  # tests click faster than people


@pytest.fixture
def on_fresh_redis(
    fresh_redis: RedisServer, ws_direct: bool
) -> Iterator[tuple[ServerProcess, RedisServer]]:
    with ServerProcess({"REDIS_URL": fresh_redis.url, **FAST, **ws_env(ws_direct)}) as srv:
        yield srv, fresh_redis


async def post_room(url: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=url, timeout=15) as http:
        return await http.post("/api/rooms", json={"deck": "closer"})


async def test_redis_out_of_memory_is_store_full_and_creates_no_room(
    on_fresh_redis: tuple[ServerProcess, RedisServer],
) -> None:
    """At maxmemory a move failed with server/internal while rooms were still made."""
    srv, redis = on_fresh_redis
    p = await pair(srv.url, srv.ws_url)
    keys = redis.dbsize()
    command(redis.port, "CONFIG", "SET", "maxmemory", "1")  # every write is over it
    try:
        move = await p.a.client.act("ready")
        assert (move["t"], move.get("code")) == ("error", "store/full"), move
        created = await post_room(srv.url)
        assert (created.status_code, created.json()) == (503, {"error": "store/full"})
        assert redis.dbsize() == keys  # nothing was written
    finally:
        command(redis.port, "CONFIG", "SET", "maxmemory", "0")
    again = await p.a.client.act("ready")
    assert again["t"] == "ack", again


async def test_a_hung_redis_gets_a_move_its_answer_within_two_seconds(
    on_fresh_redis: tuple[ServerProcess, RedisServer],
) -> None:
    """With Redis stopped (not dead: SIGSTOP) a move waited 5 s for store/unavailable
    and a room creation 8-9 s for its 503."""
    srv, redis = on_fresh_redis
    p = await pair(srv.url, srv.ws_url)
    # Each hello is done once its socket is told of its partner (the last step after the
    # welcome): a hello still talking to Redis when it stops would hold the move (CI saw
    # 7 s: 5 s of that hello, then the move's 2 s).
    await p.b.client.next("presence", seat=0)
    assert redis.process is not None
    os.kill(redis.process.pid, signal.SIGSTOP)
    try:
        start = time.monotonic()
        move = await p.a.client.act("ready", timeout=10)
        took = time.monotonic() - start
        assert (move["t"], move.get("code")) == ("error", "store/unavailable"), move
        start = time.monotonic()
        created = await post_room(srv.url)
        made = time.monotonic() - start
        assert (created.status_code, created.json()) == (503, {"error": "store/unavailable"})
    finally:
        os.kill(redis.process.pid, signal.SIGCONT)
    # 2 s promised, with room for a busy shared machine; it was 5 s and 8-9 s
    # a bound of 2 s (REPLY_DEADLINE) with room for a busy machine; before: 10 s each
    assert took < 5.0 and made < 5.0, (took, made)
    # The same id again: applied at most once (it may have landed when Redis woke up).
    again = await p.a.client.request({"id": move["re"], "t": "act", "a": "ready"}, timeout=10)
    assert again["t"] == "ack", again


async def test_failed_joins_and_room_creations_are_limited_across_instances(
    redis_url: str,
) -> None:
    """The per-address limits were per process: N instances allowed N times the
    guesses. With Redis as the store, every instance spends from one bucket."""
    env = {"REDIS_URL": redis_url, **FAST, "JOIN_FAIL_BURST": "3", "JOIN_FAIL_RATE": "0.001",
           "CREATE_BURST": "2", "CREATE_RATE": "0.001"}  # fmt: skip
    # a fresh address for this test's buckets: the session's Redis keeps other tests'
    env["TRUSTED_PROXIES"] = "127.0.0.1"
    address = f"198.51.100.{os.getpid() % 250 + 1}"
    with ServerProcess(env) as first, ServerProcess(env) as second:
        codes = []
        for i in range(6):  # alternating instances: a wrong invite each time
            srv = (first, second)[i % 2]
            client = await Client.connect(
                srv.ws_url, additional_headers={"X-Forwarded-For": address}
            )
            hello = {"t": "hello", "v": "1.0", "room": "NOROOM", "invite": "x" * 22, "name": "Bo"}
            codes.append((await client.request(hello))["code"])
            await client.close()
        assert codes == ["join/failed"] * 3 + ["limit/rate_limited"] * 3, codes
        statuses = []
        for i in range(4):
            srv = (first, second)[i % 2]
            async with httpx.AsyncClient(base_url=srv.url) as http:
                r = await http.post("/api/rooms", json={"deck": "closer"},
                                    headers={"X-Forwarded-For": address})  # fmt: skip
                statuses.append(r.status_code)
        assert statuses == [201, 201, 429, 429], statuses


async def test_a_hung_redis_gets_a_party_message_its_answer_within_the_deadline(
    on_fresh_redis: tuple[ServerProcess, RedisServer],
) -> None:
    """The party socket had no reply deadline: with Redis stopped a host's action waited
    for the Redis client's own socket timeout."""
    srv, redis = on_fresh_redis
    party = await create_party(srv.url)
    host, _ = await console(srv.ws_url, party["code"], "host", party["host_token"])
    assert redis.process is not None
    os.kill(redis.process.pid, signal.SIGSTOP)
    try:
        start = time.monotonic()
        reply = await host.act("lock", timeout=15, on=True)
        took = time.monotonic() - start
    finally:
        os.kill(redis.process.pid, signal.SIGCONT)
    assert (reply["t"], reply.get("code")) == ("error", "store/unavailable"), reply
    assert took < 4.0, took  # REPLY_DEADLINE is 2 s, with room for a busy machine (was 5 s)
