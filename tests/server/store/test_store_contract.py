"""The RoomStore contract, run unchanged on MemoryStore, RedisStore (one real
redis-server) and RedisStore on a real three-node Redis Cluster."""

from __future__ import annotations

import asyncio
import gc
import secrets
import sys
from collections.abc import AsyncIterator, Awaitable, Iterable

import pytest

from server.store import MemoryStore, RedisStore, RoomStore
from server.store.base import Message
from tests.server.store.helpers import TTL, MakeStore, new_room_id, redis_keys, snap

SECRETS = {"seat0": "hash-a", "invite": "hash-b"}


async def test_created_room_loads_back_byte_for_byte(store: RoomStore, room_id: str) -> None:
    assert await store.create(room_id, snap(1, "hello"), SECRETS, TTL)
    assert await store.load(room_id) == snap(1, "hello")
    assert await store.secrets(room_id) == SECRETS


async def test_unknown_room_loads_as_none(store: RoomStore, room_id: str) -> None:
    assert await store.load(room_id) is None
    assert await store.secrets(room_id) == {}
    assert await store.presence(room_id) == {}
    assert await store.records_since(room_id, 0) is None


async def test_create_refuses_a_taken_id_and_writes_nothing(store: RoomStore, room_id: str) -> None:
    assert await store.create(room_id, snap(1, "first"), SECRETS, TTL)
    assert not await store.create(room_id, snap(1, "second"), {"seat0": "other"}, TTL)
    assert await store.load(room_id) == snap(1, "first")
    assert await store.secrets(room_id) == SECRETS


async def test_concurrent_creates_of_one_id_exactly_one_wins(
    make_store: MakeStore, room_id: str
) -> None:
    a, b = make_store(), make_store()
    results = await asyncio.gather(
        *(s.create(room_id, snap(1, str(i)), {}, TTL) for i, s in enumerate([a, b, a, b]))
    )
    assert sorted(results) == [False, False, False, True]


async def test_commit_at_current_version_writes_the_new_state(
    store: RoomStore, room_id: str
) -> None:
    await store.create(room_id, snap(1), {}, TTL)
    assert await store.commit(room_id, 1, snap(2, "drawn"), b"rec-2", TTL)
    assert await store.load(room_id) == snap(2, "drawn")
    assert await store.records_since(room_id, 1) == [b"rec-2"]


async def test_commit_at_stale_version_writes_nothing(store: RoomStore, room_id: str) -> None:
    await store.create(room_id, snap(1), {}, TTL)
    await store.commit(room_id, 1, snap(2), b"rec-2", TTL)
    assert not await store.commit(room_id, 1, snap(2, "late"), b"late", TTL)
    assert await store.load(room_id) == snap(2)
    assert await store.records_since(room_id, 1) == [b"rec-2"]


async def test_a_commit_writes_and_deletes_its_secrets_with_the_state(
    store: RoomStore, room_id: str
) -> None:
    await store.create(room_id, snap(1), {**SECRETS, "invite_open": "raw"}, TTL)
    change = {"seat1": "hash-c", "invite_open": None, "not-there": None}
    assert await store.commit(room_id, 1, snap(2), b"rec-2", TTL, secrets=change)
    assert await store.load(room_id) == snap(2)
    assert await store.secrets(room_id) == {**SECRETS, "seat1": "hash-c"}


async def test_a_refused_commit_writes_none_of_its_secrets(store: RoomStore, room_id: str) -> None:
    await store.create(room_id, snap(1), SECRETS, TTL)
    await store.commit(room_id, 1, snap(2), b"rec-2", TTL)
    change = {"seat1": "late", "seat0": None}
    assert not await store.commit(room_id, 1, snap(2, "late"), b"late", TTL, secrets=change)
    assert await store.secrets(room_id) == SECRETS


async def test_commit_never_resurrects_a_missing_room(store: RoomStore, room_id: str) -> None:
    assert not await store.commit(room_id, 0, snap(1), b"rec", TTL)
    assert await store.load(room_id) is None


async def test_commit_that_does_not_raise_the_version_is_a_bug(
    store: RoomStore, room_id: str
) -> None:
    await store.create(room_id, snap(3), {}, TTL)
    with pytest.raises(ValueError):
        await store.commit(room_id, 3, snap(3), b"rec", TTL)
    assert await store.load(room_id) == snap(3)


async def test_concurrent_commits_from_one_version_exactly_one_wins(
    make_store: MakeStore,
) -> None:
    # Two "servers" race four commits per round from the same version, many rounds.
    a, b = make_store(), make_store()
    room_id = new_room_id()
    await a.create(room_id, snap(0), {}, TTL)
    for version in range(60):
        contenders = [a, b, a, b]
        results = await asyncio.gather(
            *(
                s.commit(room_id, version, snap(version + 1, f"by{i}"), b"r%d" % i, TTL)
                for i, s in enumerate(contenders)
            )
        )
        assert results.count(True) == 1, (version, results)
        winner = results.index(True)
        assert await b.load(room_id) == snap(version + 1, f"by{winner}")
    records = await a.records_since(room_id, 0)
    assert records is not None and len(records) == 60


async def test_records_since_returns_what_followed_in_order(store: RoomStore, room_id: str) -> None:
    await store.create(room_id, snap(1), {}, TTL)
    for version in range(1, 6):
        await store.commit(room_id, version, snap(version + 1), b"rec-%d" % (version + 1), TTL)
    assert await store.records_since(room_id, 3) == [b"rec-4", b"rec-5", b"rec-6"]
    assert await store.records_since(room_id, 1) == [b"rec-%d" % v for v in range(2, 7)]
    assert await store.records_since(room_id, 6) == []


async def test_records_since_a_future_version_is_none(store: RoomStore, room_id: str) -> None:
    await store.create(room_id, snap(1), {}, TTL)
    assert await store.records_since(room_id, 2) is None


async def test_records_trimmed_from_the_log_are_reported_as_gone(
    make_store: MakeStore, room_id: str
) -> None:
    store = make_store(log_limit=4)
    await store.create(room_id, snap(0), {}, TTL)
    for version in range(10):
        await store.commit(room_id, version, snap(version + 1), b"rec-%d" % (version + 1), TTL)
    assert await store.records_since(room_id, 6) == [b"rec-7", b"rec-8", b"rec-9", b"rec-10"]
    assert await store.records_since(room_id, 5) is None
    assert await store.records_since(room_id, 0) is None


async def test_records_of_a_fresh_room_reach_back_only_to_creation(
    store: RoomStore, room_id: str
) -> None:
    await store.create(room_id, snap(5), {}, TTL)
    assert await store.records_since(room_id, 5) == []
    assert await store.records_since(room_id, 4) is None


async def test_records_may_be_any_bytes(store: RoomStore, room_id: str) -> None:
    record = bytes(range(256)) + b"1:2:3\x00"
    await store.create(room_id, snap(1), {}, TTL)
    await store.commit(room_id, 1, snap(2), record, TTL)
    assert await store.records_since(room_id, 1) == [record]


async def test_secrets_are_set_replaced_and_deleted(store: RoomStore, room_id: str) -> None:
    await store.create(room_id, snap(1), {"seat0": "a"}, TTL)
    await store.set_secret(room_id, "seat1", "b", TTL)
    await store.set_secret(room_id, "seat0", "a2", TTL)
    assert await store.secrets(room_id) == {"seat0": "a2", "seat1": "b"}
    await store.set_secret(room_id, "seat0", None, TTL)
    await store.set_secret(room_id, "never-set", None, TTL)
    assert await store.secrets(room_id) == {"seat1": "b"}


async def test_a_short_lived_secret_does_not_shorten_the_others(
    store: RoomStore, room_id: str
) -> None:
    await store.create(room_id, snap(1), {"seat0": "token-hash"}, TTL)
    await store.set_secret(room_id, "knock", "pending", 0.05)
    await asyncio.sleep(0.12)
    assert (await store.secrets(room_id))["seat0"] == "token-hash"


async def test_a_reused_room_id_does_not_inherit_old_secrets_or_presence(
    store: RoomStore, room_id: str
) -> None:
    # Secrets and presence may outlive the state (set later, own TTL): a new room
    # under an old id must start clean, or an old seat token could open it.
    await store.create(room_id, snap(1), {"seat0": "old"}, 0.05)
    await store.set_secret(room_id, "seat1", "old", TTL)
    await store.set_presence(room_id, 0, True, TTL)
    await asyncio.sleep(0.1)
    assert await store.create(room_id, snap(1), {"seat0": "new"}, TTL)
    assert await store.secrets(room_id) == {"seat0": "new"}
    assert await store.presence(room_id) == {}


async def test_delete_removes_state_log_secrets_and_presence(
    store: RoomStore, room_id: str
) -> None:
    await store.create(room_id, snap(1), SECRETS, TTL)
    await store.commit(room_id, 1, snap(2), b"rec", TTL)
    await store.set_presence(room_id, 1, True, TTL)
    await store.delete(room_id)
    assert await store.load(room_id) is None
    assert await store.records_since(room_id, 1) is None
    assert await store.secrets(room_id) == {}
    assert await store.presence(room_id) == {}
    await store.delete(room_id)  # deleting twice is harmless


async def test_presence_reports_what_each_seat_last_set(store: RoomStore, room_id: str) -> None:
    await store.create(room_id, snap(1), {}, TTL)
    await store.set_presence(room_id, 0, True, TTL)
    await store.set_presence(room_id, 1, True, TTL)
    await store.set_presence(room_id, 1, False, TTL)
    assert await store.presence(room_id) == {0: True, 1: False}


async def test_presence_of_a_seat_lapses_on_its_own(store: RoomStore, room_id: str) -> None:
    # A seat whose server died stops being "online" although its partner keeps the
    # shared presence entry alive.
    await store.create(room_id, snap(1), {}, TTL)
    await store.set_presence(room_id, 0, True, 0.05)
    await store.set_presence(room_id, 1, True, TTL)
    await asyncio.sleep(0.12)
    assert await store.presence(room_id) == {1: True}


async def test_idle_room_expires_entirely(store: RoomStore, room_id: str) -> None:
    before = await store.room_count()
    await store.create(room_id, snap(1), SECRETS, 0.05)
    await store.set_presence(room_id, 0, True, 0.05)
    await asyncio.sleep(0.12)
    assert await store.load(room_id) is None
    assert await store.secrets(room_id) == {}
    assert await store.presence(room_id) == {}
    assert await store.records_since(room_id, 1) is None
    assert not await store.commit(room_id, 1, snap(2), b"rec", TTL)
    assert await store.room_count() <= before  # other tests' rooms may expire too


async def test_a_commit_keeps_the_room_alive(store: RoomStore, room_id: str) -> None:
    # Generous margins: a loaded machine may oversleep, which must not fail this.
    await store.create(room_id, snap(1), SECRETS, 1.0)
    await asyncio.sleep(0.6)
    assert await store.commit(room_id, 1, snap(2), b"rec", 1.0)
    await asyncio.sleep(0.6)
    assert await store.load(room_id) == snap(2)
    assert await store.secrets(room_id) == SECRETS


async def test_a_commit_can_shorten_the_rooms_life(store: RoomStore, room_id: str) -> None:
    # An ended room is committed with a short TTL and must then go soon.
    await store.create(room_id, snap(1), SECRETS, TTL)
    await store.commit(room_id, 1, snap(2, "ended"), b"end", 0.05)
    await asyncio.sleep(0.12)
    assert await store.load(room_id) is None
    assert await store.secrets(room_id) == {}


async def test_party_tables_are_rooms_of_their_own(store: RoomStore) -> None:
    party = new_room_id()
    t1, t2 = f"{party}/t1", f"{party}/t2"
    for room in (party, t1, t2):
        assert await store.create(room, snap(1, room), {"who": room}, TTL)
    assert await store.commit(t1, 1, snap(2, "t1"), b"t1", TTL)
    assert await store.load(t2) == snap(1, t2)
    await store.delete(t1)
    assert await store.load(t1) is None
    assert await store.load(party) == snap(1, party)
    assert await store.secrets(t2) == {"who": t2}


async def test_room_count_follows_creates_and_deletes(store: RoomStore) -> None:
    rooms = [new_room_id() for _ in range(5)]
    before = await store.room_count()
    for room in rooms:
        await store.create(room, snap(1), {}, TTL)
    assert await store.room_count() == before + 5
    for room in rooms:
        await store.delete(room)
    assert await store.room_count() == before


async def test_ping_answers_while_the_store_is_up(store: RoomStore) -> None:
    assert await store.ping()


async def next_message(it: AsyncIterator[Message], timeout: float = 5.0) -> Message:
    return await asyncio.wait_for(anext(it), timeout)


async def test_published_messages_reach_every_instance(make_store: MakeStore) -> None:
    a, b = make_store(), make_store()
    room_id = new_room_id()
    on_a, on_b = a.subscribe(), b.subscribe()
    await asyncio.wait_for(a.wait_subscribed(), 5)
    await asyncio.wait_for(b.wait_subscribed(), 5)
    await a.publish(room_id, b"away:1")
    assert await next_message(on_a) == (room_id, b"away:1", None)
    assert await next_message(on_b) == (room_id, b"away:1", None)


async def test_a_commit_publishes_its_record_and_state_and_a_refused_one_does_not(
    make_store: MakeStore,
) -> None:
    a, b = make_store(), make_store()
    room_id = new_room_id()
    on_a, on_b = a.subscribe(), b.subscribe()
    await asyncio.wait_for(a.wait_subscribed(), 5)
    await asyncio.wait_for(b.wait_subscribed(), 5)
    await a.create(room_id, snap(1), {}, TTL)
    assert not await a.commit(room_id, 7, snap(8), b"refused", TTL)
    assert await a.commit(room_id, 1, snap(2, ":\x00x"), b"\x00rec:\x00", TTL)
    await a.publish(room_id, b"after")
    # Every instance, the committing one included, gets the record with the state it
    # wrote, exactly once, and nothing of the refused commit.
    for sub in (on_a, on_b):
        assert await next_message(sub) == (room_id, b"\x00rec:\x00", snap(2, ":\x00x"))
        assert await next_message(sub) == (room_id, b"after", None)


async def test_a_commit_the_caller_delivers_itself_reaches_only_other_instances(
    make_store: MakeStore,
) -> None:
    """``local=False``: the mover's instance delivered the move to its own sockets, so
    its own subscription is not woken for it; other instances still get it."""
    a, b = make_store(), make_store()
    room_id = new_room_id()
    on_a, on_b = a.subscribe(), b.subscribe()
    await asyncio.wait_for(a.wait_subscribed(), 5)
    await asyncio.wait_for(b.wait_subscribed(), 5)
    await a.create(room_id, snap(1), {}, TTL)
    assert await a.commit(room_id, 1, snap(2), b"rec", TTL, local=False)
    await a.publish(room_id, b"after")
    assert await next_message(on_a) == (room_id, b"after", None)
    if b is not a:  # two instances (Redis); the in-process store is one
        assert await next_message(on_b) == (room_id, b"rec", snap(2))


async def test_one_subscription_carries_every_room(make_store: MakeStore) -> None:
    a = make_store()
    rooms = [new_room_id() for _ in range(20)]
    sub = a.subscribe()
    await asyncio.wait_for(a.wait_subscribed(), 5)
    for room in rooms:
        await a.publish(room, room.encode())
    got = [await next_message(sub) for _ in rooms]
    assert got == [(room, room.encode(), None) for room in rooms]


async def test_closing_the_store_ends_its_subscriptions(make_store: MakeStore) -> None:
    store = make_store(log_limit=256)  # a handle of its own, closed here
    sub = store.subscribe()
    await store.close()
    with pytest.raises(StopAsyncIteration):
        await next_message(sub)


@pytest.mark.slow
async def test_ten_thousand_rooms_created_and_deleted_leave_nothing(
    make_store: MakeStore, request: pytest.FixtureRequest
) -> None:
    store = make_store(log_limit=256)
    count = 10_000
    tag = "Z" + secrets.token_hex(4).upper()  # this test's rooms, told apart from others

    async def each(calls: Iterable[Awaitable[object]]) -> None:
        # Redis calls go concurrently (as many players would); in-process ones need not.
        if isinstance(store, MemoryStore):
            for call in calls:
                await call
        else:
            await asyncio.gather(*calls)

    async def churn(count: int) -> None:
        for start in range(0, count, 500):
            rooms = [f"{tag}{start + i}" for i in range(500)]
            await each(store.create(r, snap(1), SECRETS, TTL) for r in rooms)
            await each(store.commit(r, 1, snap(2), b"rec", TTL) for r in rooms)
            await each(store.set_presence(r, 0, True, TTL) for r in rooms)
            assert await store.room_count() >= 500, start
            await each(store.delete(r) for r in rooms)

    if isinstance(store, MemoryStore):
        await churn(1000)  # warm up caches that are allocated once
        gc.collect()
        blocks = sys.getallocatedblocks()
        await churn(count)
        gc.collect()
        assert store.entries == 0
        # A leak of one small object per room would show as >= 10,000 blocks.
        assert sys.getallocatedblocks() - blocks < 1000
        return
    assert isinstance(store, RedisStore)
    size = request.getfixturevalue(
        "redis_cluster" if "cluster" in request.node.name else "redis_server"
    ).dbsize
    before = size()
    await churn(count)
    assert await redis_keys(store, f"ck:{{{tag}*") == {}
    # Other tests' rooms may expire meanwhile (the server is shared), never appear.
    assert size() <= before


async def test_a_limit_bucket_spends_its_burst_then_refuses_and_a_check_spends_nothing(
    store: RoomStore,
) -> None:
    bucket = f"join:203.0.113.{secrets.randbelow(250)}-{secrets.token_hex(3)}"
    assert await store.take(bucket, 0.001, 2, spend=False)  # a check: nothing spent
    assert await store.take(bucket, 0.001, 2, spend=True)
    assert await store.take(bucket, 0.001, 2, spend=True)
    assert not await store.take(bucket, 0.001, 2, spend=True)
    assert not await store.take(bucket, 0.001, 2, spend=False)
    assert await store.take(bucket + "x", 0.001, 2, spend=True)  # another address


# texts with their own expiry (a daily space's revealed answers, issue 22) ------------------
async def test_texts_are_kept_each_with_its_own_expiry_and_read_back(
    store: RoomStore, room_id: str
) -> None:
    await store.create(room_id, snap(1), SECRETS, TTL)
    await store.put_texts(
        room_id, {"2026-12-01:0": ("ck1.short", 0.3), "2026-12-01:1": ("ck1.long", TTL)}
    )
    names = ["2026-12-01:0", "2026-12-01:1", "2026-12-02:0"]
    assert await store.texts(room_id, names) == {
        "2026-12-01:0": "ck1.short",
        "2026-12-01:1": "ck1.long",
    }
    await asyncio.sleep(0.5)  # the first one's own deadline passed; the room's did not
    assert await store.texts(room_id, names) == {"2026-12-01:1": "ck1.long"}
    assert await store.load(room_id) == snap(1)


async def test_dropped_and_deleted_rooms_texts_are_gone(store: RoomStore, room_id: str) -> None:
    await store.create(room_id, snap(1), SECRETS, TTL)
    await store.put_texts(room_id, {"a:0": ("one", TTL), "a:1": ("two", TTL)})
    await store.drop_texts(room_id, ["a:0"])
    assert await store.texts(room_id, ["a:0", "a:1"]) == {"a:1": "two"}
    await store.drop_texts(room_id, ["a:1"])
    await store.delete(room_id)
    assert await store.texts(room_id, ["a:0", "a:1"]) == {}
    assert await store.load(room_id) is None
