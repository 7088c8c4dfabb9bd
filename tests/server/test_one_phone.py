"""One phone, side by side (issue 21): the page holds both seats, each on its own socket
bound at ``hello``; each socket acts only for its own seat, and a seat moved to another
phone (a resume with its token) and back keeps the room's version and state."""

from __future__ import annotations

from typing import Any

from tests.server.client import Client, Pair, hello_resume, pair, resume
from tests.support.servers import InProcessServer


async def _started(p: Pair) -> int:
    await p.a.client.act("ready")
    ack = await p.b.client.act("ready")
    assert ack["t"] == "ack", ack
    return int(ack["version"])


def _same_game(x: dict[str, Any], y: dict[str, Any]) -> None:
    for key in ("version", "phase", "card", "speaker", "level", "progress", "seats"):
        assert x[key] == y[key], key


async def test_each_of_the_pages_two_sockets_acts_only_for_its_own_seat(
    server: InProcessServer,
) -> None:
    p = await pair(server.url, server.ws_url)  # one page: both sockets from one client
    claim = await p.a.client.act("ready", seat=1)  # a message cannot name another seat
    assert claim["t"] == "error" and claim["code"] == "action/invalid"
    # Bound once: neither socket can be bound again to the other seat.
    again = await p.a.client.request(hello_resume(p.code, p.b.token))
    assert again["t"] == "error" and again["code"] == "protocol/already_joined"
    ready = await p.a.client.act("ready")
    for seat in (p.a, p.b):  # seat 0's socket readied seat 0, and only seat 0
        seats = (await seat.client.latest_view(ready["version"]))["seats"]
        assert [s["ready"] for s in seats] == [True, False]
    version = int((await p.b.client.act("ready"))["version"])
    va = await p.a.client.latest_view(version)
    speaker, listener = (p.a, p.b) if va["speaker"] == 0 else (p.b, p.a)
    refused = await listener.client.act("draw")
    assert refused["t"] == "error"
    drawn = await speaker.client.act("draw")
    assert drawn["t"] == "ack"
    mine = await speaker.client.latest_view(drawn["version"])
    theirs = await listener.client.latest_view(drawn["version"])
    assert mine["you"] == speaker.seat and theirs["you"] == listener.seat
    assert mine["role"] == "speaker" and theirs["role"] == "listener"
    assert "answer" not in theirs["legal"]
    wrong = await listener.client.act("answer")
    assert wrong["t"] == "error"


async def test_a_one_phone_room_becomes_two_phones_and_back_keeping_version_and_state(
    server: InProcessServer,
) -> None:
    p = await pair(server.url, server.ws_url)
    version = await _started(p)
    before = await p.b.client.latest_view(version)
    # The second partner's own phone takes seat 1 with its token: the first phone's
    # socket for that seat is replaced (4001); nothing of the game changes.
    phone_b, welcome = await resume(server.ws_url, p.code, p.b.token, last_version=version)
    assert welcome["seat"] == 1 and welcome["version"] == version
    assert await p.b.client.close_code() == 4001
    after = await phone_b.latest_view(version)
    _same_game(before, after)
    # The game goes on on two phones.
    speaker: Client = p.a.client if after["speaker"] == 0 else phone_b
    drawn = await speaker.act("draw")
    assert drawn["t"] == "ack" and drawn["version"] == version + 1
    on_b = await phone_b.latest_view(drawn["version"])
    # ...and back onto the first phone: a resume there with seat 1's newest token.
    one_phone, back = await resume(server.ws_url, p.code, welcome["token"])
    assert back["seat"] == 1 and back["version"] == drawn["version"]
    assert await phone_b.close_code() == 4001
    _same_game(on_b, await one_phone.latest_view(drawn["version"]))
    view_a = await p.a.client.latest_view(drawn["version"])
    assert view_a["version"] == drawn["version"] and view_a["card"] == on_b["card"]
