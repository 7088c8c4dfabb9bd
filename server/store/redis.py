"""``RedisStore``: room state shared by any number of server instances.

Every room change is one Lua script (``scripts.COMMIT``): compare the version, write
state, version, the change record and every key's expiry, and publish the record with
the new state, all atomically (``bus`` describes the frames). Works the same on a
single Redis and on a Redis Cluster, because all keys of a room share a hash tag
(``server.keys``). Connection trouble surfaces as ``StoreUnavailable`` within
``op_timeout`` seconds, never as a hang or a driver error.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from redis import exceptions as rx
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster

from server import keys, logs
from server.store import scripts
from server.store.base import (
    Message,
    RoomStore,
    SecretChanges,
    Snapshot,
    StoreFull,
    StoreUnavailable,
)
from server.store.batch import Batcher, Script, Slots
from server.store.bus import Bus, BusClient, commit_head, new_tag, published_frame
from server.store.fanout import Fanout
from server.store.records import LOG_LIMIT, check_versions, decode_entry, records_after

Client = Redis | RedisCluster
log = logs.get("store")
T = TypeVar("T")
OP_TIMEOUT = 5.0
# Calls in flight at once per instance; past it, callers queue (within op_timeout).
MAX_IN_FLIGHT = 1024

# What "Redis is not there right now" looks like from redis-py; anything else is a bug
# and should surface as one.
_DOWN: tuple[type[BaseException], ...] = (
    rx.ConnectionError,
    rx.TimeoutError,
    rx.ClusterDownError,
    rx.ClusterError,
    rx.TryAgainError,
    rx.MasterDownError,
    rx.RedisClusterException,
    OSError,  # includes the builtin TimeoutError raised by asyncio.timeout
)


_CREATE = Script(scripts.CREATE)
_COMMIT = Script(scripts.COMMIT)
_RECORDS = Script(scripts.RECORDS)
_SECRET = Script(scripts.SECRET)
_SET_PRESENCE = Script(scripts.SET_PRESENCE)
_PRESENCE = Script(scripts.PRESENCE)
_TAKE = Script(scripts.TAKE)


_FAILED: tuple[type[BaseException], ...] = (rx.OutOfMemoryError, *_DOWN)


def _store_error(exc: BaseException) -> BaseException:
    """Redis's failure as the store's: full (maxmemory with noeviction: nothing was
    written), unreachable, or the error itself."""
    if isinstance(exc, rx.OutOfMemoryError):
        return StoreFull("redis: out of memory")
    if isinstance(exc, (*_DOWN, asyncio.CancelledError)):
        return StoreUnavailable(f"redis: {type(exc).__name__}")
    return exc


def _bytes(value: bytes | str) -> bytes:
    # The clients never decode responses; this only narrows redis-py's types.
    return value.encode() if isinstance(value, str) else value


@functools.lru_cache(maxsize=4096)
def _room_keys(room_id: str) -> keys.RoomKeys:
    """``keys.room_keys``, remembered: every call of a move needs them (an invalid id
    raises each time, never cached)."""
    return keys.room_keys(room_id)


def persists(aof: Mapping[Any, Any], save: Mapping[Any, Any]) -> bool:
    """What ``CONFIG GET appendonly`` and ``CONFIG GET save`` say of persistence. On a
    cluster redis-py answers per node ({node: {name: value}}): durable only if every
    node is."""
    if aof and all(isinstance(v, Mapping) for v in aof.values()):
        nodes = [persists(aof[n], save.get(n, {})) for n in aof]
        return bool(nodes) and all(nodes)
    on = {_text(k): _text(v) for k, v in aof.items()}.get("appendonly", "no") == "yes"
    rules = {_text(k): _text(v) for k, v in save.items()}.get("save", "").strip()
    return on or bool(rules)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


class RedisStore(RoomStore):
    def __init__(
        self,
        client: Client,
        bus_client: BusClient,
        *,
        log_limit: int = LOG_LIMIT,
        op_timeout: float = OP_TIMEOUT,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self._redis = client
        self._log_limit = log_limit
        self._op_timeout = op_timeout
        self._slots = Slots(max_in_flight)
        # A single Redis (not a cluster): nothing to discover before use, and the
        # commit script may ask whether anyone else listens (see commit).
        self._single = isinstance(client, Redis)
        self._started = self._single
        self._starting: asyncio.Future[None] | None = None
        self._tag = new_tag()  # this instance's frames on the bus start with it
        self._fanout = Fanout(on_wait=self._listen)
        self._bus = Bus(bus_client, self._fanout, self._tag)
        self._batch = Batcher(client, timeout=op_timeout)
        self._config_refused = False  # logged once (``daily_durable``)

    @property
    def client(self) -> Client:
        return self._redis

    async def _guarded(self, work: Callable[[], Awaitable[T]]) -> T:
        """``work()`` bounded in time, connection trouble as StoreUnavailable (not an
        async context manager: mypyc, which compiles this module, has no async generators)."""
        try:
            if not self._started:
                await self._start()
            async with asyncio.timeout(self._op_timeout), self._slots:
                return await work()
        except _FAILED as exc:
            raise _store_error(exc) from exc

    # The two doors of every batched call. The round trip itself is bounded by the
    # batcher (one timer per pipeline rather than one per call: the hot path).
    async def _script(self, script: Script, names: Sequence[str], args: Sequence[Any]) -> Any:
        try:
            if not self._started:
                await self._start()
            async with self._slots:
                return await self._batch.script(script, names, args)
        except _FAILED as exc:
            raise _store_error(exc) from exc

    async def _command(self, *args: Any) -> Any:
        try:
            if not self._started:
                await self._start()
            async with self._slots:
                return await self._batch.command(*args)
        except _FAILED as exc:
            raise _store_error(exc) from exc

    async def _start(self) -> None:
        # redis-py's cluster client, when first used by many tasks at once, can hand
        # out a connection that another task is still setting up (AttributeError in
        # the driver). So the cluster is discovered once, before any concurrent use;
        # every early caller awaits that one attempt (and all resume together, so
        # their calls still share a pipeline). A failed attempt is retried by the next.
        starting = self._starting
        failed = (
            starting is not None
            and starting.done()
            and (starting.cancelled() or starting.exception() is not None)
        )
        if starting is None or failed:
            starting = self._starting = asyncio.ensure_future(self._discover())
        await asyncio.shield(starting)

    async def _discover(self) -> None:
        assert isinstance(self._redis, RedisCluster)
        async with asyncio.timeout(self._op_timeout):
            await self._redis.initialize()
        self._started = True

    # -- state ----------------------------------------------------------------------

    async def create(
        self, room_id: str, snapshot: Snapshot, secrets: Mapping[str, str], ttl: float
    ) -> bool:
        args: list[Any] = [snapshot.version, snapshot.blob, _ms(ttl)]
        for field, value in secrets.items():
            args += [field, value]
        done = await self._script(_CREATE, _room_keys(room_id).all(), args)
        return bool(done)

    async def load(self, room_id: str) -> Snapshot | None:
        version, blob = await self._command("HMGET", _room_keys(room_id).state, "v", "b")
        if version is None or blob is None:
            return None
        return Snapshot(int(version), _bytes(blob))

    async def commit(
        self,
        room_id: str,
        expected: int,
        snapshot: Snapshot,
        record: bytes,
        ttl: float,
        *,
        secrets: SecretChanges | None = None,
        local: bool = True,
    ) -> bool:
        names, args = self._commit_call(room_id, expected, snapshot, record, ttl, secrets=secrets)
        if not await self._script(_COMMIT, names, args):
            return False
        # Other instances hear it from the bus; this one at once, in-process.
        if local:
            self._fanout.deliver(room_id, record, snapshot)
        return True

    def commit_now(
        self, room_id: str, expected: int, snapshot: Snapshot, record: bytes, ttl: float
    ) -> asyncio.Future[bool] | None:
        # On a single Redis with its connection open and a slot free: the script joins
        # this turn's pipeline, its reply settles the future from the connection's
        # callback (no coroutine, no task).
        if not self._slots.take_now():
            return None
        names, args = self._commit_call(room_id, expected, snapshot, record, ttl, secrets=None)
        reply = self._batch.script_now(_COMMIT, names, args)
        if reply is None:
            self._slots.release()
            return None
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        reply.add_done_callback(functools.partial(self._committed, done))
        return done

    def _committed(self, done: asyncio.Future[bool], reply: asyncio.Future[Any]) -> None:
        self._slots.release()
        if done.done():  # the caller stopped waiting
            return
        error = asyncio.CancelledError() if reply.cancelled() else reply.exception()
        if error is None:
            done.set_result(bool(reply.result()))
        else:
            done.set_exception(_store_error(error))

    def _commit_call(
        self,
        room_id: str,
        expected: int,
        snapshot: Snapshot,
        record: bytes,
        ttl: float,
        *,
        secrets: SecretChanges | None,
    ) -> tuple[Sequence[str], list[Any]]:
        check_versions(expected, snapshot)
        names = _room_keys(room_id)  # checks the room id (commit_head does not again)
        args: list[Any] = [
            expected,
            snapshot.version,
            snapshot.blob,
            record,
            _ms(ttl),
            self._log_limit,
            keys.BUS,
            commit_head(self._tag, room_id, snapshot),
            # On a single Redis, while this instance is subscribed, the script can tell
            # whether anyone else listens (a cluster counts per node: always publish).
            "1" if self._single and self._bus.live else "0",
        ]
        if secrets:
            kept = [(k, v) for k, v in secrets.items() if v is not None]
            args.append(len(kept))
            for field, value in kept:
                args += [field, value]
            args += [k for k, v in secrets.items() if v is None]
        return names.all(), args

    async def records_since(self, room_id: str, version: int) -> list[bytes] | None:
        room = _room_keys(room_id)
        reply = await self._script(_RECORDS, [room.state, room.log], [])
        if not reply:
            return None
        current, raw = reply
        return records_after((decode_entry(e) for e in raw), int(current), version)

    async def put_texts(self, room_id: str, texts: Mapping[str, tuple[str, float]]) -> None:
        for name, (text, ttl) in texts.items():
            await self._command("SET", keys.text_key(room_id, name), text, "PX", _ms(ttl))

    async def texts(self, room_id: str, names: Sequence[str]) -> dict[str, str]:
        if not names:
            return {}
        raw = await self._command("MGET", *(keys.text_key(room_id, n) for n in names))
        return {n: _bytes(v).decode() for n, v in zip(names, raw, strict=True) if v is not None}

    async def drop_texts(self, room_id: str, names: Sequence[str]) -> None:
        if names:
            await self._command("DEL", *(keys.text_key(room_id, n) for n in names))

    async def delete(self, room_id: str) -> None:
        await self._command("DEL", *_room_keys(room_id).all())

    # -- secrets and presence -------------------------------------------------------

    async def secrets(self, room_id: str) -> dict[str, str]:
        raw = await self._command("HGETALL", _room_keys(room_id).secrets)
        # a dict from a cluster pipeline, the flat reply from the batcher's own connection
        pairs = raw.items() if isinstance(raw, dict) else zip(raw[::2], raw[1::2], strict=True)
        return {_bytes(k).decode(): _bytes(v).decode() for k, v in pairs}

    async def set_secret(self, room_id: str, key: str, value: str | None, ttl: float) -> None:
        args: list[Any] = [key, _ms(ttl)] if value is None else [key, _ms(ttl), value]
        await self._script(_SECRET, [_room_keys(room_id).secrets], args)

    async def set_presence(self, room_id: str, seat: int, online: bool, ttl: float) -> None:
        args = [seat, "1" if online else "0", _ms(ttl)]
        await self._script(_SET_PRESENCE, [_room_keys(room_id).presence], args)

    async def presence(self, room_id: str) -> dict[int, bool]:
        flat = await self._script(_PRESENCE, [_room_keys(room_id).presence], [])
        return {int(flat[i]): flat[i + 1] == b"1" for i in range(0, len(flat), 2)}

    # -- broker and housekeeping ----------------------------------------------------

    async def publish(self, room_id: str, message: bytes) -> None:
        frame = published_frame(self._tag, room_id, message)
        await self._command("PUBLISH", keys.BUS, frame)
        self._fanout.deliver(room_id, message)

    def subscribe(self, now: Callable[[Message], bool] | None = None) -> AsyncIterator[Message]:
        subscription = self._fanout.subscribe(now)
        self._listen()
        return subscription

    def _listen(self) -> None:
        if not self._fanout.closed:
            with contextlib.suppress(RuntimeError):  # no loop yet: the first wait starts it
                self._bus.start()

    async def wait_subscribed(self) -> None:
        await self._bus.wait_live()

    @property
    def subscribed(self) -> bool:
        return self._bus.live

    async def take(self, bucket: str, rate: float, burst: int, *, spend: bool) -> bool:
        args = [repr(float(rate)), burst, "1" if spend else "0"]
        return bool(await self._script(_TAKE, [keys.limit_key(bucket)], args))

    async def ping(self) -> bool:
        try:
            return bool(await self._guarded(self._redis.ping))
        except StoreUnavailable:
            return False

    async def daily_durable(self) -> bool:
        """From ``CONFIG GET``: AOF on (``appendonly yes``) or any RDB ``save`` rule. A
        Redis that refuses CONFIG (managed services rename or forbid it) counts as not
        durable: nothing here can tell, and the create screen then says so. Logged once."""
        try:
            aof = await self._guarded(lambda: self._redis.config_get("appendonly"))
            save = await self._guarded(lambda: self._redis.config_get("save"))
        except rx.ResponseError as exc:  # unknown command, or NOPERM under an ACL
            if not self._config_refused:
                self._config_refused = True
                log.warning("Redis refused CONFIG GET (%s): daily spaces counted as "
                            "not kept across restarts", type(exc).__name__)  # fmt: skip
            return False
        return persists(aof, save)

    async def room_count(self) -> int:
        """Counts state keys with SCAN: O(keys), meant for an occasional /metrics."""
        return await self._guarded(self._scan_rooms)

    async def _scan_rooms(self) -> int:
        found = 0
        async for _ in self._redis.scan_iter(match=keys.state_pattern(), count=1000):
            found += 1
        return found

    async def close(self) -> None:
        self._fanout.close()
        await self._bus.stop()
        await self._batch.close()
        with contextlib.suppress(Exception):
            await self._redis.aclose()
