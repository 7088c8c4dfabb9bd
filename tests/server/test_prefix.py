"""PUBLIC_URL with a path: the app routes /closeknit/... as /... (a proxy that passes
the prefix on), still routes /... (one that strips it), redirects the bare prefix to its
slash, and puts the prefix into the links it makes."""

from __future__ import annotations

import httpx

from server.http.app import path_prefix
from tests.server.client import Client, hello_resume, split_invite
from tests.support.servers import InProcessServer


def test_the_prefix_comes_from_public_url() -> None:
    assert path_prefix("https://example.org/closeknit/") == "/closeknit"
    assert path_prefix("https://example.org/") == ""
    assert path_prefix("") == ""


async def test_pages_api_and_sockets_answer_under_the_prefix(ws_direct: bool) -> None:
    async with InProcessServer(
        public_url="https://ck.example/closeknit", ws_direct=ws_direct
    ) as srv:
        # the Host a proxy for https://ck.example passes on (only that host is served)
        host = {"Host": "ck.example"}
        async with httpx.AsyncClient(base_url=srv.url, headers=host) as http:
            bare = await http.get("/closeknit")
            assert (bare.status_code, bare.headers["location"]) == (308, "/closeknit/")
            assert (await http.get("/closeknit/")).status_code == 200
            assert (await http.get("/closeknit/party")).status_code == 200
            assert (await http.get("/closeknit/api/decks")).status_code == 200
            assert (await http.get("/api/decks")).status_code == 200  # a stripping proxy
            assert (await http.get("/closeknitx/api/decks")).status_code == 404
            created = (await http.post("/closeknit/api/rooms", json={"deck": "closer"})).json()
            party = (await http.post("/closeknit/api/parties", json={"deck": "closer"})).json()
        assert created["invite_url"].startswith("https://ck.example/closeknit/#join=")
        assert party["join_url"].startswith("https://ck.example/closeknit/party#join=")
        code, _ = split_invite(created["invite_url"])
        client = await Client.connect(
            srv.ws_url.replace("/ws", "/closeknit/ws"), additional_headers=host
        )
        welcome = await client.request(hello_resume(code, created["token"]))
        assert welcome["t"] == "welcome"
        await client.close()


async def test_without_public_url_links_use_the_address_the_request_came_to() -> None:
    async with InProcessServer() as srv, httpx.AsyncClient(base_url=srv.url) as http:
        created = (await http.post("/api/rooms", json={"deck": "closer"})).json()
    assert created["invite_url"].startswith(f"{srv.url}/#join=")
