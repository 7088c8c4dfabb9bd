"""A couple's own deck over HTTP (issue 21), on the in-process store and on Redis: the
validator's problems with line and column; over 64 KiB or 200 cards a typed error with
nothing stored; the partner accepts before a card is dealt; the deck lives only inside
its room (gone with "delete our room now" and with the TTL) and never reaches another
room; uploads are limited per address."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from server.rooms.own_deck import MAX_BYTES, MAX_CARDS
from tests.server.client import pair
from tests.support.servers import InProcessServer

MARK = "Our-own-marker"


@pytest.fixture
async def server(store_url: str) -> AsyncIterator[InProcessServer]:
    """Rooms that take plain texts (SEALED_TEXTS off), so a deck file goes up as it is
    written; a sealed room's deck (its texts sealed): tests/server/test_own_deck_sealed.py."""
    async with InProcessServer(redis_url=store_url, sealed_texts=False) as srv:
        yield srv


def our_deck(cards: int = 4, *, pad: int = 0) -> dict[str, Any]:
    return {
        "id": "our-questions", "version": "1.0.0", "title": {"en": f"{MARK} <b>deck</b>"},
        "description": {"en": "Questions of our own."}, "default_language": "en",
        "languages": ["en"], "authors": ["Us"], "license": "CC0-1.0", "age_rating": "all",
        "levels": [{"id": "ours", "name": {"en": "Ours"}, "description": {"en": ""}}],
        "cards": [{"id": f"q{i}", "level": "ours", "kind": "question", "mode": "one",
                   "text": {"en": f"Our question {i}?" + " " * pad}} for i in range(cards)],
    }  # fmt: skip


async def upload(srv: InProcessServer, room: str, token: str, body: bytes | str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=srv.url) as http:
        return await http.post(f"/api/rooms/{room}/deck", content=body,
                               headers={"authorization": f"Bearer {token}"})  # fmt: skip


async def stored(srv: InProcessServer, room: str) -> bytes | None:
    snap = await srv.app.state.service.store.load(room)  # type: ignore[attr-defined]
    return None if snap is None else bytes(snap.blob)


async def test_an_uploaded_deck_is_accepted_by_the_partner_and_played(
    server: InProcessServer,
) -> None:
    p = await pair(server.url, server.ws_url)
    r = await upload(server, p.code, p.a.token, json.dumps(our_deck()))
    assert r.status_code == 200, r.text
    view = (await p.b.client.state(r.json()["version"]))["view"]
    assert view["own_deck"]["title"] == f"{MARK} <b>deck</b>" and view["own_deck"]["cards"] == 4
    assert view["deck"]["id"] == "closer" and "accept_deck" in view["legal"]
    accepted = await p.b.client.act("accept_deck")
    view = (await p.a.client.state(accepted["version"]))["view"]
    assert view["deck"]["id"] == "~own" and view["deck"]["title"].startswith(MARK)
    assert MARK.encode() in (await stored(server, p.code) or b"")
    await p.a.client.act("ready")
    await p.b.client.act("ready")
    drawn = await p.a.client.act("draw")
    view = (await p.a.client.state(drawn["version"]))["view"]
    assert view["card"]["text"].startswith("Our question")
    # another room's seat can neither add to this room nor see its deck
    other = await pair(server.url, server.ws_url)
    assert (await upload(server, p.code, other.a.token, json.dumps(our_deck()))).status_code == 403
    assert other.a.client.last("state")["view"]["own_deck"] is None
    assert MARK.encode() not in (await stored(server, other.code) or b"")
    await p.a.client.request({"t": "delete_room"})
    assert await stored(server, p.code) is None  # the deck went with the room
    r = await upload(server, p.code, p.a.token, json.dumps(our_deck()))
    assert (r.status_code, r.json()) == (403, {"error": "join/failed"})  # no such room now


async def test_past_its_bounds_a_deck_is_refused_with_a_typed_error_and_nothing_stored(
    server: InProcessServer,
) -> None:
    p = await pair(server.url, server.ws_url)
    before = await stored(server, p.code)
    big = json.dumps(our_deck(cards=150, pad=400))
    assert len(big.encode()) > MAX_BYTES
    r = await upload(server, p.code, p.a.token, big)
    assert (r.status_code, r.json()) == (413, {"error": "deck/too_large"})
    r = await upload(server, p.code, p.a.token, json.dumps(our_deck(cards=MAX_CARDS + 1)))
    assert (r.status_code, r.json()) == (400, {"error": "deck/too_many_cards"})
    broken = json.dumps(our_deck(), indent=1).replace('"mode": "one"', '"mode": "uno"', 1)
    r = await upload(server, p.code, p.b.token, broken)
    assert r.status_code == 400 and r.json()["error"] == "deck/invalid"
    problem = r.json()["problems"][0]
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if '"uno"' in text)
    assert problem["line"] == line and problem["column"] > 1 and "uno" in problem["message"]
    assert await stored(server, p.code) == before  # nothing of any of them was kept
    r = await upload(server, p.code, "not-a-token", json.dumps(our_deck()))
    assert (r.status_code, r.json()) == (403, {"error": "join/failed"})


async def test_a_couples_deck_goes_with_the_rooms_ttl(store_url: str) -> None:
    async with InProcessServer(redis_url=store_url, room_ttl=0.5, sealed_texts=False) as srv:
        p = await pair(srv.url, srv.ws_url)
        assert (await upload(srv, p.code, p.a.token, json.dumps(our_deck()))).status_code == 200
        assert MARK.encode() in (await stored(srv, p.code) or b"")
        await asyncio.sleep(0.7)
        assert await stored(srv, p.code) is None


async def test_uploads_are_limited_per_address() -> None:
    async with InProcessServer(upload_burst=2, upload_rate=0.001, sealed_texts=False) as srv:
        p = await pair(srv.url, srv.ws_url)
        codes = [(await upload(srv, p.code, p.a.token, "{}")).status_code for _ in range(3)]
        assert codes == [400, 400, 429]


async def test_the_topic_vocabulary_is_listed_for_the_editor(
    memory_server: InProcessServer,
) -> None:
    async with httpx.AsyncClient(base_url=memory_server.url) as http:
        topics = (await http.get("/api/topics")).json()
    money = next(t for t in topics if t["id"] == "money")
    assert set(money) == {"id", "label"} and money["label"]["de"]
