"""The one store interface: room state with compare-and-set, room secrets, presence,
and the cross-instance broker. Two implementations: ``MemoryStore`` (in-process, the
embedded default) and ``RedisStore`` (shared by any number of server instances).

A room's state is an opaque blob with a version; the store never looks inside it
(Redis 7.0's Lua msgpack cannot decode msgpack bin values, so scripts only compare the
version and write the blob). Room ids may be "PARTY/TABLE": everything before the first
"/" is the hash tag, so a party's tables live in one Redis Cluster slot yet each table
has its own keys (tables never contend on one key).
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

# The store's failures belong to the server's one exception tree (server/errors.py).
from server.errors import StoreFull, StoreUnavailable

__all__ = ["Message", "RoomStore", "SecretChanges", "Snapshot", "StoreFull", "StoreUnavailable"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    version: int
    blob: bytes


# Secret fields a commit writes with the state: a value sets the field, None deletes it.
SecretChanges = Mapping[str, str | None]


class Message(NamedTuple):
    """One broker message as a subscriber gets it. For a commit, ``payload`` is its
    record and ``snapshot`` the state it wrote (so an instance holding the partner's
    socket needs no load); for anything published, ``snapshot`` is None."""

    room_id: str
    payload: bytes
    snapshot: Snapshot | None = None


class RoomStore(ABC):
    """All methods are coroutines; every key they write expires (``ttl`` seconds)."""

    @abstractmethod
    async def create(
        self, room_id: str, snapshot: Snapshot, secrets: Mapping[str, str], ttl: float
    ) -> bool:
        """Store a new room; False (and nothing written) if the id is taken."""

    @abstractmethod
    async def load(self, room_id: str) -> Snapshot | None:
        """The room's current state, or None when it does not exist (or expired)."""

    @abstractmethod
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
        """Atomically: if the stored version == expected, write the snapshot, append
        ``record`` to the room's bounded change log, set (None: delete) the given
        ``secrets`` fields, refresh every key's expiry and publish
        ``Message(room_id, record, snapshot)`` on the broker; return True. Otherwise
        write nothing and publish nothing; False. (A seat and its token are written
        together this way: a failure between two writes would leave a taken seat that
        nobody can resume.) ``local=False``: this instance's own subscribers do not get
        it (the caller delivered it here itself); other instances still do."""

    def commit_now(
        self, room_id: str, expected: int, snapshot: Snapshot, record: bytes, ttl: float
    ) -> asyncio.Future[bool] | None:
        """``commit(..., local=False)`` begun without a coroutine (the hot path of a move,
        ``rooms.Service.act_now``): a future of its answer (True, False, or the error
        ``commit`` would raise), or None when this store cannot begin it now (nothing
        was done; the caller awaits ``commit``). By default it never can."""
        return None

    @abstractmethod
    async def records_since(self, room_id: str, version: int) -> list[bytes] | None:
        """Change records after ``version`` in order, or None if no longer kept."""

    @abstractmethod
    async def secrets(self, room_id: str) -> dict[str, str]:
        """The room's secrets (hashed seat tokens, invite hash, admissions...)."""

    @abstractmethod
    async def set_secret(self, room_id: str, key: str, value: str | None, ttl: float) -> None:
        """Set (or with None, delete) one secret field. The room's secrets then live
        at least ``ttl`` seconds more: this never shortens their life (a short-lived
        secret must not expire the seat tokens beside it; a field's own deadline, if
        it needs one, belongs in its value). Only ``commit`` shortens a room's life."""

    @abstractmethod
    async def put_texts(self, room_id: str, texts: Mapping[str, tuple[str, float]]) -> None:
        """Keep each text under its own key beside the room, each expiring on its own
        ``ttl`` (seconds): a daily space's revealed answers (issue 22), gone at their
        deadline even when no instance is running. A text of the same name is replaced."""

    @abstractmethod
    async def texts(self, room_id: str, names: Sequence[str]) -> dict[str, str]:
        """The texts of those names still kept (an expired or unknown one is absent)."""

    @abstractmethod
    async def drop_texts(self, room_id: str, names: Sequence[str]) -> None:
        """Remove those texts now (``delete`` does not know their names)."""

    @abstractmethod
    async def delete(self, room_id: str) -> None:
        """Remove every key of the room at once ("delete our room now")."""

    @abstractmethod
    async def set_presence(self, room_id: str, seat: int, online: bool, ttl: float) -> None:
        """Presence lives outside the versioned state, in its own expiring keys."""

    @abstractmethod
    async def presence(self, room_id: str) -> dict[int, bool]:
        """Which seats are connected, as last set (missing means away)."""

    @abstractmethod
    async def publish(self, room_id: str, message: bytes) -> None:
        """Send an out-of-band message (presence, typing) to every instance."""

    @abstractmethod
    def subscribe(self, now: Callable[[Message], bool] | None = None) -> AsyncIterator[Message]:
        """Every message published or committed by any instance, including this one
        (this instance's own arrive in-process, without the broker's round trip). One
        subscription per instance, never one per room. Survives a lost connection by
        reconnecting and resubscribing (messages in the gap are lost: clients notice
        version gaps and resync). ``now``: offered each message as it arrives, while
        none waits to be iterated (order is kept); one it handles (True) is not
        iterated."""

    # Not abstract: an in-process store is subscribed from the moment subscribe() returns.
    async def wait_subscribed(self) -> None:  # noqa: B027
        """Return once messages published from now on reach this instance's
        ``subscribe()`` iterators (RedisStore subscribes in the background, and again
        after a reconnect). Wrap in ``asyncio.wait_for`` to bound the wait."""

    @abstractmethod
    async def take(self, bucket: str, rate: float, burst: int, *, spend: bool) -> bool:
        """A token bucket shared by every instance on this store (per-address limits):
        True when ``bucket`` holds a token now (then spent, when ``spend``). One round
        trip. Buckets expire once full again."""

    @abstractmethod
    async def ping(self) -> bool:
        """True when the store answers (for /readyz)."""

    @abstractmethod
    async def daily_durable(self) -> bool:
        """Whether what is stored survives a restart of the store (a month-long daily
        space needs that): False in process; on Redis, True when AOF or RDB saves are on.
        Raises ``StoreUnavailable`` when the store does not answer, like every call."""

    @abstractmethod
    async def room_count(self) -> int:
        """Rooms currently stored (for /metrics); may be approximate on Redis."""

    @abstractmethod
    async def close(self) -> None: ...
