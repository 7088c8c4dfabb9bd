"""Actions at the same moment: compare-and-set makes exactly one of two conflicting
actions win, and re-applies a harmless one so it never makes the other fail. On Redis
the two partners sit on two app instances sharing the store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from game import ErrorCode
from tests.server.client import Client, Pair, pair
from tests.support.servers import InProcessServer

ROUNDS = 12


@pytest.fixture
async def two(store_url: str) -> AsyncIterator[tuple[InProcessServer, InProcessServer]]:
    async with InProcessServer(redis_url=store_url) as first:
        if not store_url:  # the in-process store is per process: one instance
            yield first, first
            return
        async with InProcessServer(redis_url=store_url) as second:
            yield first, second


async def started(servers: tuple[InProcessServer, InProcessServer]) -> Pair:
    first, second = servers
    p = await pair(first.url, first.ws_url, second.ws_url)
    await p.a.client.act("ready")
    ack = await p.b.client.act("ready")
    await p.a.client.latest_view(ack["version"])
    return p


async def drawer(p: Pair) -> tuple[Client, Client]:
    """(the seat who draws next, the other), from the newest view."""
    view = p.a.client.last("state")["view"]
    version = max(p.a.client.last("state")["version"], p.b.client.last("state")["version"])
    view = await p.a.client.latest_view(version)
    return (p.a.client, p.b.client) if view["speaker"] == 0 else (p.b.client, p.a.client)


async def test_two_skips_at_once_exactly_one_applies(
    two: tuple[InProcessServer, InProcessServer],
) -> None:
    p = await started(two)
    for _ in range(ROUNDS):
        first, other = await drawer(p)
        drawn = await first.act("draw")
        assert drawn["t"] == "ack", drawn
        await other.latest_view(drawn["version"])
        replies = await asyncio.gather(first.act("skip"), other.act("skip"))
        acks = [r for r in replies if r["t"] == "ack"]
        assert len(acks) == 1, replies
        assert acks[0]["version"] == drawn["version"] + 1
        loser = next(r for r in replies if r["t"] == "error")
        assert loser["code"] in ("turn/wrong_phase", "card/not_on_table")
        for c in (p.a.client, p.b.client):
            view = await c.latest_view(acks[0]["version"])
            assert view["version"] == acks[0]["version"] and view["phase"] == "between"


async def test_a_heart_at_the_same_moment_never_makes_a_pass_fail(
    two: tuple[InProcessServer, InProcessServer],
) -> None:
    p = await started(two)
    hearts_applied = 0
    for _ in range(ROUNDS):
        speaker, listener = await drawer(p)
        drawn = await speaker.act("draw")
        view = await speaker.latest_view(drawn["version"])
        if "answer" not in view["legal"]:  # a reveal card: no speaker to pass
            await speaker.act("skip")
            continue
        answered = await speaker.act("answer")
        assert answered["t"] == "ack", (answered, view)
        await listener.latest_view(answered["version"])
        passed, heart = await asyncio.gather(
            speaker.act("pass"), listener.act("react", reaction="heart")
        )
        assert passed["t"] == "ack", passed
        hearts_applied += heart["t"] == "ack"
        if heart["t"] == "error":  # only because the pass came first and changed the turn
            assert heart["code"] in {c.value for c in ErrorCode}, heart
        view = await speaker.latest_view(passed["version"])
        if view["phase"] != "between":  # a "both" card: the partner's half is still open
            await speaker.latest_view(passed["version"])
            other = listener if "pass" in (await listener.latest_view(passed["version"]))[
                "legal"] else speaker  # fmt: skip
            assert (await other.act("pass"))["t"] == "ack"
    assert 0 <= hearts_applied <= ROUNDS
