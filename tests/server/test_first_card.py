"""``POST /api/rooms`` with ``settings.first_card``: the live room a daily space opens for
"let's talk about this tonight" deals that card first, on either store; a card the deck
does not deal is refused with a clear code and no room is made."""

from __future__ import annotations

import httpx

from tests.server.client import pair
from tests.support.servers import InProcessServer

DEEP = "v47"  # a card of the closer deck's deepest level: never dealt first by chance


async def test_the_asked_card_is_the_first_one_drawn(server: InProcessServer) -> None:
    p = await pair(server.url, server.ws_url, first_card=DEEP)
    await p.a.client.act("ready")
    ack = await p.b.client.act("ready")
    await p.a.client.state(ack["version"])
    drawer = p.a if "draw" in p.a.client.last("state")["view"]["legal"] else p.b
    ack = await drawer.client.act("draw")
    assert ack["t"] == "ack", ack
    for seat in (p.a, p.b):
        view = (await seat.client.state(ack["version"]))["view"]
        assert view["card"]["id"] == DEEP
        assert view["level"] == 0  # the room's depth is still the couple's to raise


async def test_a_card_the_deck_does_not_deal_is_refused(memory_server: InProcessServer) -> None:
    async with httpx.AsyncClient(base_url=memory_server.url) as http:
        for asked in ("nope", "closing"):  # no such card; the closing card ends a game
            body = {"deck": "closer", "settings": {"first_card": asked}}
            r = await http.post("/api/rooms", json=body)
            assert (r.status_code, r.json()) == (400, {"error": "lobby/unknown_card"}), asked
        r = await http.post("/api/rooms", json={"deck": "closer", "settings": {"first_card": 5}})
        assert (r.status_code, r.json()) == (400, {"error": "request/invalid"})
        store = memory_server.app.state.service.store  # type: ignore[attr-defined]
        rooms = await store.room_count()
    assert rooms == 0
