"""What only RedisStore can get wrong: key layout and TTLs, cluster slots, retries,
and behaviour while Redis is down or restarting (real redis-server processes)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import pytest
from redis.asyncio.connection import Connection
from redis.exceptions import ResponseError

from server import keys
from server.store import RedisStore, RoomStore, StoreUnavailable, bus, from_url
from server.store.base import Message
from server.store.factory import parse_cluster_url
from server.store.wire import pack_command
from tests.server.store.helpers import TTL, MakeStore, new_room_id, redis_keys, snap
from tests.support.redis import RedisClusterNodes, RedisServer, command, free_port

pytestmark = pytest.mark.redis

REDIS_BACKENDS = [pytest.param("redis", id="redis"), pytest.param("cluster", id="cluster")]


@pytest.fixture(params=REDIS_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def filled_room(store: RoomStore, room_id: str) -> None:
    """A room with all four keys present: state, log, secrets and presence."""
    await store.create(room_id, snap(1), {"seat0": "h"}, TTL)
    await store.commit(room_id, 1, snap(2), b"rec", TTL)
    await store.set_secret(room_id, "seat1", "h2", TTL)
    await store.set_presence(room_id, 0, True, TTL)


async def test_every_key_of_a_room_expires(store: RoomStore, room_id: str) -> None:
    await filled_room(store, room_id)
    found = await redis_keys(store, keys.room_pattern(room_id))
    assert set(found) == set(keys.room_keys(room_id).all())
    assert all(0 < pttl <= TTL * 1000 for pttl in found.values()), found


async def test_every_key_of_a_party_table_expires(store: RoomStore) -> None:
    table = f"{new_room_id()}/t7"
    await filled_room(store, table)
    found = await redis_keys(store, keys.room_pattern(table))
    assert set(found) == set(keys.room_keys(table).all())
    assert all(pttl > 0 for pttl in found.values()), found


async def test_delete_leaves_no_key_of_the_room(store: RoomStore, room_id: str) -> None:
    await filled_room(store, room_id)
    await store.delete(room_id)
    assert await redis_keys(store, f"ck:{{{room_id}}}*") == {}


async def test_a_room_and_its_party_tables_share_one_cluster_slot(
    redis_cluster: RedisClusterNodes, room_id: str
) -> None:
    names = [*keys.room_keys(room_id).all(), *keys.room_keys(f"{room_id}/t1").all()]
    port = redis_cluster.nodes[0].port
    slots = {command(port, "CLUSTER", "KEYSLOT", name) for name in names}
    assert len(slots) == 1
    assert command(port, "CLUSTER", "KEYSLOT", "ck:{other}:state") not in slots


async def test_the_version_sits_beside_the_opaque_blob(store: RoomStore, room_id: str) -> None:
    assert isinstance(store, RedisStore)
    await store.create(room_id, snap(4, "x"), {}, TTL)
    stored = await store.client.hgetall(keys.room_keys(room_id).state)
    assert stored == {b"v": b"4", b"b": snap(4, "x").blob}


async def test_a_retried_commit_whose_reply_was_lost_applies_once(
    store: RoomStore, room_id: str
) -> None:
    # The driver resends a command after a connection error; the script must know
    # its own write when it sees it again.
    await store.create(room_id, snap(1), {}, TTL)
    assert await store.commit(room_id, 1, snap(2), b"mine", TTL)
    assert await store.commit(room_id, 1, snap(2), b"mine", TTL)
    assert not await store.commit(room_id, 1, snap(2), b"someone else", TTL)
    assert await store.records_since(room_id, 1) == [b"mine"]


async def test_another_writers_commit_with_the_same_record_is_not_taken_for_ours(
    store: RoomStore, room_id: str
) -> None:
    # Two instances may make the same change record from version 1 (the same seat's
    # action, from two sockets) with different states (each remembers its own message
    # id). Only the first applied; the second must hear "no" and retry on the stored
    # state, not believe its own state was written.
    await store.create(room_id, snap(1), {}, TTL)
    assert await store.commit(room_id, 1, snap(2, "first"), b"same", TTL)
    assert not await store.commit(room_id, 1, snap(2, "second"), b"same", TTL)
    assert await store.load(room_id) == snap(2, "first")


async def test_a_retried_create_whose_reply_was_lost_still_succeeds(
    store: RoomStore, room_id: str
) -> None:
    assert await store.create(room_id, snap(1, "mine"), {}, TTL)
    assert await store.create(room_id, snap(1, "mine"), {}, TTL)
    assert not await store.create(room_id, snap(1, "theirs"), {}, TTL)


async def test_scripts_are_reloaded_after_a_script_flush(store: RoomStore, room_id: str) -> None:
    assert isinstance(store, RedisStore)
    await store.create(room_id, snap(1), {}, TTL)
    await store.client.script_flush()  # what a Redis restart does to the script cache
    assert await store.commit(room_id, 1, snap(2), b"rec", TTL)
    assert await store.presence(room_id) == {}


async def test_many_concurrent_calls_share_few_round_trips(
    store: RoomStore,
) -> None:
    assert isinstance(store, RedisStore)
    rooms = [new_room_id() for _ in range(300)]
    before = store._batch.round_trips
    await asyncio.gather(*(store.create(r, snap(1), {}, TTL) for r in rooms))
    assert store._batch.round_trips - before < 30
    await asyncio.gather(*(store.delete(r) for r in rooms))


def test_commands_are_packed_as_redis_py_packs_them() -> None:
    args = ("EVALSHA", "ab" * 20, 2, "ck:{R}:state", b"\x00\r\n\xff" * 900, b"", -7, "é")
    expected = b"".join(Connection().pack_commands([args]))
    assert pack_command(args) == expected


async def test_an_error_answers_its_own_call_only(store: RoomStore, room_id: str) -> None:
    assert isinstance(store, RedisStore)
    await store.create(room_id, snap(1), {"seat0": "h"}, TTL)
    wrong = keys.room_keys(room_id).log  # not a hash: HGETALL is refused
    await store.client.rpush(wrong, b"x")
    results: list[object] = await asyncio.gather(
        store._batch.command("HGETALL", wrong),
        store.load(room_id),
        store.secrets(room_id),
        return_exceptions=True,
    )
    refused, loaded, secrets = results  # one pipeline: the same round trip
    assert isinstance(refused, ResponseError) and "WRONGTYPE" in str(refused)
    assert loaded == snap(1) and secrets == {"seat0": "h"}


async def redis_with_room(store: RoomStore) -> tuple[RedisStore, str]:
    """The Redis store under test, and a new room in it at version 1."""
    assert isinstance(store, RedisStore)
    room = new_room_id()
    await store.create(room, snap(1), {}, TTL)
    return store, room


async def test_a_dropped_connection_is_reopened_and_the_batch_resent(
    fresh_store: RoomStore,
) -> None:
    store, room = await redis_with_room(fresh_store)
    # Every client but the one asking is dropped by the server, the batcher's included.
    await store.client.execute_command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
    assert await store.load(room) == snap(1)
    assert await store.commit(room, 1, snap(2), b"r", TTL)


async def test_a_round_trip_given_up_never_answers_a_later_call(
    fresh_redis: RedisServer,
) -> None:
    """Redis answers late, after the caller's time ran out: the late replies must not
    be taken for the next call's (the connection they would arrive on is closed)."""
    store = from_url(fresh_redis.url, op_timeout=0.3)
    try:
        first, second = new_room_id(), new_room_id()
        await store.create(first, snap(1), {}, TTL)
        await store.create(second, snap(7), {}, TTL)
        await store.client.execute_command("CLIENT", "PAUSE", "600", "ALL")
        with pytest.raises(StoreUnavailable):
            await store.load(first)  # Redis holds it past op_timeout
        await asyncio.sleep(0.5)  # the pause ends; Redis answers the abandoned call
        assert await store.load(second) == snap(7)
        assert await store.load(first) == snap(1)
    finally:
        await store.close()


async def test_calls_on_an_open_connection_need_no_task(fresh_store: RoomStore) -> None:
    """Once connected, a round trip is written from the loop's callback and settled by
    the connection's: no flusher task is started per round trip."""
    store, room = await redis_with_room(fresh_store)  # connects (through a task)
    first = store._batch._flusher
    trips = store._batch.round_trips
    for _ in range(5):
        assert await store.load(room) == snap(1)
    assert store._batch._flusher is first
    assert store._batch.round_trips == trips + 5


async def test_a_reply_error_inside_a_round_trip_leaves_the_connection_usable(
    fresh_store: RoomStore,
) -> None:
    store, room = await redis_with_room(fresh_store)
    for _ in range(3):
        with pytest.raises(ResponseError):
            await store._batch.command("NOSUCHCOMMAND")
        assert await store.load(room) == snap(1)


# -- Redis down, restarted, unreachable -------------------------------------------------


@pytest.fixture
async def fresh_store(fresh_redis: RedisServer) -> AsyncIterator[RoomStore]:
    store = from_url(fresh_redis.url)
    yield store
    await store.close()


async def every_call_is_unavailable(store: RoomStore) -> None:
    room = new_room_id()
    calls = [
        store.create(room, snap(1), {}, TTL),
        store.load(room),
        store.commit(room, 1, snap(2), b"r", TTL),
        store.records_since(room, 0),
        store.secrets(room),
        store.set_secret(room, "k", "v", TTL),
        store.set_presence(room, 0, True, TTL),
        store.presence(room),
        store.publish(room, b"m"),
        store.delete(room),
        store.room_count(),
    ]
    for call in calls:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            await call
        assert time.monotonic() - started < 3.0
    assert not await store.ping()


@pytest.mark.parametrize("how", ["stop", "kill"])
async def test_a_lost_redis_means_store_unavailable_then_recovery(
    fresh_redis: RedisServer, fresh_store: RoomStore, how: str
) -> None:
    room = new_room_id()
    await fresh_store.create(room, snap(1), {}, TTL)
    fresh_redis.stop() if how == "stop" else fresh_redis.kill()
    await every_call_is_unavailable(fresh_store)
    fresh_redis.start()
    assert await fresh_store.ping()
    # no persistence: the room is gone, and the store works again
    assert await fresh_store.load(room) is None
    assert await fresh_store.create(room, snap(1), {}, TTL)


async def test_an_unreachable_redis_at_start_is_unavailable_not_a_hang() -> None:
    store = from_url(f"redis://127.0.0.1:{free_port()}/0")
    try:
        await every_call_is_unavailable(store)
    finally:
        await store.close()


async def test_an_unreachable_cluster_is_unavailable_not_a_hang() -> None:
    store = from_url(f"redis+cluster://127.0.0.1:{free_port()}")
    try:
        await every_call_is_unavailable(store)
    finally:
        await store.close()


async def receive_while_publishing(
    subscription: AsyncIterator[Message], publisher: RoomStore, room: str
) -> Message:
    """Publish until the subscriber hears it, as a client resends until acknowledged."""
    waiting = asyncio.ensure_future(anext(subscription))
    try:
        async with asyncio.timeout(15):
            while not waiting.done():
                with contextlib.suppress(StoreUnavailable):
                    await publisher.publish(room, b"ping")
                await asyncio.wait([waiting], timeout=0.1)
    finally:
        if not waiting.done():
            waiting.cancel()
    return waiting.result()


async def test_subscriptions_survive_a_redis_restart(fresh_redis: RedisServer) -> None:
    listener, publisher = from_url(fresh_redis.url), from_url(fresh_redis.url)
    try:
        subscription = listener.subscribe()
        await asyncio.wait_for(listener.wait_subscribed(), 5)
        room = new_room_id()
        assert await receive_while_publishing(subscription, publisher, room) == (
            room,
            b"ping",
            None,
        )
        fresh_redis.stop()
        await asyncio.sleep(0.2)
        fresh_redis.start()
        assert await receive_while_publishing(subscription, publisher, room) == (
            room,
            b"ping",
            None,
        )
        await asyncio.wait_for(listener.wait_subscribed(), 5)
        assert isinstance(listener, RedisStore)
        assert listener._bus.reconnects >= 1
        # commits after the restart still reach the old subscription
        await publisher.create(room, snap(1), {}, TTL)
        await publisher.commit(room, 1, snap(2), b"after-restart", TTL)
        async with asyncio.timeout(5):
            while (message := await anext(subscription)) != (room, b"after-restart", snap(2)):
                assert message == (room, b"ping", None)  # late duplicates of the probe only
    finally:
        await listener.close()
        await publisher.close()


async def test_a_broker_connection_dropped_by_redis_is_subscribed_again(
    fresh_redis: RedisServer,
) -> None:
    listener, publisher = from_url(fresh_redis.url), from_url(fresh_redis.url)
    try:
        subscription = listener.subscribe()
        await asyncio.wait_for(listener.wait_subscribed(), 5)
        assert isinstance(listener, RedisStore)
        await publisher.client.execute_command("CLIENT", "KILL", "TYPE", "pubsub")
        room = new_room_id()
        assert await receive_while_publishing(subscription, publisher, room) == (
            room,
            b"ping",
            None,
        )
        assert listener._bus.reconnects >= 1
    finally:
        await listener.close()
        await publisher.close()


async def test_a_silent_broker_connection_is_given_up(
    fresh_redis: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pings unanswered for SUBSCRIBE_TIMEOUT (Redis paused here): the listener
    reconnects instead of waiting forever on a connection that may be dead."""
    monkeypatch.setattr(bus, "POLL", 0.05)
    monkeypatch.setattr(bus, "SUBSCRIBE_TIMEOUT", 0.3)
    listener, other = from_url(fresh_redis.url), from_url(fresh_redis.url)
    try:
        listener.subscribe()
        await asyncio.wait_for(listener.wait_subscribed(), 5)
        assert isinstance(listener, RedisStore)
        await other.client.execute_command("CLIENT", "PAUSE", "1000", "ALL")
        async with asyncio.timeout(5):
            while listener._bus.reconnects == 0:
                await asyncio.sleep(0.05)
        assert listener._bus.reconnects >= 1  # given up, not waited on
        await asyncio.wait_for(listener.wait_subscribed(), 5)  # and back once Redis is
    finally:
        await listener.close()
        await other.close()


async def _publishes(store: RedisStore) -> int:
    stats = await store.client.info("commandstats")
    return int(stats.get("cmdstat_publish", {}).get("calls", 0))


async def test_an_instance_alone_on_the_channel_publishes_no_commit(
    fresh_redis: RedisServer,
) -> None:
    """Its own frame would come back only to be dropped; a second instance makes it
    publish again, and that instance gets the commit."""
    alone = from_url(fresh_redis.url)
    other: RoomStore | None = None
    try:
        assert isinstance(alone, RedisStore)
        alone.subscribe()
        await asyncio.wait_for(alone.wait_subscribed(), 5)
        room = new_room_id()
        await alone.create(room, snap(1), {}, TTL)
        before = await _publishes(alone)
        assert await alone.commit(room, 1, snap(2), b"r2", TTL)
        assert await _publishes(alone) == before
        other = from_url(fresh_redis.url)
        heard = other.subscribe()
        await asyncio.wait_for(other.wait_subscribed(), 5)
        assert await alone.commit(room, 2, snap(3), b"r3", TTL)
        assert await _publishes(alone) == before + 1
        message = await asyncio.wait_for(anext(heard), 5)
        assert message == (room, b"r3", snap(3))
    finally:
        await alone.close()
        if other is not None:
            await other.close()


async def test_two_stores_on_one_redis_see_each_others_commits(make_store: MakeStore) -> None:
    a, b = make_store(), make_store()
    room = new_room_id()
    await a.create(room, snap(1), {}, TTL)
    assert await b.commit(room, 1, snap(2, "b"), b"from-b", TTL)
    assert not await a.commit(room, 1, snap(2, "a"), b"from-a", TTL)
    assert await a.load(room) == snap(2, "b")


# -- URLs ---------------------------------------------------------------------------------


def test_a_cluster_url_names_its_nodes_and_credentials() -> None:
    address = parse_cluster_url("redis+cluster://u:p%40ss@10.0.0.1:7000,10.0.0.2:7001/")
    assert address.nodes == (("10.0.0.1", 7000), ("10.0.0.2", 7001))
    assert (address.username, address.password, address.ssl) == ("u", "p@ss", False)
    assert parse_cluster_url("rediss+cluster://h:1").ssl


@pytest.mark.parametrize("url", ["redis+cluster://h", "redis+cluster://h:x", "redis://h:1"])
def test_a_malformed_cluster_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError):
        parse_cluster_url(url)


def test_an_unknown_store_scheme_is_refused() -> None:
    with pytest.raises(ValueError):
        from_url("mongodb://localhost")


def pexpire_calls(port: int) -> int:
    stats = command(port, "INFO", "commandstats").decode()
    line = next((ln for ln in stats.splitlines() if ln.startswith("cmdstat_pexpire:")), "")
    return int(line.split("calls=")[1].split(",")[0]) if line else 0


async def test_a_busy_rooms_moves_refresh_its_expiry_once_not_every_move(
    redis_server: RedisServer,
) -> None:
    """Each commit set the expiry of all four keys (four of its ten commands); now the
    state hash remembers the deadline and a move refreshes it about once a minute."""
    store = from_url(redis_server.url)
    room = new_room_id()
    try:
        await filled_room(store, room)
        before = pexpire_calls(redis_server.port)
        for v in range(2, 22):
            assert await store.commit(room, v, snap(v + 1), b"r", TTL)
        assert pexpire_calls(redis_server.port) - before == 0
        found = await redis_keys(store, keys.room_pattern(room))
        assert set(found) == set(keys.room_keys(room).all())
        assert all(0 < pttl <= TTL * 1000 for pttl in found.values()), found
        # A shorter ttl (an ended room) applies to every key at once.
        assert await store.commit(room, 22, snap(23), b"end", 5)
        found = await redis_keys(store, keys.room_pattern(room))
        assert all(0 < pttl <= 5000 for pttl in found.values()), found
    finally:
        await store.close()
