"""Party rooms over real sockets on one server (both stores): the wiring of each power."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from decks.catalog import load_decks
from game import GameError
from game import party as p
from server.parties.decks import DeckRejected
from server.parties.service import PartyService, table_room
from server.rooms.service import Service
from server.settings import Settings
from server.store.factory import from_url
from server.store.memory import MemoryStore
from tests.server.client import Client
from tests.server.party_helpers import (
    HELLO,
    console,
    create_party,
    current,
    join,
    party_url,
)
from tests.support.servers import ROOT, InProcessServer


async def test_guests_pair_with_a_code_and_play_their_table_on_ws(server: InProcessServer) -> None:
    created = await create_party(server.url)
    code = created["code"]
    host, first = await console(server.ws_url, code, "host", created["host_token"])
    assert first["role"] == "host" and first["view"]["meta"]["code"] == code
    ana = await join(server.ws_url, code, "Ana")
    bo = await join(server.ws_url, code, "Bo")
    reply = await ana.act("make_pair_code")
    assert reply["t"] == "ack", reply
    msg = await ana.client.expect(lambda m: m.get("t") == "party" and m["view"]["you"]["pair_code"])
    reply = await bo.act("enter_pair_code", code=msg["view"]["you"]["pair_code"])
    assert reply["t"] == "ack", reply
    state_a = await ana.sit(server.ws_url)
    state_b = await bo.sit(server.ws_url)
    assert state_a["view"]["phase"] == "between"  # a table starts playing at once
    assert {state_a["view"]["you"], state_b["view"]["you"]} == {0, 1}
    drawer = ana if state_a["view"]["speaker"] == ana.seat else bo
    assert drawer.table is not None
    assert (await drawer.table.act("draw"))["t"] == "ack"
    await asyncio.sleep(0.3)
    view = current(host)
    (table,) = view["tables"].values()
    assert table["stage"] == "playing" and table["level"] == 0
    assert {view["guests"][g]["name"] for g in table["guests"]} == {"Ana", "Bo"}


async def test_a_wrong_host_token_or_display_key_is_refused(memory_server: InProcessServer) -> None:
    created = await create_party(memory_server.url)
    for role, token in (("host", created["display_key"]), ("display", created["host_token"])):
        client = await Client.connect(party_url(memory_server.ws_url))
        hello = {**HELLO, "party": created["code"], "role": role, "token": token}
        reply = await client.request(hello)
        assert reply["code"] == "join/failed"
        await client.close()


async def test_a_guest_cannot_use_host_powers(memory_server: InProcessServer) -> None:
    created = await create_party(memory_server.url)
    ana = await join(memory_server.ws_url, created["code"], "Ana")
    reply = await ana.act("pause_all")
    assert reply["code"] == "party/not_host"


async def test_host_pause_reaches_the_table_before_the_host_sees_the_ack(
    server: InProcessServer,
) -> None:
    created = await create_party(server.url)
    code = created["code"]
    host, _ = await console(server.ws_url, code, "host", created["host_token"])
    ana, bo = await join(server.ws_url, code, "Ana"), await join(server.ws_url, code, "Bo")
    await ana.act("look_for_partner")
    await bo.act("look_for_partner")
    state = await ana.sit(server.ws_url)
    await bo.sit(server.ws_url)
    assert (await host.request({"t": "act", "a": "pause_all"}))["t"] == "ack"
    drawer = ana if state["view"]["speaker"] == ana.seat else bo
    assert drawer.table is not None
    refused = await drawer.table.act("draw")
    assert refused["code"] == "game/host_paused"
    assert (await host.request({"t": "act", "a": "resume_all"}))["t"] == "ack"
    assert (await drawer.table.act("draw"))["t"] == "ack"


async def test_mixer_pairs_everyone_and_a_late_guest_waits_then_pairs(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    await host.request({"t": "act", "a": "set_mixer", "on": True})
    guests = [await join(srv.ws_url, code, f"G{i}") for i in range(5)]
    assert (await host.request({"t": "act", "a": "mix"}))["t"] == "ack"
    await asyncio.sleep(0.2)
    view = current(host)
    assert len(view["tables"]) == 2
    alone = [g for g in guests if view["guests"][g.id]["table"] is None]
    assert len(alone) == 1 and view["guests"][alone[0].id]["looking"]
    late = await join(srv.ws_url, code, "Late")  # paired on arrival with the one alone
    await late.sit(srv.ws_url)
    await alone[0].sit(srv.ws_url)


async def test_deck_upload_valid_and_invalid_and_only_with_the_host_token(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code, token = created["code"], created["host_token"]
    path = f"/api/parties/{code}/deck"
    deck = json.loads((ROOT / "decks/builtin/closer.json").read_text(encoding="utf-8"))
    deck["id"] = "our-own"
    async with httpx.AsyncClient(base_url=srv.url) as http:
        auth = {"Authorization": f"Bearer {token}"}
        r = await http.post(path, content=json.dumps(deck), headers={"Authorization": "Bearer x"})
        assert r.status_code == 403
        r = await http.post(path, content=b'{"id": 5}', headers=auth)
        assert r.status_code == 400 and r.json()["error"] == "deck/invalid"
        assert r.json()["problems"] and "code" in r.json()["problems"][0]
        r = await http.post(path, content=b" " * (1024 * 1024 + 1), headers=auth)
        assert r.status_code == 413
        r = await http.post(path, content=json.dumps(deck), headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["deck"] == f"{code}~our-own"
        listed = (await http.get("/api/decks")).json()
        assert all(d["id"] != r.json()["deck"] for d in listed)  # never public


async def test_host_reclaims_the_console_after_closing_it(memory_server: InProcessServer) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    await host.close()
    await join(srv.ws_url, code, "Ana")
    again, snapshot = await console(srv.ws_url, code, "host", created["host_token"])
    assert [g["name"] for g in snapshot["view"]["guests"].values()] == ["Ana"]
    assert (await again.request({"t": "act", "a": "lock", "on": True}))["t"] == "ack"
    late = await Client.connect(party_url(srv.ws_url))
    reply = await late.request({**HELLO, "party": code, "role": "guest", "name": "Late"})
    assert reply["code"] == "party/locked"


async def test_handing_the_host_role_to_a_co_host_ends_the_old_console(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    ana = await join(srv.ws_url, code, "Ana")
    assert (await host.request({"t": "act", "a": "hand_host", "guest": ana.id}))["t"] == "ack"
    assert await host.close_code() == 4001
    claimed = await ana.client.request({"t": "claim_host"})
    assert claimed["t"] == "host_token"
    new_host, _ = await console(srv.ws_url, code, "host", claimed["token"])
    assert (await new_host.request({"t": "act", "a": "pause_all"}))["t"] == "ack"
    old = await Client.connect(party_url(srv.ws_url))
    reply = await old.request({**HELLO, "party": code, "role": "host",
                               "token": created["host_token"]})  # fmt: skip
    assert reply["code"] == "join/failed"


async def test_removing_a_guest_closes_their_socket_and_their_table(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    ana, bo = await join(srv.ws_url, code, "Ana"), await join(srv.ws_url, code, "Bo")
    await ana.act("look_for_partner")
    await bo.act("look_for_partner")
    await ana.sit(srv.ws_url)
    assert (await host.request({"t": "act", "a": "remove_guest", "guest": ana.id}))["t"] == "ack"
    assert await ana.client.close_code() == 4002
    assert ana.table is not None and await ana.table.close_code() == 4002
    msg = await bo.client.expect(lambda m: m.get("t") == "party" and m["view"]["table"] is None)
    assert msg["view"]["you"]["looking"] is True


async def test_a_timed_round_reaches_the_tables_as_time_for_a_new_card(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    ana, bo = await join(srv.ws_url, code, "Ana"), await join(srv.ws_url, code, "Bo")
    await ana.act("look_for_partner")
    await bo.act("look_for_partner")
    await ana.sit(srv.ws_url)
    await host.request({"t": "act", "a": "set_rounds", "seconds": 10})
    assert (await host.request({"t": "act", "a": "start_round"}))["t"] == "ack"
    parties = srv.app.state.parties  # type: ignore[attr-defined]
    fired = await parties.tick(code)  # as the timer would at the deadline (time moved on)
    assert fired is False  # not due yet: nothing fired
    parties.clock = lambda: 10**10
    assert await parties.tick(code) is True
    assert await parties.tick(code) is False  # a second process ticking: harmless
    assert ana.table is not None
    msg = await ana.table.expect(
        lambda m: m.get("t") == "state" and m["view"]["notice"] == "time_for_new_card"
    )
    assert msg["view"]["new_card_due"] is True


async def test_the_host_pairs_two_guests_by_hand_over_the_wire(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    ana, bo = await join(srv.ws_url, code, "Ana"), await join(srv.ws_url, code, "Bo")
    reply = await host.request({"t": "act", "a": "pair_guests", "first": bo.id, "second": ana.id})
    assert reply["t"] == "ack", reply
    state = await bo.sit(srv.ws_url)
    assert state["view"]["you"] == 0 and bo.seat == 0
    bad = await host.request({"t": "act", "a": "pair_guests", "first": ana.id, "extra": 1})
    assert bad["code"] == "protocol/bad_field"


async def test_lowering_the_cap_reaches_the_tables(memory_server: InProcessServer) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    ana, bo = await join(srv.ws_url, code, "Ana"), await join(srv.ws_url, code, "Bo")
    await ana.act("look_for_partner")
    await bo.act("look_for_partner")
    await ana.sit(srv.ws_url)
    assert (await host.request({"t": "act", "a": "set_level_cap", "cap": 0}))["t"] == "ack"
    assert ana.table is not None
    msg = await ana.table.expect(lambda m: m.get("t") == "state" and m["view"]["level_cap"] == 0)
    assert "propose_deeper" not in msg["view"]["legal"]
    bad = await host.request({"t": "act", "a": "set_level_cap", "cap": 9})
    assert bad["code"] == "party/bad_cap"


async def test_two_processes_ticking_the_same_deadline_fire_it_once(redis_url: str) -> None:
    """Two party services on one Redis stand for two server processes."""
    decks = load_decks()
    stores = [from_url(redis_url), from_url(redis_url)]
    now = [1000.0]
    services = [Service(s, decks, Settings(redis_url=redis_url)) for s in stores]
    parties = [PartyService(svc, clock=lambda: now[0]) for svc in services]
    try:
        code = (await parties[0].create("closer")).code
        for name in ("Ana", "Bo", "Cy", "Di"):
            await parties[0].join(code, name, "en")
        await parties[0].change(code, p.HOST, p.Mix())
        await parties[1].change(code, p.HOST, p.SetRounds(30))
        await parties[1].change(code, p.HOST, p.StartRound())
        before = await parties[0].load(code)
        assert before is not None and before.round_deadline == 1030.0
        rooms = [table_room(code, t.id) for t in before.tables]
        versions = [(await services[0].load(r)).room.version for r in rooms]  # type: ignore[union-attr]
        now[0] = 1031.0
        fired = await asyncio.gather(parties[0].tick(code), parties[1].tick(code))
        assert sorted(fired) == [False, True]
        # the loser ticks the tables as well, in case the winner died meanwhile: harmless
        await parties[0].tick_tables(code, before)
        for room_id, version in zip(rooms, versions, strict=True):
            state = await services[1].load(room_id)
            assert state is not None and state.room.new_card_due
            assert state.room.version == version + 1  # one tick applied, not two
    finally:
        for store in stores:
            await store.close()


async def test_a_pause_waits_for_a_table_still_opening_before_it_is_acked() -> None:
    service = Service(MemoryStore(), load_decks(), Settings())
    parties = PartyService(service)
    code = (await parties.create("closer")).code
    for name in ("Ana", "Bo"):
        await parties.join(code, name, "en")
    # the pairing is committed, but its table's room is not created yet (as while
    # another request is still opening it)
    paired = await parties._commit(code, p.HOST, p.PairGuests("g1", "g2"), None)
    pausing = asyncio.create_task(parties.change(code, p.HOST, p.PauseAll()))
    await asyncio.sleep(0.2)
    assert not pausing.done()  # the ack waits for the table
    await parties.open_table(code, paired.party, "t1")
    await asyncio.wait_for(pausing, 5)
    state = await service.load(table_room(code, "t1"))
    assert state is not None and state.room.host_paused


async def test_a_process_started_after_an_upload_fetches_the_deck_on_first_need(
    redis_url: str,
) -> None:
    deck = json.loads((ROOT / "decks/builtin/closer.json").read_text(encoding="utf-8"))
    deck["id"] = "late-comer"
    decks = load_decks()
    stores = [from_url(redis_url), from_url(redis_url)]
    services = [Service(s, decks, Settings(redis_url=redis_url)) for s in stores]
    first = PartyService(services[0])
    try:
        code = (await first.create("closer")).code
        uploaded = await first.upload_deck(code, json.dumps(deck).encode())
        assert not isinstance(uploaded, DeckRejected)
        for name in ("Ana", "Bo"):
            await first.join(code, name, "en")
        await first.change(code, p.HOST, p.Mix())
        later = PartyService(services[1])  # never saw the party
        with pytest.raises(GameError):
            await services[1].load(table_room(code, "t1"))
        for _ in range(50):
            if uploaded.id in later.decks:
                break
            await asyncio.sleep(0.02)
        state = await services[1].load(table_room(code, "t1"))  # a retry finds it
        assert state is not None and state.room.deck.id == uploaded.id
    finally:
        for store in stores:
            await store.close()


async def test_repairing_everyone_moves_each_guest_to_a_new_table(
    memory_server: InProcessServer,
) -> None:
    srv = memory_server
    created = await create_party(srv.url)
    code = created["code"]
    host, _ = await console(srv.ws_url, code, "host", created["host_token"])
    await host.request({"t": "act", "a": "set_mixer", "on": True})
    guests = [await join(srv.ws_url, code, f"G{i}") for i in range(4)]
    assert (await host.request({"t": "act", "a": "mix"}))["t"] == "ack"
    for g in guests:
        await g.sit(srv.ws_url)
    old = [g.table for g in guests]
    assert (await host.request({"t": "act", "a": "mix", "everyone": True}))["t"] == "ack"
    for g, table in zip(guests, old, strict=True):
        assert table is not None and await table.close_code() == 4002  # the old room is gone
        msg = await g.client.expect(
            lambda m: m.get("t") == "party" and (m["view"]["table"] or {}).get("id") in ("t3", "t4")
        )
        assert msg["view"]["table"]["partner"]


async def test_the_hosts_table_summaries_come_from_the_commits_own_state_not_a_load(
    memory_server: InProcessServer,
) -> None:
    created = await create_party(memory_server.url)
    code = created["code"]
    host, _ = await console(memory_server.ws_url, code, "host", created["host_token"])
    ana = await join(memory_server.ws_url, code, "Ana")
    bo = await join(memory_server.ws_url, code, "Bo")
    await ana.act("make_pair_code")
    msg = await ana.client.expect(lambda m: m.get("t") == "party" and m["view"]["you"]["pair_code"])
    await bo.act("enter_pair_code", code=msg["view"]["you"]["pair_code"])
    state_a = await ana.sit(memory_server.ws_url)
    await bo.sit(memory_server.ws_url)
    await asyncio.sleep(0.3)  # binding loads once per seat; let that settle first
    store = memory_server.app.state.service.store  # type: ignore[attr-defined]
    loads: list[str] = []
    load = store.load

    async def counted(room_id: str) -> object:
        loads.append(room_id)
        return await load(room_id)

    store.load = counted
    drawer = ana if state_a["view"]["speaker"] == ana.seat else bo
    assert drawer.table is not None
    assert (await drawer.table.act("draw"))["t"] == "ack"
    for _ in range(50):
        (table,) = current(host)["tables"].values()
        if table["stage"] == "playing":
            break
        await asyncio.sleep(0.05)
    assert table["stage"] == "playing"
    assert [r for r in loads if "/" in r] == []  # no table room was read back
