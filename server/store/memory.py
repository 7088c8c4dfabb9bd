"""``MemoryStore``: the embedded default, for a single server process.

It mirrors ``RedisStore`` key for key: a room's state (with its change log), secrets
and presence each carry their own deadline, exactly as the Redis keys carry their own
TTL. Deadlines come from a monotonic clock (injectable for tests); expired entries are
dropped lazily when touched and by a sweep over all rooms, run from every call at most
once per ``sweep_interval`` and by a background task, so idle rooms free their memory
even when nobody asks for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from server.keys import check_room_id
from server.ratelimit import Bucket
from server.store.base import Message, RoomStore, SecretChanges, Snapshot
from server.store.fanout import Fanout
from server.store.records import LOG_LIMIT, LogEntry, check_versions, records_after

Clock = Callable[[], float]
SWEEP_INTERVAL = 30.0
MAX_BUCKETS = 10_000  # addresses remembered by the per-address limits


@dataclass(slots=True)
class _Room:
    state: Snapshot | None = None
    state_until: float = 0.0
    log: deque[LogEntry] = field(default_factory=deque)
    secrets: dict[str, str] = field(default_factory=dict)
    secrets_until: float = 0.0
    # seat -> (online, deadline); the dict as a whole expires at presence_until.
    presence: dict[int, tuple[bool, float]] = field(default_factory=dict)
    presence_until: float = 0.0
    texts: dict[str, tuple[str, float]] = field(default_factory=dict)  # name -> (text, until)

    def expire(self, now: float) -> None:
        if self.state is not None and self.state_until <= now:
            self.state = None
            self.log.clear()
        if self.secrets and self.secrets_until <= now:
            self.secrets.clear()
        if self.presence and self.presence_until <= now:
            self.presence.clear()
        for seat in [s for s, (_, until) in self.presence.items() if until <= now]:
            del self.presence[seat]
        for name in [n for n, (_, until) in self.texts.items() if until <= now]:
            del self.texts[name]

    @property
    def empty(self) -> bool:
        return self.state is None and not self.secrets and not self.presence and not self.texts


class MemoryStore(RoomStore):
    def __init__(
        self,
        *,
        clock: Clock = time.monotonic,
        log_limit: int = LOG_LIMIT,
        sweep_interval: float = SWEEP_INTERVAL,
        background_sweep: bool = True,
    ) -> None:
        self._clock = clock
        self._log_limit = log_limit
        self._sweep_interval = sweep_interval
        self._background = background_sweep
        self._rooms: dict[str, _Room] = {}
        self._buckets: dict[str, Bucket] = {}  # per-address limits (this process only)
        self._high_water = 0
        self._fanout = Fanout()
        self._next_sweep = clock() + sweep_interval
        self._sweeper: asyncio.Task[None] | None = None

    # -- expiry ---------------------------------------------------------------------

    def sweep(self) -> int:
        """Drop every expired entry now; returns how many rooms were freed."""
        now = self._clock()
        self._next_sweep = now + self._sweep_interval
        gone = []
        for rid, room in self._rooms.items():
            room.expire(now)
            if room.empty:
                gone.append(rid)
        for rid in gone:
            del self._rooms[rid]
        self._compact()
        return len(gone)

    def _compact(self) -> None:
        # A dict never shrinks its table on deletion: after a burst of rooms, copy it
        # so the memory comes back (amortised O(1) per room).
        size = len(self._rooms)
        self._high_water = max(self._high_water, size)
        if self._high_water > 1024 and size < self._high_water // 4:
            self._rooms = dict(self._rooms)
            self._high_water = size

    def _tick(self) -> float:
        now = self._clock()
        if now >= self._next_sweep:
            self.sweep()
        if self._background:
            self._ensure_sweeper()
        return now

    def _ensure_sweeper(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no running loop: lazy sweeps only
            return
        # A new loop (tests, TestClient portals) needs its own task: the old one died
        # with its loop.
        task = self._sweeper
        if task is None or task.done() or task.get_loop() is not loop:
            self._sweeper = loop.create_task(self._sweep_forever())

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self._sweep_interval)
            self.sweep()

    def _room(self, room_id: str, now: float) -> _Room | None:
        room = self._rooms.get(check_room_id(room_id))
        if room is None:
            return None
        room.expire(now)
        if room.empty:
            del self._rooms[room_id]
            return None
        return room

    def _live(self, room_id: str, now: float) -> _Room | None:
        room = self._room(room_id, now)
        return room if room is not None and room.state is not None else None

    # -- state ----------------------------------------------------------------------

    async def create(
        self, room_id: str, snapshot: Snapshot, secrets: Mapping[str, str], ttl: float
    ) -> bool:
        now = self._tick()
        room = self._room(room_id, now)
        if room is not None and room.state is not None:
            return False
        room = self._rooms[room_id] = _Room(state=snapshot, state_until=now + ttl)
        if secrets:
            room.secrets = dict(secrets)
            room.secrets_until = now + ttl
        return True

    async def load(self, room_id: str) -> Snapshot | None:
        room = self._live(room_id, self._tick())
        return room.state if room is not None else None

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
        return self._commit(room_id, expected, snapshot, record, ttl, secrets=secrets, local=local)

    def commit_now(
        self, room_id: str, expected: int, snapshot: Snapshot, record: bytes, ttl: float
    ) -> asyncio.Future[bool] | None:
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        try:
            done.set_result(
                self._commit(room_id, expected, snapshot, record, ttl, secrets=None, local=False)
            )
        except Exception as exc:
            done.set_exception(exc)
        return done

    def _commit(
        self,
        room_id: str,
        expected: int,
        snapshot: Snapshot,
        record: bytes,
        ttl: float,
        *,
        secrets: SecretChanges | None,
        local: bool,
    ) -> bool:
        check_versions(expected, snapshot)
        now = self._tick()
        room = self._live(room_id, now)
        if room is None or room.state is None or room.state.version != expected:
            return False
        for key, value in (secrets or {}).items():
            if value is None:
                room.secrets.pop(key, None)
            else:
                room.secrets[key] = value
        room.state = snapshot
        room.log.append(LogEntry(expected, snapshot.version, record))
        while len(room.log) > self._log_limit:
            room.log.popleft()
        until = now + ttl
        room.state_until = until
        room.secrets_until = until if room.secrets else 0.0
        room.presence_until = until if room.presence else 0.0
        if local:
            self._fanout.deliver(room_id, record, snapshot)
        return True

    async def records_since(self, room_id: str, version: int) -> list[bytes] | None:
        room = self._live(room_id, self._tick())
        if room is None or room.state is None:
            return None
        return records_after(room.log, room.state.version, version)

    async def put_texts(self, room_id: str, texts: Mapping[str, tuple[str, float]]) -> None:
        now = self._tick()
        room = self._room(room_id, now)
        if room is None:
            room = self._rooms[room_id] = _Room()
        for name, (text, ttl) in texts.items():
            room.texts[name] = (text, now + ttl)

    async def texts(self, room_id: str, names: Sequence[str]) -> dict[str, str]:
        room = self._room(room_id, self._tick())
        held = room.texts if room is not None else {}
        return {n: held[n][0] for n in names if n in held}

    async def drop_texts(self, room_id: str, names: Sequence[str]) -> None:
        room = self._room(room_id, self._tick())
        if room is not None:
            for name in names:
                room.texts.pop(name, None)
            self._drop_if_empty(room_id, room)

    async def delete(self, room_id: str) -> None:
        self._tick()
        if self._rooms.pop(check_room_id(room_id), None) is not None:
            self._compact()

    # -- secrets and presence -------------------------------------------------------

    async def secrets(self, room_id: str) -> dict[str, str]:
        room = self._room(room_id, self._tick())
        return dict(room.secrets) if room is not None else {}

    async def set_secret(self, room_id: str, key: str, value: str | None, ttl: float) -> None:
        now = self._tick()
        room = self._room(room_id, now)
        if value is None:
            if room is not None:
                room.secrets.pop(key, None)
                self._drop_if_empty(room_id, room)
            return
        if room is None:
            room = self._rooms[room_id] = _Room()
        room.secrets[key] = value
        room.secrets_until = max(room.secrets_until, now + ttl)  # never shortens

    async def set_presence(self, room_id: str, seat: int, online: bool, ttl: float) -> None:
        now = self._tick()
        room = self._room(room_id, now)
        if room is None:
            room = self._rooms[room_id] = _Room()
        room.presence[seat] = (online, now + ttl)
        room.presence_until = max(room.presence_until, now + ttl)

    async def presence(self, room_id: str) -> dict[int, bool]:
        room = self._room(room_id, self._tick())
        if room is None:
            return {}
        return {seat: online for seat, (online, _) in room.presence.items()}

    def _drop_if_empty(self, room_id: str, room: _Room) -> None:
        if room.empty:
            self._rooms.pop(room_id, None)

    # -- broker and housekeeping ----------------------------------------------------

    async def publish(self, room_id: str, message: bytes) -> None:
        check_room_id(room_id)
        self._fanout.deliver(room_id, message)

    def subscribe(self, now: Callable[[Message], bool] | None = None) -> AsyncIterator[Message]:
        return self._fanout.subscribe(now)

    async def ping(self) -> bool:
        return not self._fanout.closed

    async def take(self, bucket: str, rate: float, burst: int, *, spend: bool) -> bool:
        held = self._buckets.pop(bucket, None) or Bucket(rate, burst, self._clock)
        self._buckets[bucket] = held  # the newest last: the oldest are forgotten first
        while len(self._buckets) > MAX_BUCKETS:
            del self._buckets[next(iter(self._buckets))]
        return held.take() if spend else held.peek()

    async def daily_durable(self) -> bool:
        return False  # everything ends with this process

    async def room_count(self) -> int:
        now = self._tick()
        return sum(1 for r in self._rooms.values() if r.state is not None and r.state_until > now)

    @property
    def entries(self) -> int:
        """Rooms held in memory, expired or not yet swept included (for tests)."""
        return len(self._rooms)

    async def close(self) -> None:
        self._fanout.close()
        self._background = False
        task, self._sweeper = self._sweeper, None
        if task is not None and not task.done():
            task.cancel()
            if task.get_loop() is asyncio.get_running_loop():
                with contextlib.suppress(asyncio.CancelledError):
                    await task
