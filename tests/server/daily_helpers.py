"""Two partners in a daily space over real sockets (``/ws/daily``), for the daily tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.server.client import JSON, Client, split_invite

V = "1.1"


@dataclass
class Partners:
    code: str
    invite: str
    ana: Client
    bo: Client
    tokens: tuple[str, str]


async def create_space(base_url: str, deck: str = "closer", **settings: Any) -> dict[str, Any]:
    body = {"name": "Ana", "language": "en", "tz": "Europe/Berlin", "day_start": 4, **settings}
    async with httpx.AsyncClient(base_url=base_url) as http:
        r = await http.post("/api/rooms", json={"deck": deck, "kind": "daily", "settings": body})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def daily_url(ws_url: str) -> str:
    return ws_url.rstrip("/") + "/daily" if ws_url.endswith("/ws") else ws_url


async def resume(ws_url: str, code: str, token: str, subprotocol: str = JSON) -> Client:
    client = await Client.connect(daily_url(ws_url), subprotocol)
    welcome = await client.request({"t": "hello", "v": V, "room": code, "token": token})
    assert welcome["t"] == "welcome", welcome
    await client.state()
    return client


async def partners(
    ana_url: str, bo_url: str | None = None, *, http_url: str, **settings: Any
) -> Partners:
    """Ana creates (on ``ana_url``'s instance), Bo joins with the invite (on ``bo_url``)."""
    created = await create_space(http_url, **settings)
    code, invite = split_invite(created["invite_url"])
    ana = await resume(ana_url, code, created["token"])
    bo = await Client.connect(daily_url(bo_url or ana_url), JSON)
    hello = {"t": "hello", "v": V, "room": code, "invite": invite, "name": "Bo", "language": "de"}
    welcome = await bo.request(hello)
    assert welcome["t"] == "welcome" and welcome["kind"] == "daily", welcome
    await bo.state()
    return Partners(code, invite, ana, bo, (created["token"], welcome["token"]))


def newest(client: Client) -> dict[str, Any]:
    states = [m for m in client.messages if m.get("t") == "state"]
    return max(states, key=lambda m: m["version"])["view"]  # type: ignore[no-any-return]
