"""Room state stores: the ``RoomStore`` interface, ``MemoryStore`` (one process) and
``RedisStore`` (shared; single Redis or Cluster). Build one with ``from_url``."""

from __future__ import annotations

from server.store.base import Message, RoomStore, Snapshot, StoreUnavailable
from server.store.factory import from_url
from server.store.memory import MemoryStore
from server.store.redis import RedisStore

__all__ = [
    "MemoryStore",
    "Message",
    "RedisStore",
    "RoomStore",
    "Snapshot",
    "StoreUnavailable",
    "from_url",
]
