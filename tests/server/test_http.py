"""The HTTP side: decks, room creation, health, readiness, metrics, headers."""

from __future__ import annotations

import httpx

from server.tokens import CODE_ALPHABET
from tests.server.client import create_room, pair, split_invite
from tests.support.servers import InProcessServer, free_port


async def test_decks_are_listed_with_levels_tags_languages_and_counts(
    memory_server: InProcessServer,
) -> None:
    async with httpx.AsyncClient(base_url=memory_server.url) as http:
        decks = (await http.get("/api/decks")).json()
        closer = next(d for d in decks if d["id"] == "closer")
        assert closer["languages"] and closer["levels"] and closer["tags"]
        assert sum(closer["cards"]) > 30 and closer["has_closing"] is True
        one = await http.get("/api/decks/closer")
        assert one.json() == closer
        missing = await http.get("/api/decks/nope")
        assert missing.status_code == 404 and missing.json() == {"error": "lobby/unknown_deck"}


async def test_creating_a_room_returns_a_code_an_invite_link_and_a_token(
    memory_server: InProcessServer,
) -> None:
    created = await create_room(memory_server.url, name="Ana", language="de", light_mode=True)
    code, secret = split_invite(created["invite_url"])
    assert created["code"] == code and created["seat"] == 0
    assert len(code) >= 6 and set(code) <= set(CODE_ALPHABET)
    assert created["invite_url"].startswith(memory_server.url + "/#join=")
    assert len(secret) >= 22 and len(created["token"]) >= 22 and secret != created["token"]
    p = await pair(memory_server.url, memory_server.ws_url, name="Ana", light_mode=True)
    view = p.a.client.last("state")["view"]
    assert view["light_mode"] is True


async def test_room_creation_refuses_bad_bodies(memory_server: InProcessServer) -> None:
    bodies = [
        b"not json", b"[]", b'{"deck": 5}', b'{"deck": "closer", "settings": {"x": 1}}',
        b'{"deck": "closer", "settings": {"light_mode": "yes"}}',
        b'{"deck": "closer", "settings": {"name": 7}}', b"{" * 20_000,
    ]  # fmt: skip
    async with httpx.AsyncClient(base_url=memory_server.url) as http:
        for body in bodies:
            r = await http.post("/api/rooms", content=body)
            assert (r.status_code, r.json()) == (400, {"error": "request/invalid"}), body
        r = await http.post("/api/rooms", json={"deck": "nope"})
        assert (r.status_code, r.json()) == (400, {"error": "lobby/unknown_deck"})
        r = await http.post("/api/rooms", json={"deck": "closer", "settings": {"name": "a\x00"}})
        assert (r.status_code, r.json()["error"]) == (400, "name/invalid")


async def test_room_creation_is_rate_limited_per_address() -> None:
    async with InProcessServer(create_rate=0.001, create_burst=2) as srv:
        async with httpx.AsyncClient(base_url=srv.url) as http:
            codes = [
                (await http.post("/api/rooms", json={"deck": "closer"})).status_code
                for _ in range(4)
            ]
        assert codes == [201, 201, 429, 429]


async def test_forwarded_addresses_count_only_from_trusted_proxies() -> None:
    async with InProcessServer(create_rate=0.001, create_burst=1,
                               trusted_proxies=("127.0.0.1",)) as srv:  # fmt: skip
        async with httpx.AsyncClient(base_url=srv.url) as http:
            statuses = []
            for client in ("10.0.0.1", "10.0.0.2", "10.0.0.1"):
                r = await http.post("/api/rooms", json={"deck": "closer"},
                                    headers={"X-Forwarded-For": client})  # fmt: skip
                statuses.append(r.status_code)
        assert statuses == [201, 201, 429]
    async with InProcessServer(create_rate=0.001, create_burst=1) as srv:
        async with httpx.AsyncClient(base_url=srv.url) as http:
            statuses = []
            for client in ("10.0.0.1", "10.0.0.2"):
                r = await http.post("/api/rooms", json={"deck": "closer"},
                                    headers={"X-Forwarded-For": client})  # fmt: skip
                statuses.append(r.status_code)
        assert statuses == [201, 429]  # untrusted peer: its header is ignored


async def test_html_has_a_strict_content_security_policy(memory_server: InProcessServer) -> None:
    async with httpx.AsyncClient(base_url=memory_server.url) as http:
        r = await http.get("/")
        assert r.status_code == 200 and "text/html" in r.headers["content-type"]
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "object-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"


async def test_index_says_to_build_when_the_client_is_missing(tmp_path: object) -> None:
    async with InProcessServer(client_dir=str(tmp_path)) as srv:
        async with httpx.AsyncClient(base_url=srv.url) as http:
            r = await http.get("/")
        assert "make run" in r.text and "content-security-policy" in r.headers


async def test_health_and_readiness(server: InProcessServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        assert (await http.get("/healthz")).status_code == 200
        assert (await http.get("/readyz")).status_code == 200


async def test_another_sites_page_cannot_create_rooms() -> None:
    async with InProcessServer(public_url="https://closeknit.example") as srv:
        http = httpx.AsyncClient(base_url=srv.url)
        body = {"deck": "closer"}
        other = {"Origin": "https://x.test", "Host": "closeknit.example"}
        evil = await http.post("/api/rooms", json=body, headers=other)
        assert (evil.status_code, evil.json()) == (403, {"error": "request/origin"})
        public = {"Host": "closeknit.example", "Origin": "https://closeknit.example"}
        ok = await http.post("/api/rooms", json=body, headers=public)
        assert ok.status_code == 201
        same = await http.post("/api/rooms", json=body, headers={"Origin": srv.url})
        assert same.status_code == 400  # not the public host (tests/server/test_hardening.py)
        no_origin = {"Host": "closeknit.example"}  # not a browser
        assert (await http.post("/api/rooms", json=body, headers=no_origin)).status_code == 201
        await http.aclose()


async def test_room_creation_refuses_what_the_docs_refuse_and_creates_nothing() -> None:
    """An empty name, an unknown language and a 41-character name: 400 with the
    documented code, and no room is made (the count of created rooms stays)."""
    refused = [
        ({"name": ""}, "name/invalid"),
        ({"name": "   "}, "name/invalid"),
        ({"name": "n" * 41}, "name/invalid"),
        ({"language": "xx"}, "lobby/unknown_language"),
    ]
    port = free_port()
    async with InProcessServer(metrics_port=port) as srv, httpx.AsyncClient() as http:
        for opts, code in refused:
            body = {"deck": "closer", "settings": opts}
            r = await http.post(f"{srv.url}/api/rooms", json=body)
            assert (r.status_code, r.json()) == (400, {"error": code}), opts
        metrics = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
        assert "closeknit_rooms_created_total 0" in metrics, metrics[:2000]
