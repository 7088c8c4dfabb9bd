"""Helpers shared by the store tests (the fixtures are in this folder's conftest)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from server.store import RedisStore, RoomStore, Snapshot

MakeStore = Callable[..., RoomStore]
TTL = 60.0


def new_room_id() -> str:
    return "T" + secrets.token_hex(6).upper()


def snap(version: int, text: str = "") -> Snapshot:
    # Arbitrary bytes (NULs, invalid UTF-8, msgpack-like bin) must round-trip intact.
    return Snapshot(version, b"\x00\xc4\xff" + f"{version}:{text}".encode())


async def redis_keys(store: RoomStore, pattern: str) -> dict[str, int]:
    """Every key matching ``pattern`` (on every cluster node) with its PTTL."""
    assert isinstance(store, RedisStore)
    client = store.client
    found = [key async for key in client.scan_iter(match=pattern, count=1000)]
    return {bytes(key).decode(): int(await client.pttl(key)) for key in found}
