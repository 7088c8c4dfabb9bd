"""The change log shared by both stores: entries, their wire form in Redis, and the
one rule deciding which records a reconnecting client can still be sent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from server.store.base import Snapshot

LOG_LIMIT = 256


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One commit: the version it started from, the version it made, its record."""

    before: int
    after: int
    record: bytes


def check_versions(expected: int, snapshot: Snapshot) -> None:
    """Versions only move forward; anything else is a bug in the caller."""
    if snapshot.version <= expected:
        raise ValueError("a commit must raise the room version")


def records_after(log: Iterable[LogEntry], current: int, version: int) -> list[bytes] | None:
    """The records taking ``version`` to ``current``, or None when the log no longer
    reaches back that far (or the caller claims a version the room never had)."""
    if version == current:
        return []
    if version > current:
        return None
    wanted = [entry for entry in log if entry.after > version]
    if not wanted or wanted[0].before > version:
        return None
    return [entry.record for entry in wanted]


def encode_entry(before: int, after: int, record: bytes) -> bytes:
    """``b"<before>:<after>:<record>"``; the Lua commit script builds the same bytes."""
    return b"%d:%d:%b" % (before, after, record)


def decode_entry(raw: bytes) -> LogEntry:
    before, after, record = raw.split(b":", 2)
    return LogEntry(int(before), int(after), record)
