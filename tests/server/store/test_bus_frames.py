"""The frames RedisStore sends on its one broker channel: who sent them, and a commit's
state carried beside its record (parsed without trusting anything in them)."""

from __future__ import annotations

import asyncio

import pytest

from server import keys
from server.store import Message, RedisStore, Snapshot, from_url
from server.store.bus import commit_head, new_tag, parse_frame, published_frame
from tests.support.redis import RedisServer

OURS, THEIRS = new_tag(), new_tag()


def committed_frame(tag: bytes, room: str, version: int, blob: bytes, record: bytes) -> bytes:
    """What the commit script publishes: the head, the blob, then the record."""
    return commit_head(tag, room, Snapshot(version, blob)) + blob + record


def test_a_published_frame_reads_back_on_another_instance() -> None:
    frame = published_frame(THEIRS, "PARTY/t7", b"\x00msg:\x00")
    assert parse_frame(frame, OURS) == Message("PARTY/t7", b"\x00msg:\x00", None)


def test_a_commit_frame_carries_the_state_whatever_its_bytes() -> None:
    blob = b"\x00:12:\xc4\xff" * 50
    frame = committed_frame(THEIRS, "ROOM", 7, blob, b"rec\x00:")
    message = parse_frame(frame, OURS)
    assert message is not None
    assert message.room_id == "ROOM" and message.payload == b"rec\x00:"
    assert message.snapshot is not None
    assert (message.snapshot.version, message.snapshot.blob) == (7, blob)


def test_an_instance_drops_its_own_frames() -> None:
    assert parse_frame(published_frame(OURS, "ROOM", b"m"), OURS) is None
    assert parse_frame(committed_frame(OURS, "ROOM", 2, b"b", b"r"), OURS) is None


@pytest.mark.parametrize(
    "frame",
    [
        b"",
        THEIRS,  # a tag and nothing else
        THEIRS + b"pROOM",  # no end to the room id
        THEIRS + b"xROOM\x00m",  # an unknown kind
        THEIRS + b"p\xff\xfe\x00m",  # a room id that is not UTF-8
        THEIRS + b"cROOM\x007:",  # no blob size
        THEIRS + b"cROOM\x00v:1:b",  # a version that is not a number
        THEIRS + b"cROOM\x007:-1:b",  # a negative size
        THEIRS + b"cROOM\x007:9:short",  # a blob cut short
        b"ROOM\x00old-style record",  # a frame of the former layout
    ],
)
def test_a_malformed_or_foreign_frame_is_ignored(frame: bytes) -> None:
    assert parse_frame(frame, OURS) is None


@pytest.mark.redis
async def test_garbage_on_the_channel_does_not_stop_the_listener(
    redis_server: RedisServer,
) -> None:
    store = from_url(redis_server.url)
    assert isinstance(store, RedisStore)
    try:
        sub = store.subscribe()
        await asyncio.wait_for(store.wait_subscribed(), 5)
        for junk in (b"", b"\x00", THEIRS + b"cX\x00999:999:", b"\xff" * 40):
            await store.client.publish(keys.BUS, junk)
        await store.client.publish(keys.BUS, published_frame(THEIRS, "ROOM", b"fine"))
        assert await asyncio.wait_for(anext(sub), 5) == ("ROOM", b"fine", None)
        assert store.subscribed
    finally:
        await store.close()
