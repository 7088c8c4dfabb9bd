"""Response headers for browsers: the Permissions-Policy allows exactly what the client
uses, for the site itself; HSTS is sent over https and never over plain http."""

from __future__ import annotations

import httpx

from server.http.app import create_app
from server.settings import Settings
from tests.support.servers import InProcessServer

ALLOWED = {"screen-wake-lock", "web-share", "clipboard-write"}
DENIED = {"camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth",
          "interest-cohort"}  # fmt: skip


def policy(header: str) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in header.split(","))


async def test_permissions_policy_allows_exactly_wake_lock_share_and_clipboard_for_self() -> None:
    async with InProcessServer() as srv, httpx.AsyncClient(base_url=srv.url) as http:
        for path in ("/", "/party", "/api/decks", "/healthz"):
            rules = policy((await http.get(path)).headers["permissions-policy"])
            assert {k for k, v in rules.items() if v == "(self)"} == ALLOWED, path
            assert {k for k, v in rules.items() if v == "()"} == DENIED, path
            assert set(rules) == ALLOWED | DENIED


async def test_hsts_only_over_https_or_from_a_trusted_proxy_that_says_https() -> None:
    settings = Settings(trusted_proxies=("127.0.0.1",))
    async with InProcessServer(settings) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        plain = await http.get("/")
        assert "strict-transport-security" not in plain.headers
        proxied = await http.get("/", headers={"X-Forwarded-Proto": "https"})
        assert proxied.headers["strict-transport-security"].startswith("max-age=")
    async with InProcessServer() as srv, httpx.AsyncClient(base_url=srv.url) as http:
        # a client's own X-Forwarded-Proto is not a proxy's word
        forged = await http.get("/", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in forged.headers


async def test_hsts_when_the_server_itself_speaks_https() -> None:
    app = create_app(Settings())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://ck.test") as http:
        secure = await http.get("/healthz")
    async with httpx.AsyncClient(transport=transport, base_url="http://ck.test") as http:
        plain = await http.get("/healthz")
    assert "strict-transport-security" in secure.headers
    assert "strict-transport-security" not in plain.headers


async def test_behind_a_tls_proxy_links_are_https_only_when_a_trusted_proxy_says_so() -> None:
    body, says_https = {"deck": "closer"}, {"X-Forwarded-Proto": "https"}
    for trusted, scheme in (("127.0.0.1",), "https"), ((), "http"):
        async with (
            InProcessServer(trusted_proxies=trusted) as srv,
            httpx.AsyncClient(base_url=srv.url) as http,
        ):
            room = (await http.post("/api/rooms", json=body, headers=says_https)).json()
            party = (await http.post("/api/parties", json=body, headers=says_https)).json()
        assert room["invite_url"].startswith(f"{scheme}://127.0.0.1:{srv.port}/#join=")
        assert party["join_url"].startswith(f"{scheme}://127.0.0.1:{srv.port}/party#join=")
