"""Real server processes (``python -m server.serve``: uvicorn, the production entry point)
sharing one real Redis: partners on different processes, a process killed mid-game,
Redis restarted mid-game, graceful SIGTERM, and checks only a real uvicorn can answer
(Origin in the handshake, the frame size limit), and what reaches the logs."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import pytest
import websockets

from tests.server.client import Client, create_room, hello_invite, pair, resume, split_invite
from tests.server.test_game_flow import play_cards
from tests.support.redis import RedisServer
from tests.support.sealing import envelope
from tests.support.servers import ServerProcess, server_processes, ws_env

pytestmark = pytest.mark.slow
FAST = {"MSG_RATE": "500", "MSG_BURST": "500"}  # tests click faster than people


@pytest.fixture
def processes(redis_url: str) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    env = {"REDIS_URL": redis_url, **FAST}
    with server_processes(env) as (first, second):
        yield first, second


async def finish(a: Client, b: Client, version: int) -> dict[str, object]:
    ack = await a.act("end")
    assert ack["t"] == "ack", ack
    view = await b.latest_view(ack["version"])
    if "skip_closing" in view["legal"]:
        ack = await b.act("skip_closing")
        view = await b.latest_view(ack["version"])
    assert view["phase"] == "ended"
    return view


async def test_partners_on_two_processes_play_a_game_to_the_end(
    processes: tuple[ServerProcess, ServerProcess],
) -> None:
    first, second = processes
    p = await pair(first.url, first.ws_url, second.ws_url)
    await p.a.client.act("ready")
    ack = await p.b.client.act("ready")
    version = await play_cards(p.a.client, p.b.client, cards=3, version=ack["version"])
    view = await finish(p.a.client, p.b.client, version)
    assert view["summary"]["total"] == 3  # type: ignore[index]


async def test_a_killed_process_players_continue_on_the_other_from_the_same_version(
    processes: tuple[ServerProcess, ServerProcess],
) -> None:
    first, second = processes
    p = await pair(first.url, first.ws_url, second.ws_url)
    await p.a.client.act("ready")
    ack = await p.b.client.act("ready")
    version = await play_cards(p.a.client, p.b.client, cards=2, version=ack["version"])
    seen = p.a.client.last("state")["version"]
    assert seen == version
    first.kill()  # seat 0's process dies without a goodbye
    assert await p.a.client.close_code() in (1006, None)
    a, welcome = await resume(second.ws_url, p.code, p.a.token, last_version=seen)
    assert welcome["version"] == seen
    state = await a.state()
    assert state["version"] == seen and state["events"] == []
    version = await play_cards(a, p.b.client, cards=2, version=seen)
    view = await finish(a, p.b.client, version)
    assert view["summary"]["total"] == 4  # type: ignore[index]
    versions = [m["version"] for m in p.b.client.messages if m["t"] == "state"]
    assert versions == sorted(set(versions))  # nothing doubled, nothing out of order


async def test_redis_restart_mid_game_is_a_clear_error_then_service_resumes(
    fresh_redis: RedisServer,
) -> None:
    env = {"REDIS_URL": fresh_redis.url}
    with ServerProcess(env) as first, ServerProcess(env) as second:
        p = await pair(first.url, first.ws_url, second.ws_url)
        await p.a.client.act("ready")
        fresh_redis.stop()
        assert first.get("/readyz")[0] == 503
        started = time.monotonic()
        reply = await p.b.client.act("ready", timeout=15)
        assert reply["code"] == "store/unavailable"
        assert time.monotonic() - started < 10
        fresh_redis.start()
        deadline = time.monotonic() + 15
        while first.get("/readyz")[0] != 200 or second.get("/readyz")[0] != 200:
            assert time.monotonic() < deadline, "readyz stayed red"
            await asyncio.sleep(0.1)
        # Redis ran without persistence: the room is gone, and players are told so.
        gone = await p.b.client.act("ready")
        assert gone["code"] == "room/gone"
        # both processes resubscribed: partners on them play a new room
        await asyncio.sleep(1.0)
        q = await pair(first.url, first.ws_url, second.ws_url)
        ack = await q.b.client.act("ready")
        assert (await q.a.client.latest_view(ack["version"]))["seats"][1]["ready"] is True


async def test_sigterm_says_bye_and_closes_with_going_away(redis_url: str, ws_direct: bool) -> None:
    proc = ServerProcess({"REDIS_URL": redis_url, **ws_env(ws_direct)}).start()
    try:
        p = await pair(proc.url, proc.ws_url)
        assert proc.stop() in (0, -15)  # uvicorn re-raises SIGTERM once it has finished
        for seat in (p.a, p.b):
            assert await seat.client.next("bye") == {"t": "bye", "reason": "shutdown",
                                                     "reconnect": True}  # fmt: skip
            assert await seat.client.close_code() == 1001
    finally:
        proc.cleanup()


@pytest.fixture(scope="module")
def lone(ws_direct: bool) -> Iterator[ServerProcess]:
    proc = ServerProcess({"LOG_LEVEL": "debug", **FAST, **ws_env(ws_direct)}).start()
    yield proc
    proc.stop()
    proc.cleanup()


async def test_a_foreign_origin_is_refused_in_the_handshake(lone: ServerProcess) -> None:
    with pytest.raises(websockets.InvalidStatus) as exc:
        await Client.connect(lone.ws_url, origin="http://evil.example")
    assert exc.value.response.status_code == 403
    same = await Client.connect(lone.ws_url, origin=lone.url)
    assert (await same.request({"t": "ping"}))["t"] == "ack"
    await same.close()


async def test_uvicorn_refuses_an_oversized_frame_with_1009(lone: ServerProcess) -> None:
    client = await Client.connect(lone.ws_url)
    await client.send_raw(json.dumps({"t": "ping", "id": 1, "pad": "x" * 20_000}))
    assert await client.close_code() == 1009
    again = await Client.connect(lone.ws_url)
    assert (await again.request({"t": "ping"}))["t"] == "ack"
    await again.close()


async def draw_until_reveal(a: Client, b: Client) -> int:
    """Skip cards until a reveal card is on the table; returns its version."""
    for _ in range(60):
        view = a.last("state")["view"]
        drawer = a if view["speaker"] == 0 else b
        drawn = await drawer.act("draw")
        assert drawn["t"] == "ack", (drawn, view)
        view = await a.latest_view(drawn["version"])
        if view["card"]["mode"] == "reveal":
            if view["phase"] == "shown":
                drawn = await drawer.act("answer")
                view = await a.latest_view(drawn["version"])
            assert view["phase"] == "writing", view
            await b.latest_view(drawn["version"])
            return int(drawn["version"])
        skipped = await drawer.act("skip")
        assert skipped["t"] == "ack", (skipped, view["phase"], view["legal"])
        await a.latest_view(skipped["version"])
        await b.latest_view(skipped["version"])
    raise AssertionError("no reveal card came up")


async def test_frames_and_logs_keep_private_things_private(lone: ServerProcess) -> None:
    name_mark, answer_mark, reveal_mark = "Zq9Name", "Zq9Answer", "Zq9Reveal"
    created = await create_room(lone.url, name=name_mark)
    code, invite = split_invite(created["invite_url"])
    a, _ = await resume(lone.ws_url, code, created["token"])
    b = await Client.connect(lone.ws_url)
    wb = await b.request(hello_invite(code, invite, name=name_mark + "B"))
    await a.latest_view(wb["version"])
    # a boundary is private: the partner's frames never mention it
    tag = a.last("state")["view"]["deck"]["tags"][0]["id"]
    marked = await b.act("mark_boundary", tag=tag)
    assert marked["t"] == "ack"
    await a.act("ready")
    ack = await b.act("ready")
    await a.latest_view(ack["version"])
    version = await draw_until_reveal(a, b)
    plain = await a.act("write_reveal", text=reveal_mark + "A")  # a sealed room: refused
    assert plain["t"] == "error" and plain["code"] == "text/not_sealed", plain
    sealed_a, sealed_b = envelope(), envelope()
    mine = await a.act("write_reveal", text=sealed_a)
    await b.latest_view(mine["version"])
    assert not any(sealed_a in str(f) for f in b.frames)  # unseen until both wrote
    both = await b.act("write_reveal", text=sealed_b)
    view = await a.latest_view(both["version"])
    assert view["revealed"]["answers"] == [sealed_a, sealed_b] and version < both["version"]
    for frame in a.frames:
        message = json.loads(frame)
        if message.get("t") == "state":
            assert message["view"]["boundaries"] == []
            for event in message["events"]:
                assert tag not in json.dumps(event)
    # typed answers and tokens: never in any log line, uvicorn's included
    await a.close()
    await b.close()
    c, welcome = await resume(lone.ws_url, code, wb["token"])
    await c.act("done_speaking", text=answer_mark)
    await c.close()
    assert lone.get(f"/?join={invite}")[0] == 200  # a query string never reaches the log
    await asyncio.sleep(0.3)
    log = lone.log()
    assert '"GET / HTTP/1.1" 200' in log  # the access log is there ...
    for secret in (name_mark, answer_mark, reveal_mark, sealed_a, sealed_b, created["token"],
                   wb["token"], welcome["token"], invite):  # fmt: skip
        assert secret not in log  # ... but carries none of these
