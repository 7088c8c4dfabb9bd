"""Every Redis key and channel name, built in one place.

All keys live under ``ck:`` and carry the room's hash tag in braces, so a Redis Cluster
keeps every key of a room (and every table of a party) in one slot: one Lua script can
touch them all. A room id "PARTY/t7" is table "t7" of party "PARTY": the tag is what
precedes the first "/", and the table keeps keys of its own (``ck:{PARTY}:t7:state``),
so tables never contend on one key.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "ck:"

# One broker channel for every room: a subscription per room could leak, and classic
# pub/sub is broadcast to the whole cluster anyway.
BUS = f"{PREFIX}bus"

# Characters that would break the hash tag, the bus framing or a SCAN pattern.
_FORBIDDEN = frozenset("{}\x00*?[]\\")
MAX_ROOM_ID = 200


class RoomIdError(ValueError):
    """The caller built a room id the key scheme cannot represent (a bug, not input)."""


@dataclass(frozen=True, slots=True)
class RoomKeys:
    state: str
    log: str
    secrets: str
    presence: str

    def all(self) -> tuple[str, str, str, str]:
        return (self.state, self.log, self.secrets, self.presence)


def check_room_id(room_id: str) -> str:
    if not room_id or len(room_id) > MAX_ROOM_ID:
        raise RoomIdError("room id must be 1..200 characters")
    if any(ch in _FORBIDDEN or ch.isspace() for ch in room_id):
        raise RoomIdError("room id contains a reserved character")
    tag, _, table = room_id.partition("/")
    if not tag or (room_id != tag and not table):
        raise RoomIdError("room id needs a non-empty party and table")
    return room_id


def room_prefix(room_id: str) -> str:
    """``ck:{ABC}:`` for a room, ``ck:{PARTY}:t7:`` for a party table."""
    tag, sep, table = check_room_id(room_id).partition("/")
    return f"{PREFIX}{{{tag}}}:{table}:" if sep else f"{PREFIX}{{{tag}}}:"


def room_keys(room_id: str) -> RoomKeys:
    base = room_prefix(room_id)
    return RoomKeys(
        state=f"{base}state",
        log=f"{base}log",
        secrets=f"{base}secrets",
        presence=f"{base}presence",
    )


def text_key(room_id: str, name: str) -> str:
    """A text kept beside the room with its own expiry (a daily space's revealed answer:
    ``ck:{ABCDEFG}:text:2026-12-03:0``)."""
    if not name or any(ch in _FORBIDDEN or ch.isspace() for ch in name) or len(name) > 64:
        raise RoomIdError("a text name is 1..64 plain characters")
    return f"{room_prefix(room_id)}text:{name}"


def room_pattern(room_id: str) -> str:
    """A SCAN pattern matching every key of the room (tests and operators use it)."""
    return f"{room_prefix(room_id)}*"


def state_pattern() -> str:
    """A SCAN pattern matching the state key of every room and table."""
    return f"{PREFIX}{{*:state"


def limit_key(bucket: str) -> str:
    """A per-address limit's bucket (``join:203.0.113.7``), in a hash slot of its own;
    an address a trusted proxy forwarded is cut to what an address may hold."""
    safe = "".join(ch for ch in bucket if ch.isascii() and (ch.isalnum() or ch in ":.-_"))
    return f"{PREFIX}{{limit:{safe[:80]}}}"
