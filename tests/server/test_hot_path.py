"""A move's hot path (server/rooms/moves.py: ``act_now``; issue 16): judged on the cached
state, committed by one store call begun without a coroutine, answered from the store's
callback. These say that seated couples' moves do take it (on both stores, both ways a
socket is served), that what it cannot decide goes the awaited way and is still
answered right, and that a party table's moves keep the awaited path."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any

from server.rooms.service import Service
from tests.server.client import pair
from tests.support.redis import RedisServer
from tests.support.servers import InProcessServer


def service_of(srv: InProcessServer) -> Service:
    service: Service = srv.app.state.service  # type: ignore[attr-defined]
    return service


async def play_a_card(p: Any) -> int:
    """ready, ready, draw, answer: four moves; the last version."""
    await p.a.client.act("ready")
    ack = await p.b.client.act("ready")
    await p.a.client.latest_view(ack["version"])
    drawn = await p.a.client.act("draw")
    assert drawn["t"] == "ack", drawn
    view = await p.a.client.latest_view(drawn["version"])
    mover = p.a if view["you"] == view["speaker"] else p.b
    await mover.client.latest_view(drawn["version"])
    answered = await mover.client.act("answer")
    assert answered["t"] == "ack", answered
    return int(answered["version"])


async def test_a_seated_couples_moves_all_take_the_hot_path(
    store_url: str, ws_direct: bool
) -> None:
    async with InProcessServer(redis_url=store_url, ws_direct=ws_direct) as srv:
        p = await pair(srv.url, srv.ws_url)
        metrics = service_of(srv).metrics
        before = metrics.moves_now
        version = await play_a_card(p)
        for seat in (p.a, p.b):  # both partners hold the last move's state
            assert (await seat.client.latest_view(version))["version"] == version
        assert metrics.moves_now - before == 4
        assert metrics.conflicts == 0


async def test_a_move_on_a_stale_cached_room_is_judged_again_on_the_stored_one(
    ws_direct: bool,
) -> None:
    """Another instance's change this one has not heard of yet: the hot path's commit
    finds another version, and the move is judged again (awaited) on the stored room,
    then answered and delivered as any move."""
    async with InProcessServer(ws_direct=ws_direct) as srv:
        p = await pair(srv.url, srv.ws_url)
        service = service_of(srv)
        # "another instance": a second service on the same store, which does not tell
        # this instance's fan-out (local=False), so this instance's cache is stale
        other = Service(service.store, service.decks, service.settings)
        behind = await other.act(p.code, 1, "elsewhere", "ready", {}, local=False)
        before = service.metrics.moves_now
        ack = await p.a.client.act("ready")
        assert ack["t"] == "ack" and ack["version"] == behind.room.version + 1, ack
        view = await p.b.client.latest_view(ack["version"])
        assert [s["ready"] for s in view["seats"]] == [True, True]
        assert service.metrics.conflicts == 1
        assert service.metrics.moves_now == before  # it went the awaited way
        # and the next move takes the hot path again, on the state that one left
        again = await p.a.client.act("draw")
        assert again["t"] == "ack" and again["version"] == ack["version"] + 1, again
        assert service.metrics.moves_now == before + 1


async def test_a_move_refused_on_the_cached_room_is_judged_on_the_stored_one(
    ws_direct: bool,
) -> None:
    """Out of turn on the cached state, legal on the stored one (another instance made
    it so): the hot path leaves it to the awaited path, which accepts it."""
    async with InProcessServer(ws_direct=ws_direct) as srv:
        p = await pair(srv.url, srv.ws_url)
        service = service_of(srv)
        other = Service(service.store, service.decks, service.settings)
        await other.act(p.code, 0, "o1", "ready", {}, local=False)
        await other.act(p.code, 1, "o2", "ready", {}, local=False)
        before = service.metrics.moves_now
        drawn = await p.a.client.act("draw")  # the cached room is still in the lobby
        assert drawn["t"] == "ack", drawn
        assert service.metrics.errors == {}
        assert service.metrics.moves_now == before  # judged and applied the awaited way


async def test_a_move_sent_again_with_its_id_is_answered_as_a_duplicate_on_the_hot_path(
    ws_direct: bool,
) -> None:
    async with InProcessServer(ws_direct=ws_direct) as srv:
        p = await pair(srv.url, srv.ws_url)
        metrics = service_of(srv).metrics
        first = await p.a.client.request({"t": "act", "id": "same", "a": "ready"})
        again = await p.a.client.request({"t": "act", "id": "same", "a": "ready"})
        assert first["t"] == "ack" and "duplicate" not in first, first
        assert again == {**first, "duplicate": True}, again
        assert metrics.actions["ready"] == 1 and metrics.moves_now == 1


async def test_a_move_from_the_other_instance_is_delivered_as_it_arrives(
    redis_url: str,
) -> None:
    """Partners on two instances: each one's commit reaches the other's seat from the
    broker connection's callback (``Hub.route_now``), not through the subscriber
    task's queue."""
    async with (
        InProcessServer(redis_url=redis_url) as one,
        InProcessServer(redis_url=redis_url) as two,
    ):
        p = await pair(one.url, one.ws_url, two.ws_url)
        hubs = [srv.app.state.hub for srv in (one, two)]  # type: ignore[attr-defined]
        before = [hub.taken_now for hub in hubs]
        version = await play_a_card(p)
        for seat in (p.a, p.b):
            assert (await seat.client.latest_view(version))["version"] == version
        taken = [hub.taken_now - b for hub, b in zip(hubs, before, strict=True)]
        # seat 0 (instance one) moved twice or three times, seat 1 (two) once or twice
        assert taken[1] >= 2 and taken[0] >= 1, taken


async def test_a_server_stopping_with_a_move_in_flight_on_the_asgi_path_raises_nothing_after(
    fresh_redis: RedisServer,
) -> None:
    """The ASGI receive loop awaits the hot path's future; a stop cancels that future
    while Redis holds the commit. The commit's answer, arriving later, set a result on
    the cancelled future: an InvalidStateError from the loop's callback."""
    loop = asyncio.get_running_loop()
    seen: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _, context: seen.append(context))
    assert fresh_redis.process is not None
    try:
        # the stop (2 s for the app's tasks, then cancelled) comes before the deadline
        srv = InProcessServer(
            redis_url=fresh_redis.url, ws_direct=False, shutdown_grace=0.2, reply_deadline=3.5
        )
        async with srv:
            p = await pair(srv.url, srv.ws_url)
            await p.b.client.next("presence", seat=0)
            os.kill(fresh_redis.process.pid, signal.SIGSTOP)
            await p.a.client.send({"t": "act", "id": "held", "a": "ready"})
            await asyncio.sleep(0.2)  # the move waits on Redis
        await asyncio.sleep(service_deadline(srv) - 2.0)  # past the move's deadline
    finally:
        os.kill(fresh_redis.process.pid, signal.SIGCONT)
        loop.set_exception_handler(previous)
    assert not [c for c in seen if "InvalidStateError" in repr(c.get("exception"))], seen


def service_deadline(srv: InProcessServer) -> float:
    return float(srv.settings.reply_deadline)
