"""Presence lives outside the versioned state: a partner going away and coming back
changes no version, removes nobody and skips no turn."""

from __future__ import annotations

from tests.server.client import pair, resume
from tests.support.servers import InProcessServer


async def test_a_disconnect_changes_no_version_removes_nobody_and_skips_no_turn(
    server: InProcessServer,
) -> None:
    p = await pair(server.url, server.ws_url)
    await p.a.client.act("ready")
    started = await p.b.client.act("ready")
    drawn = await p.a.client.act("draw")  # seat 0 speaks; seat 1 listens
    assert drawn["t"] == "ack", drawn
    before = await p.b.client.latest_view(drawn["version"])
    await p.a.client.close()  # the speaker drops mid-turn
    assert await p.b.client.next("presence", seat=0, online=False)
    ping = await p.b.client.request({"t": "ping"})
    assert ping["version"] == drawn["version"] == started["version"] + 1
    a, welcome = await resume(server.ws_url, p.code, p.a.token)
    assert welcome["version"] == drawn["version"]
    assert await p.b.client.next("presence", seat=0, online=True)
    after = await a.latest_view(drawn["version"])
    assert after["version"] == drawn["version"]
    assert after["seats"][1]["joined"] is True and after["speaker"] == before["speaker"] == 0
    assert after["phase"] == before["phase"] and after["card"]["id"] == before["card"]["id"]
    await a.close()
