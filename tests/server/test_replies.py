"""Exactly one reply per client message, lost broker messages caught up by a ping, and
the configured text limits, on a real socket."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import websockets

from server.store.base import StoreUnavailable
from server.wire import broker
from tests.server.client import Client, create_room, hello_resume, pair, resume, split_invite
from tests.support.servers import InProcessServer


def parts(srv: InProcessServer) -> Any:
    """The running app's state (hub, service) of an in-process server."""
    assert srv.server is not None
    app: Any = srv.server.config.app
    return app.state


async def _dropped(room_id: str, payload: bytes) -> None:
    return None  # a broker message lost on the way


async def test_a_ping_catches_up_a_socket_that_missed_a_change(
    memory_server: InProcessServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = await pair(memory_server.url, memory_server.ws_url)
    state = parts(memory_server)
    monkeypatch.setattr(state.hub, "route", _dropped)
    # Another instance applies seat 0's "ready"; its broker message never arrives here.
    applied = await state.service.act(p.code, 0, "elsewhere-1", "ready", {})
    assert applied.room.version == p.version + 1
    newer = [
        m for m in await p.b.client.quiet(0.2) if m["t"] == "state" and m["version"] > p.version
    ]
    assert newer == []
    ack = await p.b.client.request({"t": "ping"})
    assert ack == {"t": "ack", "re": ack["re"], "version": p.version + 1}
    caught_up = await p.b.client.state(p.version + 1)
    assert caught_up["view"]["seats"][0]["ready"] is True
    ack_a = await p.a.client.request({"t": "ping"})  # the same instance's other seat too
    assert ack_a["version"] == p.version + 1


async def test_a_ping_with_nothing_new_sends_no_state(memory_server: InProcessServer) -> None:
    p = await pair(memory_server.url, memory_server.ws_url)
    await p.a.client.quiet(0.3)
    seen = len(p.a.client.messages)
    ack = await p.a.client.request({"t": "ping"})
    assert ack["version"] == p.version
    assert [m["t"] for m in p.a.client.messages[seen:]] == ["ack"]


async def test_a_store_failure_after_welcome_adds_no_second_reply(
    memory_server: InProcessServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = await create_room(memory_server.url, name="Ana")
    code, _ = split_invite(created["invite_url"])
    store = parts(memory_server).service.store

    async def unreachable(room_id: str) -> dict[int, bool]:
        raise StoreUnavailable("down")

    monkeypatch.setattr(store, "presence", unreachable)
    client = await Client.connect(memory_server.ws_url)
    hello = {"id": "h1", **hello_resume(code, created["token"])}
    await client.send(hello)
    welcome = await client.next("welcome")
    assert welcome["re"] == "h1"
    later = await client.quiet(0.3)
    assert [m for m in later if m.get("re") == "h1"] == []
    assert [m["t"] for m in later] == ["state"]


async def test_the_configured_text_limit_is_applied() -> None:
    async with InProcessServer(max_text=10) as srv:
        p = await pair(srv.url, srv.ws_url)
        await p.a.client.act("ready")
        await p.b.client.act("ready")
        last = await p.a.client.act("draw")
        assert last["t"] == "ack", last
        view = await p.a.client.latest_view(last["version"])
        if "answer" in view["legal"]:
            last = await p.a.client.act("answer")
            view = await p.a.client.latest_view(last["version"])
        # Whatever the seed dealt: a spoken answer or a written reveal answer.
        verb = "done_speaking" if "done_speaking" in view["legal"] else "write_reveal"
        assert verb in view["legal"], view["legal"]
        long = await p.a.client.act(verb, text="x" * 11)
        assert long["t"] == "error" and long["code"] == "text/too_long", long
        short = await p.a.client.act(verb, text="x" * 10)
        assert short["t"] == "ack", short


async def test_the_configured_name_limit_is_applied() -> None:
    async with InProcessServer(max_name=5) as srv:
        p = await pair(srv.url, srv.ws_url, name="Ana")
        reply = await p.a.client.act("set_name", value="Anastasia")
        assert reply["t"] == "error" and reply["code"] == "name/invalid", reply


@pytest.mark.parametrize("room", ["ABC/", "/ABC", "A/B/C", "A//B"])
async def test_a_malformed_room_id_is_a_bad_field_not_a_server_error(
    memory_server: InProcessServer, room: str
) -> None:
    client = await Client.connect(memory_server.ws_url)
    for hello in (
        {"t": "hello", "v": "1.0", "room": room, "token": "x" * 22},
        {"t": "hello", "v": "1.0", "room": room, "knock": True, "name": "Bo"},
    ):
        reply = await client.request(hello)
        assert reply["t"] == "error" and reply["code"] == "protocol/bad_field", reply


@pytest.mark.parametrize("origin", ["http://[::1", "http://[zz]"])
async def test_an_unparsable_origin_is_refused_not_a_crash(
    memory_server: InProcessServer, origin: str
) -> None:
    async with httpx.AsyncClient(base_url=memory_server.url) as http:
        r = await http.post("/api/rooms", json={"deck": "closer"}, headers={"Origin": origin})
    assert (r.status_code, r.json()) == (403, {"error": "request/origin"})
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(memory_server.ws_url, origin=origin)  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403


async def test_a_ping_is_answered_even_when_the_store_hangs(
    memory_server: InProcessServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = await pair(memory_server.url, memory_server.ws_url)
    store = parts(memory_server).service.store

    async def hangs(room_id: str) -> None:
        await asyncio.sleep(60)

    monkeypatch.setattr("server.http.ws.PING_CATCH_UP", 0.2)
    monkeypatch.setattr(store, "load", hangs)
    ack = await p.a.client.request({"t": "ping"}, timeout=2.0)
    assert ack["t"] == "ack" and ack["version"] == p.version


async def test_a_declined_knocker_that_stays_silent_is_closed_with_4003() -> None:
    async with InProcessServer(knock_timeout=0.6, hello_timeout=0.3) as srv:
        created = await create_room(srv.url, name="Ana")
        code, _ = split_invite(created["invite_url"])
        knock = {"t": "hello", "v": "1.0", "room": code, "knock": True, "name": "Cy"}
        quiet = await Client.connect(srv.ws_url)
        assert (await quiet.request(knock))["t"] == "ack"
        assert (await quiet.next("declined"))["reason"] == "timeout"
        assert await quiet.close_code(3.0) == 4003


async def test_a_partner_who_drops_while_a_hello_reads_presence_is_shown_away(
    memory_server: InProcessServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bo comes back while Ana's phone drops: the store still said Ana is here when Bo's
    hello read it, and her "away" reached Bo's new socket before that read did. The
    older read must not follow it (Bo saw Ana "here" for good)."""
    p = await pair(memory_server.url, memory_server.ws_url)
    state = parts(memory_server)
    store = state.service.store
    read = store.presence

    async def read_then_ana_drops(room_id: str) -> dict[int, bool]:
        seen = await read(room_id)  # Ana is here
        await store.set_presence(room_id, 0, False, 90)
        await state.hub.route(room_id, broker.encode(broker.Presence(0, False)))
        return seen

    monkeypatch.setattr(store, "presence", read_then_ana_drops)
    await p.b.client.close()
    bo, _ = await resume(memory_server.ws_url, p.code, p.b.token)
    told = [m for m in await bo.quiet(0.3) if m["t"] == "presence"]
    assert told == [{"t": "presence", "seat": 0, "online": False}], told
    await bo.close()
