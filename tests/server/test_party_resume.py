"""Coming back to a party: a guest's phone reloads or sleeps, a console or the big screen
is reopened, on the same process or another one on the same Redis. Also what a token of
a guest who is gone, a late arrival at an ended party and a co-host's display get."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.server.client import Client, Msg
from tests.server.party_helpers import HELLO, Guest, console, create_party, join, party_url
from tests.support.servers import ROOT, InProcessServer


async def hello_guest(ws_url: str, code: str, token: str) -> tuple[Client, Msg]:
    """A guest's page after a reload: a new socket, hello with the kept token."""
    client = await Client.connect(party_url(ws_url))
    reply = await client.request({**HELLO, "party": code, "role": "guest", "token": token})
    return client, reply


async def seated_pair(ws_url: str, code: str) -> tuple[Guest, Guest, Msg]:
    ana, bo = await join(ws_url, code, "Ana"), await join(ws_url, code, "Bo")
    assert (await ana.act("look_for_partner"))["t"] == "ack"
    assert (await bo.act("look_for_partner"))["t"] == "ack"
    state = await ana.sit(ws_url)
    await bo.sit(ws_url)
    return ana, bo, state


@pytest.fixture
async def two_on_redis(redis_url: str) -> AsyncIterator[tuple[InProcessServer, InProcessServer]]:
    async with (
        InProcessServer(redis_url=redis_url) as one,
        InProcessServer(redis_url=redis_url) as two,
    ):
        yield one, two


async def resumes_at_the_same_table(first: InProcessServer, second: InProcessServer) -> None:
    created = await create_party(first.url)
    code = created["code"]
    ana, bo, before = await seated_pair(first.ws_url, code)
    assert ana.table is not None
    drawer = ana if before["view"]["speaker"] == ana.seat else bo
    assert drawer.table is not None and (await drawer.table.act("draw"))["t"] == "ack"
    level = before["view"]["level"]
    seen = ana.view()["table"]
    await ana.client.close()  # the reload: both sockets go
    await ana.table.close()

    client, welcome = await hello_guest(second.ws_url, code, ana.token)
    assert welcome["t"] == "welcome" and welcome["guest"] == ana.id, welcome
    assert "token" not in welcome  # the same guest, not a new one
    snapshot = await client.next("party")
    assert snapshot["view"]["table"] == seen  # same table, same seat, same partner
    assert snapshot["view"]["table"]["partner"] == "Bo"
    again = Guest(client, ana.id, ana.token, "Ana")
    state = await again.sit(second.ws_url)
    assert state["view"]["room"] == ana.room and state["view"]["you"] == ana.seat
    assert state["view"]["level"] == level and state["view"]["card"] is not None


async def test_a_guest_resumes_with_their_token_after_a_reload(
    memory_server: InProcessServer,
) -> None:
    await resumes_at_the_same_table(memory_server, memory_server)


async def test_a_guest_resumes_on_another_instance_on_redis(
    two_on_redis: tuple[InProcessServer, InProcessServer],
) -> None:
    await resumes_at_the_same_table(*two_on_redis)


async def test_a_guest_resumes_after_the_host_locked_the_room(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    ana = await join(srv.ws_url, code, "Ana")
    assert (await host.request({"t": "act", "a": "lock", "on": True}))["t"] == "ack"
    await ana.client.close()
    _, welcome = await hello_guest(srv.ws_url, code, ana.token)
    assert welcome["t"] == "welcome" and welcome["guest"] == ana.id, welcome


@pytest.mark.parametrize("how", ["removed", "left"])
async def test_the_token_of_a_guest_who_is_gone_is_refused_with_its_own_code(
    memory_server: InProcessServer, how: str
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    ana, bo, _ = await seated_pair(srv.ws_url, code)
    if how == "removed":
        reply = await host.request({"t": "act", "a": "remove_guest", "guest": ana.id})
    else:
        reply = await ana.act("leave_party")
    assert reply["t"] == "ack", reply
    assert await ana.client.close_code() == 4002
    _, refused = await hello_guest(srv.ws_url, code, ana.token)
    assert refused["t"] == "error" and refused["code"] == f"party/{how}", refused
    # a token with another secret for the same guest learns nothing
    wrong = f"{ana.id}.{'x' * 22}"
    _, other = await hello_guest(srv.ws_url, code, wrong)
    assert other["code"] == "join/failed"
    # the partner left alone looks for someone new and is told why
    msg = await bo.client.expect(lambda m: m.get("t") == "party" and m["view"]["table"] is None)
    assert msg["view"]["you"]["looking"] and msg["view"]["you"]["note"] == "partner_left"


@pytest.mark.parametrize(
    ("token", "code"),
    [("g1", "join/failed"), ("g1.short", "join/failed"), ("G1." + "a" * 22, "join/failed"),
     ("", "protocol/bad_field"), ("g1." + "a" * 80, "protocol/bad_field")],
)  # fmt: skip
async def test_a_malformed_guest_token_is_refused_like_a_wrong_one(
    memory_server: InProcessServer, token: str, code: str
) -> None:
    """A token of the wrong shape is a wrong token (it counts against the limit); only
    one that cannot be a token at all (empty, over 80 characters) is a bad field."""
    created = await create_party(memory_server.url)
    _, reply = await hello_guest(memory_server.ws_url, created["code"], token)
    assert reply["t"] == "error" and reply["code"] == code, reply


async def test_a_guest_leaves_their_table_over_the_wire_and_can_pair_again(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    code = (await create_party(srv.url))["code"]
    ana, bo, _ = await seated_pair(srv.ws_url, code)
    assert ana.table is not None
    seated = ana.client.last("party")["version"]
    assert (await ana.act("leave_table"))["t"] == "ack"
    assert await ana.table.close_code() == 4002  # the table's room is gone
    mine = await ana.client.expect(lambda m: m.get("t") == "party" and m["version"] > seated)
    assert mine["view"]["table"] is None and not mine["view"]["you"]["looking"]
    assert mine["view"]["you"]["note"] is None
    theirs = await bo.client.expect(lambda m: m.get("t") == "party" and m["version"] > seated)
    assert theirs["view"]["table"] is None and theirs["view"]["you"]["note"] == "partner_left"
    assert (await ana.act("look_for_partner"))["t"] == "ack"
    again = await bo.client.expect(
        lambda m: m.get("t") == "party" and m["view"]["table"] is not None
    )
    assert again["view"]["table"]["partner"] == "Ana" and again["view"]["you"]["note"] is None


async def test_a_newcomer_at_an_ended_party_is_told_it_has_ended(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    ana = await join(srv.ws_url, code, "Ana")
    assert (await host.request({"t": "act", "a": "end_party"}))["t"] == "ack"
    late = await Client.connect(party_url(srv.ws_url))
    reply = await late.request({**HELLO, "party": code, "role": "guest", "name": "Late"})
    assert reply["t"] == "error" and reply["code"] == "party/ended", reply
    # a guest who was there comes back to the ended party and sees it
    await ana.client.close()
    client, welcome = await hello_guest(srv.ws_url, code, ana.token)
    assert welcome["t"] == "welcome"
    assert (await client.next("party"))["view"]["meta"]["ended"] is True


async def test_the_console_and_the_display_resume_with_their_tokens_on_another_instance(
    two_on_redis: tuple[InProcessServer, InProcessServer],
) -> None:
    one, two = two_on_redis
    created = await create_party(one.url)
    code = created["code"]
    host, _ = await console(one.ws_url, code, "host", created["host_token"])
    display, _ = await console(one.ws_url, code, "display", created["display_key"])
    await join(one.ws_url, code, "Ana")
    await host.close()
    await display.close()
    host, snap = await console(two.ws_url, code, "host", created["host_token"])
    assert [g["name"] for g in snap["view"]["guests"].values()] == ["Ana"]
    assert snap["view"]["meta"]["deck_title"]["en"]  # the console names the deck
    display, shown = await console(two.ws_url, code, "display", created["display_key"])
    assert list(shown["view"]["guests"].values()) == [{}]  # counted, never named
    assert (await host.request({"t": "act", "a": "lock", "on": True}))["t"] == "ack"
    delta = await display.next("party_delta")
    assert delta["meta"]["locked"] is True


async def test_a_co_host_gets_a_display_key_of_their_own_and_the_old_one_still_works(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    ana = await join(srv.ws_url, code, "Ana")
    assert (await host.request({"t": "act", "a": "hand_host", "guest": ana.id}))["t"] == "ack"
    claimed = await ana.client.request({"t": "claim_host"})
    assert claimed["t"] == "host_token" and claimed["display_key"] != created["display_key"]
    await console(srv.ws_url, code, "display", claimed["display_key"])
    await console(srv.ws_url, code, "display", created["display_key"])
    refused = await Client.connect(party_url(srv.ws_url))
    reply = await refused.request({**HELLO, "party": code, "role": "host",
                                   "token": claimed["display_key"]})  # fmt: skip
    assert reply["code"] == "join/failed"  # a display key never opens the console


async def test_the_console_names_an_uploaded_deck_by_its_title(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    deck = json.loads((ROOT / "decks/builtin/closer.json").read_text(encoding="utf-8"))
    deck["id"], deck["title"] = "our-own", {"en": "Our own evening", "de": "Unser Abend"}
    async with httpx.AsyncClient(base_url=srv.url) as http:
        auth = {"Authorization": f"Bearer {created['host_token']}"}
        r = await http.post(f"/api/parties/{code}/deck", content=json.dumps(deck), headers=auth)
        assert r.status_code == 200, r.text
    delta = await host.expect(lambda m: m.get("t") == "party_delta" and "meta" in m)
    assert delta["meta"]["deck"] == f"{code}~our-own"
    assert delta["meta"]["deck_title"]["en"] == "Our own evening"
