"""Every protocol message over a real socket, in both subprotocols, on both stores."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.server.client import (
    JSON,
    MSGPACK,
    Client,
    create_room,
    hello_invite,
    hello_resume,
    pair,
    resume,
    split_invite,
)
from tests.support.redis import RedisClusterNodes
from tests.support.sealing import envelope
from tests.support.servers import InProcessServer

both_protocols = pytest.mark.parametrize("sub", [JSON, MSGPACK])


@both_protocols
async def test_creator_and_invited_partner_get_their_seats_and_views(
    server: InProcessServer, sub: str
) -> None:
    p = await pair(server.url, server.ws_url, subprotocol=sub)
    view_a = p.a.client.last("state")["view"]
    assert view_a["you"] == 0
    assert [s["name"] for s in view_a["seats"]] == ["Ana", "Bo"]
    assert view_a["seats"][1]["joined"] is True
    presence = await p.b.client.next("presence")
    assert presence == {"t": "presence", "seat": 0, "online": True}
    assert await p.a.client.next("presence", seat=1, online=True)


@both_protocols
async def test_actions_are_acked_and_both_seats_get_the_new_version(
    server: InProcessServer, sub: str
) -> None:
    p = await pair(server.url, server.ws_url, subprotocol=sub)
    ack = await p.a.client.act("ready")
    assert ack["t"] == "ack" and ack["version"] == p.version + 1
    for seat in (p.a, p.b):
        state = await seat.client.state(ack["version"])
        assert state["version"] == ack["version"]
        assert state["view"]["seats"][0]["ready"] is True
        assert state["view"]["you"] == seat.seat


@both_protocols
async def test_a_rule_violation_is_a_typed_error_and_changes_nothing(
    server: InProcessServer, sub: str
) -> None:
    p = await pair(server.url, server.ws_url, subprotocol=sub)
    reply = await p.b.client.act("draw")
    assert reply["t"] == "error"
    assert reply["code"] == "game/not_started"
    assert isinstance(reply["message"], str) and reply["message"]
    ping = await p.a.client.request({"t": "ping"})
    assert ping == {"t": "ack", "re": ping["re"], "version": p.version}
    await asyncio.sleep(0.1)
    for seat in (p.a, p.b):
        assert max(m["version"] for m in seat.client.messages if m["t"] == "state") == p.version


async def _start(p_a: Client, p_b: Client) -> int:
    await p_a.act("ready")
    ack = await p_b.act("ready")
    assert ack["t"] == "ack", ack
    return int(ack["version"])


@both_protocols
async def test_a_game_is_played_to_the_summary(server: InProcessServer, sub: str) -> None:
    p = await pair(server.url, server.ws_url, subprotocol=sub)
    version = await _start(p.a.client, p.b.client)
    view = await p.a.client.latest_view(version)
    assert view["phase"] == "between"
    version = await play_cards(p.a.client, p.b.client, cards=3, version=version)
    ack = await p.a.client.act("end")
    assert ack["t"] == "ack"
    view = await p.b.client.latest_view(ack["version"])
    if "skip_closing" in view["legal"]:
        ack = await p.b.client.act("skip_closing")
        view = await p.b.client.latest_view(ack["version"])
    assert view["phase"] == "ended"
    assert view["summary"]["total"] >= 1


STEPS = ("draw", "answer", "done_speaking", "reflect", "felt_heard", "write_reveal")


def done(view: dict[str, object], step: str) -> bool:
    """A reveal answer may be edited until both wrote: writing once is enough here."""
    reveal = view.get("reveal")
    if step != "write_reveal" or not isinstance(reveal, dict):
        return False
    return bool(reveal["submitted"][view["you"]])


async def play_cards(a: Client, b: Client, *, cards: int, version: int) -> int:
    """Play ``cards`` cards by the book; returns the last version."""
    seats = {0: a, 1: b}
    views = {s: await c.latest_view(version) for s, c in seats.items()}
    draws = 0
    for _ in range(200):
        views = {s: (await c.latest_view(version)) for s, c in seats.items()}
        if draws > cards and all(v["phase"] == "between" for v in views.values()):
            return version
        for seat, view in views.items():
            step = next((s for s in STEPS if s in view["legal"] and not done(view, s)), None)
            if step is None:
                continue
            if step == "draw":
                if draws >= cards:
                    return version
                draws += 1
            # rooms are sealed by default: a typed text is an envelope (tests/support/sealing)
            fields = {"text": envelope()} if step == "write_reveal" else {}
            ack = await seats[seat].act(step, **fields)
            assert ack["t"] == "ack", ack
            version = int(ack["version"])
            break
        else:
            raise AssertionError(f"nobody can move: {views}")
    raise AssertionError("the game did not progress")


@both_protocols
async def test_typing_is_relayed_to_the_partner_only_as_a_flag(
    server: InProcessServer, sub: str
) -> None:
    p = await pair(server.url, server.ws_url, subprotocol=sub)
    ack = await p.a.client.request({"t": "typing", "on": True})
    assert ack["t"] == "ack"
    assert await p.b.client.next("typing") == {"t": "typing", "seat": 0, "on": True}
    assert not [m for m in await p.a.client.quiet(0.1) if m["t"] == "typing"]


@both_protocols
async def test_delete_room_removes_it_for_both_and_closes_with_4002(
    server: InProcessServer, sub: str
) -> None:
    p = await pair(server.url, server.ws_url, subprotocol=sub)
    ack = await p.b.client.request({"t": "delete_room"})
    assert ack["t"] == "ack"
    for seat in (p.a, p.b):
        assert await seat.client.next("deleted") == {"t": "deleted"}
        assert await seat.client.close_code() == 4002
    again = await Client.connect(server.ws_url, sub)
    reply = await again.request(hello_resume(p.code, p.a.token))
    assert reply["code"] == "join/failed"
    await again.close()


async def test_knock_admitted_by_the_creator_takes_the_second_seat(
    server: InProcessServer,
) -> None:
    created = await create_room(server.url, name="Ana")
    code, _ = split_invite(created["invite_url"])
    a, _ = await resume(server.ws_url, code, created["token"])
    b = await Client.connect(server.ws_url)
    typed = code.lower()  # typed by hand
    ack = await b.request({"t": "hello", "v": "1.0", "room": typed, "knock": True, "name": "Bo"})
    assert ack == {"t": "ack", "re": ack["re"], "version": None}
    knock = await a.next("knock")
    assert knock["name"] == "Bo"
    reply = await a.request({"t": "admit", "request": knock["request"], "accept": True})
    assert reply["t"] == "ack"
    admitted = await b.next("admitted")
    assert admitted["seat"] == 1 and admitted["room"] == code and admitted["token"]
    view = await b.latest_view(admitted["version"])
    assert view["you"] == 1
    assert (await a.latest_view(admitted["version"]))["seats"][1]["name"] == "Bo"
    b2, welcome = await resume(server.ws_url, code, admitted["token"])
    assert welcome["seat"] == 1
    for c in (a, b, b2):
        await c.close()


async def test_knock_declined_by_the_creator(memory_server: InProcessServer) -> None:
    created = await create_room(memory_server.url)
    code, _ = split_invite(created["invite_url"])
    a, _ = await resume(memory_server.ws_url, code, created["token"])
    b = await Client.connect(memory_server.ws_url)
    await b.request({"t": "hello", "v": "1.0", "room": code, "knock": True, "name": "Bo"})
    knock = await a.next("knock")
    await a.request({"t": "admit", "request": knock["request"], "accept": False})
    assert await b.next("declined") == {"t": "declined", "reason": "declined"}
    late = await a.request({"t": "admit", "request": knock["request"], "accept": True})
    assert late["code"] == "admit/unknown_request"


async def test_a_knock_made_while_the_creator_was_away_is_shown_on_return(
    server: InProcessServer,
) -> None:
    created = await create_room(server.url)
    code, _ = split_invite(created["invite_url"])
    b = await Client.connect(server.ws_url)
    await b.request({"t": "hello", "v": "1.0", "room": code, "knock": True, "name": "Bo"})
    a, _ = await resume(server.ws_url, code, created["token"])
    knock = await a.next("knock")
    assert knock["name"] == "Bo"
    await a.request({"t": "admit", "request": knock["request"], "accept": True})
    assert (await b.next("admitted"))["seat"] == 1


async def test_only_the_creator_may_admit(memory_server: InProcessServer) -> None:
    p = await pair(memory_server.url, memory_server.ws_url)
    reply = await p.b.client.request({"t": "admit", "request": "kabc", "accept": True})
    assert reply["code"] == "admit/not_creator"


async def test_knock_on_unknown_code_looks_like_a_knock_on_a_real_one() -> None:
    async with InProcessServer(knock_timeout=0.3) as srv:
        created = await create_room(srv.url)
        code, _ = split_invite(created["invite_url"])
        replies = []
        for room in (code, "ZZZZZZ"):
            c = await Client.connect(srv.ws_url)
            ack = await c.request({"t": "hello", "v": "1.0", "room": room, "knock": True,
                                   "name": "Bo"})  # fmt: skip
            declined = await c.next("declined")
            replies.append((ack["t"], ack["version"], declined))
            await c.close()
        assert replies[0] == replies[1] == ("ack", None, {"t": "declined", "reason": "timeout"})


async def test_same_seat_on_a_second_socket_replaces_the_first(server: InProcessServer) -> None:
    p = await pair(server.url, server.ws_url)
    newer, welcome = await resume(server.ws_url, p.code, p.a.token)
    assert welcome["seat"] == 0
    assert await p.a.client.close_code() == 4001
    ack = await newer.act("ready")
    assert ack["t"] == "ack"
    # the partner never saw seat 0 go away
    await p.b.client.state(ack["version"])
    assert not [
        m for m in p.b.client.messages if m == {"t": "presence", "seat": 0, "online": False}
    ]


async def test_token_rotates_on_resume_and_the_old_one_ends_when_the_new_is_used(
    server: InProcessServer,
) -> None:
    p = await pair(server.url, server.ws_url)
    t0 = p.a.token
    _c1, w1 = await resume(server.ws_url, p.code, t0)
    t1 = w1["token"]
    assert t1 != t0
    # a lost welcome: the old token still works within the grace period
    _c2, w2 = await resume(server.ws_url, p.code, t0)
    t2 = w2["token"]
    assert len({t0, t1, t2}) == 3
    c3, _ = await resume(server.ws_url, p.code, t2)  # the new one is used ...
    c4 = await Client.connect(server.ws_url)
    reply = await c4.request(hello_resume(p.code, t0))  # ... so the old one is over
    assert reply["code"] == "join/failed"
    for c in (c3, c4):
        await c.close()


async def test_an_action_retried_with_the_same_id_is_applied_once(
    server: InProcessServer,
) -> None:
    p = await pair(server.url, server.ws_url)
    await p.a.client.send({"t": "act", "id": "act-42", "a": "ready"})
    first = await p.a.client.next("ack", re="act-42")
    await p.a.client.close()
    again, welcome = await resume(server.ws_url, p.code, p.a.token, last_version=first["version"])
    await again.send({"t": "act", "id": "act-42", "a": "ready"})
    second = await again.next("ack", re="act-42")
    assert second == {"t": "ack", "re": "act-42", "version": first["version"], "duplicate": True}
    assert welcome["version"] == first["version"]
    # a fresh id is a new action (and here an illegal one: already ready)
    other = await again.act("unready")
    assert other["version"] == first["version"] + 1


async def test_resume_sends_the_events_missed_since_last_version(
    server: InProcessServer,
) -> None:
    p = await pair(server.url, server.ws_url)
    seen = p.version
    await p.b.client.close()
    await p.a.client.act("ready")
    ack = await p.a.client.act("set_light_mode", on=True)
    b, welcome = await resume(server.ws_url, p.code, p.b.token, last_version=seen)
    state = await b.state()
    assert state["version"] == welcome["version"] == ack["version"]
    assert state["view"]["light_mode"] is True
    assert isinstance(state["events"], list)


async def test_partner_sees_away_and_back(server: InProcessServer) -> None:
    p = await pair(server.url, server.ws_url)
    await p.b.client.close()
    assert await p.a.client.next("presence", seat=1, online=False)
    b, _ = await resume(server.ws_url, p.code, p.b.token)
    assert await p.a.client.next("presence", seat=1, online=True)
    await b.close()


async def test_invite_is_refused_once_the_seat_is_taken(server: InProcessServer) -> None:
    p = await pair(server.url, server.ws_url)
    c = await Client.connect(server.ws_url)
    reply = await c.request(hello_invite(p.code, p.invite, "Cy"))
    assert reply["code"] == "join/seat_taken"
    await c.close()


async def test_no_hello_within_the_timeout_closes_with_4003(ws_direct: bool) -> None:
    async with InProcessServer(hello_timeout=0.2, ws_direct=ws_direct) as srv:
        c = await Client.connect(srv.ws_url)
        assert await c.close_code() == 4003


async def test_graceful_shutdown_says_bye_and_closes_with_1001(ws_direct: bool) -> None:
    srv = InProcessServer(ws_direct=ws_direct)
    await srv.__aenter__()
    p = await pair(srv.url, srv.ws_url)
    exiting = asyncio.create_task(srv.__aexit__())
    for seat in (p.a, p.b):
        assert await seat.client.next("bye") == {"t": "bye", "reason": "shutdown",
                                                 "reconnect": True}  # fmt: skip
        assert await seat.client.close_code() == 1001
    await exiting


async def test_a_room_plays_on_a_redis_cluster(redis_cluster: RedisClusterNodes) -> None:
    url = redis_cluster.url
    async with InProcessServer(redis_url=url) as first, InProcessServer(redis_url=url) as second:
        p = await pair(first.url, first.ws_url, second.ws_url)
        version = await _start(p.a.client, p.b.client)
        version = await play_cards(p.a.client, p.b.client, cards=1, version=version)
        assert (await p.b.client.latest_view(version))["progress"]["total"] == 1


async def test_a_seat_taken_over_on_another_instance_replaces_the_first(redis_url: str) -> None:
    async with (
        InProcessServer(redis_url=redis_url) as first,
        InProcessServer(redis_url=redis_url) as second,
    ):
        p = await pair(first.url, first.ws_url)
        newer, welcome = await resume(second.ws_url, p.code, p.a.token)
        assert welcome["seat"] == 0
        assert await p.a.client.close_code() == 4001
        ack = await newer.act("ready")
        assert (await p.b.client.latest_view(ack["version"]))["seats"][0]["ready"] is True


def _count_writes(srv: InProcessServer) -> list[list[bytes]]:
    """Wraps the write of every server-side socket; returns each socket's writes."""
    assert srv.server is not None
    seen: list[list[bytes]] = []
    for proto in list(srv.server.server_state.connections):
        transport: Any = getattr(proto, "transport", None)
        if transport is None or not hasattr(proto, "conn"):
            continue  # not a WebSocket
        writes: list[bytes] = []
        original = transport.write

        def write(data: bytes, _orig: Any = original, _log: list[bytes] = writes) -> None:
            _log.append(bytes(data))
            _orig(data)

        transport.write = write
        seen.append(writes)
    return seen


async def test_a_moves_ack_and_the_movers_state_leave_in_one_write(
    memory_server: InProcessServer,
) -> None:
    p = await pair(memory_server.url, memory_server.ws_url, subprotocol=MSGPACK)
    await p.a.client.quiet(0.2)
    await p.b.client.quiet(0.2)
    writes = _count_writes(memory_server)
    ack = await p.a.client.act("ready")
    await p.a.client.state(ack["version"])
    await p.b.client.state(ack["version"])
    # Two sockets wrote: the mover's once (ack and state together), the partner's once.
    assert sorted(len(w) for w in writes if w) == [1, 1]
    movers = [w[0] for w in writes if w and b"ack" in w[0]]
    assert len(movers) == 1 and b"state" in movers[0]
    order = [m["t"] for m in p.a.client.messages[-2:]]
    assert order == ["ack", "state"]  # in the protocol's order
