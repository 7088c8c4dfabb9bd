"""A daily space on the in-process store (the embedded default), over real sockets, with
a clock the test moves (issue 22): typed code + knock + admit with the key handed over,
the next card only after the reveal and the turn of the day (on a ping, no pile of
missed days), delete now for both, push without VAPID keys refused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from server.settings import Settings
from tests.server.client import JSON, Client
from tests.server.daily_helpers import V, create_space, daily_url, newest, partners, resume
from tests.support.clocked import MovableClock
from tests.support.servers import InProcessServer

DAY = 86_400.0
WRAPPED = "A" * 43 + "." + "B" * 60  # a key wrapped for the knocker: opaque to the server
PUB = "C" * 43


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def server(clock: MovableClock, ws_direct: bool) -> AsyncIterator[InProcessServer]:
    """Both ways the sockets are served (WS_DIRECT off and on)."""
    settings = Settings(sealed_texts=False, ws_direct=ws_direct)
    async with InProcessServer(settings, clock=clock) as srv:
        yield srv


async def test_a_typed_code_knocks_and_the_creator_admits_with_the_key(
    server: InProcessServer,
) -> None:
    created = await create_space(server.url)
    ana = await resume(server.ws_url, created["code"], created["token"])
    bo = await Client.connect(daily_url(server.ws_url), JSON)
    code = created["code"].lower()  # typed by hand
    knock = {"t": "hello", "v": V, "room": code, "knock": True, "name": "Bo", "pub": PUB}
    assert (await bo.request({**knock, "language": "es"}))["t"] == "ack"
    shown = await ana.next("knock")
    assert shown["name"] == "Bo" and shown["pub"] == PUB
    reply = await ana.request({"t": "admit", "request": shown["request"], "accept": True,
                               "key": WRAPPED})  # fmt: skip
    assert reply["t"] == "ack", reply
    admitted = await bo.next("admitted")
    assert admitted["kind"] == "daily" and admitted["key"] == WRAPPED and admitted["seat"] == 1
    deck = await bo.next("deck")
    assert deck["deck"]["id"] == "closer"
    view = (await bo.state())["view"]
    assert view["you"] == 1 and view["language"] == "es" and view["card"] is not None
    assert (await ana.latest_view(view["version"]))["seats"][1]["joined"] is True


async def test_the_next_card_waits_for_both_and_the_turn_of_the_day(
    server: InProcessServer, clock: MovableClock
) -> None:
    p = await partners(server.ws_url, http_url=server.url)
    first = newest(p.ana)["card"]
    ack = await p.ana.act("answer", text="mine")
    assert (await p.bo.latest_view(ack["version"]))["partner"] == {"state": "answered"}
    clock.move(3 * DAY)  # days pass; Bo has not answered: no new card, no pile
    await p.ana.request({"t": "ping"})
    view = await p.ana.latest_view(ack["version"])
    assert view["card"]["id"] == first["id"] and view["waiting"] == "partner"
    late = await p.bo.act("pass_day")  # late, and free
    view = await p.ana.latest_view(late["version"])
    assert view["history"][0]["answers"][1] == {"seat": 1, "state": "passed", "text": None}
    # the couple's day turned since that card: today's comes now, one card, not three
    await p.ana.request({"t": "ping"})
    today = await p.ana.latest_view(late["version"] + 1)
    assert today["card"] is not None and today["card"]["id"] != first["id"]
    await p.ana.request({"t": "ping"})
    assert newest(p.ana)["version"] == late["version"] + 1
    await p.ana.act("answer", text="again")
    done = await p.bo.act("answer", text="me too")
    view = await p.ana.latest_view(done["version"])
    assert view["card"] is None and view["waiting"] == "tomorrow"  # the same day: it waits
    await p.ana.request({"t": "ping"})
    assert newest(p.ana)["version"] == done["version"]
    clock.move(DAY)
    await p.bo.request({"t": "ping"})
    nxt = await p.ana.latest_view(done["version"] + 1)
    assert nxt["card"] is not None and nxt["card"]["id"] not in (first["id"], today["card"]["id"])


async def test_delete_now_ends_the_space_for_both_and_its_code_is_gone(
    server: InProcessServer,
) -> None:
    p = await partners(server.ws_url, http_url=server.url)
    await p.ana.act("answer", text="a")
    await p.bo.act("answer", text="b")
    reply = await p.bo.request({"t": "delete_room"})
    assert reply["t"] == "ack"
    assert (await p.ana.next("deleted"))["t"] == "deleted"
    assert await p.ana.close_code() == 4002
    again = await Client.connect(daily_url(server.ws_url), JSON)
    hello = {"t": "hello", "v": V, "room": p.code, "token": p.tokens[0]}
    assert (await again.request(hello))["code"] == "join/failed"


async def test_push_is_refused_when_the_server_has_no_vapid_keys(
    server: InProcessServer,
) -> None:
    p = await partners(server.ws_url, http_url=server.url)
    sub = {
        "endpoint": "https://push.example/abc123",
        "keys": {"p256dh": "B" * 87, "auth": "A" * 22},
    }
    reply = await p.ana.request({"t": "push_subscribe", "subscription": sub})
    assert reply["t"] == "error" and reply["code"] == "push/off", reply
    bad = await p.ana.request({"t": "push_subscribe", "subscription": {"endpoint": "x"}})
    assert bad["t"] == "error" and bad["code"] == "protocol/bad_field", bad


async def test_a_browser_that_lost_its_storage_rejoins_its_seat_with_the_invite_link(
    server: InProcessServer,
) -> None:
    p = await partners(server.ws_url, http_url=server.url)
    await p.bo.act("answer", text="kept")
    lost = await Client.connect(daily_url(server.ws_url), JSON)
    hello = {"t": "hello", "v": V, "room": p.code, "invite": p.invite, "name": "Bo"}
    refused = await lost.request(hello)  # full: which seat was this browser's?
    assert refused["t"] == "error" and refused["code"] == "daily/seat_taken", refused
    back = await lost.request({**hello, "seat": 1})
    assert back["t"] == "welcome" and back["seat"] == 1 and back["token"] != p.tokens[1]
    view = (await lost.state())["view"]
    assert view["you"] == 1 and view["mine"] == {"state": "answered", "text": "kept"}
    # the seat's other device still opens it (its own token)
    await p.bo.close()
    other = await resume(server.ws_url, p.code, p.tokens[1])
    assert newest(other)["you"] == 1
    wrong = await Client.connect(daily_url(server.ws_url), JSON)
    bad = await wrong.request({**hello, "invite": "x" * 22, "seat": 0})
    assert bad["t"] == "error" and bad["code"] == "join/failed"


async def test_a_space_nobody_answers_in_is_deleted_at_its_end(
    server: InProcessServer, clock: MovableClock
) -> None:
    p = await partners(server.ws_url, http_url=server.url)
    ends_at = newest(p.ana)["ends_at"]
    clock.move(ends_at - clock() + 1)  # past the end (30 days without an answer)
    await p.ana.request({"t": "ping"})
    assert (await p.bo.next("deleted"))["t"] == "deleted"
    assert await p.ana.close_code() == 4002
    again = await Client.connect(daily_url(server.ws_url), JSON)
    hello = {"t": "hello", "v": V, "room": p.code, "token": p.tokens[1]}
    assert (await again.request(hello))["code"] == "join/failed"
