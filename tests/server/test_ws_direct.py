"""``WS_DIRECT``: the sockets served without the ASGI round trip (server/http/direct.py),
on by default. The hardening, slow-socket and handshake tests run both ways
(``ws_direct``); these say that the setting does switch the path, and what the direct
path adds of its own."""

from __future__ import annotations

import json

import websockets

from server.http.direct import DirectProtocol
from tests.server.client import Client, pair
from tests.support.servers import InProcessServer


def served(srv: InProcessServer) -> list[object]:
    assert srv.server is not None
    return list(srv.server.server_state.connections)


async def test_by_default_seats_are_served_by_the_direct_protocol_idle_without_a_task() -> None:
    async with InProcessServer() as srv:
        p = await pair(srv.url, srv.ws_url)
        ack = await p.a.client.act("ready")
        assert (await p.b.client.latest_view(ack["version"]))["seats"][0]["ready"] is True
        sockets = [c for c in served(srv) if isinstance(c, DirectProtocol)]
        assert len(sockets) == 2 and all(c.session is not None for c in sockets), served(srv)
        assert all(c.worker is None and not c.busy for c in sockets)  # idle: no task held


async def test_with_ws_direct_off_the_sockets_go_through_asgi() -> None:
    async with InProcessServer(ws_direct=False) as srv:
        await pair(srv.url, srv.ws_url)
        assert served(srv) and not any(isinstance(c, DirectProtocol) for c in served(srv))


async def test_frames_sent_at_once_are_answered_one_each_in_order(ws_direct: bool) -> None:
    async with InProcessServer(ws_direct=ws_direct) as srv:
        client = await Client.connect(srv.ws_url)
        ids = [f"p{i}" for i in range(12)]
        for frame_id in ids:  # no wait between them: several arrive in one read
            await client.send_raw(json.dumps({"t": "ping", "id": frame_id}))
        replies = [await client.expect(lambda m, i=i: m.get("re") == i) for i in ids]
        assert [r["t"] for r in replies] == ["ack"] * len(ids)
        order = [m.get("re") for m in client.messages if m.get("re") in ids]
        assert order == ids


async def test_an_unknown_socket_path_is_refused_by_the_app_as_before(ws_direct: bool) -> None:
    async with InProcessServer(ws_direct=ws_direct) as srv:
        try:
            await websockets.connect(srv.ws_url + "/nope", open_timeout=5)
        except websockets.InvalidStatus as exc:
            assert exc.response.status_code == 403
        else:
            raise AssertionError("a socket opened on a path the app does not serve")
