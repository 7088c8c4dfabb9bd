"""Creating a room with what a device remembers (issue 21): the played ids are bounded,
refused with a typed error past the bounds, and deal new cards first, on either store."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from server.rooms.checks import MAX_PLAYED, MAX_PLAYED_ID
from tests.server.client import pair
from tests.support.servers import InProcessServer

CLOSER = json.loads((Path(__file__).parents[2] / "decks/builtin/closer.json").read_text())
WARMUP = [c["id"] for c in CLOSER["cards"] if c.get("level") == "warmup"]


async def test_a_remembered_deck_deals_the_one_new_card_first(server: InProcessServer) -> None:
    fresh, played = WARMUP[0], [*WARMUP[1:], "not-in-this-deck"]
    p = await pair(server.url, server.ws_url, played=played)
    lobby = p.b.client.last("state")["view"]
    assert lobby["played_through"] is None and lobby["played"] == {"completed": [], "skipped": []}
    await p.a.client.act("ready")
    await p.b.client.act("ready")
    drawn = await p.a.client.act("draw")
    view = (await p.a.client.state(drawn["version"]))["view"]
    assert view["card"]["id"] == fresh
    assert view["played_through"] == "level"  # every other warm-up card was played before
    skipped = await p.a.client.act("skip")
    view = (await p.b.client.state(skipped["version"]))["view"]
    assert view["played"] == {"completed": [], "skipped": [fresh]}
    drawn = await p.a.client.act("draw")
    view = (await p.a.client.state(drawn["version"]))["view"]
    assert view["card"]["id"] in played  # the deck comes round again


async def test_played_ids_past_their_bounds_are_refused_with_a_typed_error(
    memory_server: InProcessServer,
) -> None:
    async with httpx.AsyncClient(base_url=memory_server.url) as http:

        async def create(played: object) -> httpx.Response:
            body = {"deck": "closer", "settings": {"played": played}}
            return await http.post("/api/rooms", json=body)

        assert (await create(WARMUP)).status_code == 201
        r = await create([f"c{i}" for i in range(MAX_PLAYED + 1)])
        assert (r.status_code, r.json()) == (400, {"error": "create/played_too_many"})
        for bad in ("x" * (MAX_PLAYED_ID + 1), ""):
            r = await create(["w03", bad])
            assert (r.status_code, r.json()) == (400, {"error": "create/played_bad_id"})
        for shape in ("w03", [3], {"w03": 1}):
            r = await create(shape)
            assert (r.status_code, r.json()) == (400, {"error": "request/invalid"})
