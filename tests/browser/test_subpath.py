"""Closeknit under a path prefix, behind Debian's nginx rendered from the deployment
template with CK_PATH=/closeknit and PUBLIC_URL=http://127.0.0.1:PORT/closeknit: the
pages, their assets, the API and both WebSockets work there, and the browser never asks
for an address outside the prefix (the client's addresses are all relative)."""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request

from tests.bench.conftest import Nginx, load_render, require_binary, start_nginx, stop_nginx
from tests.browser.conftest import Phones
from tests.browser.phone import Phone, in_sync
from tests.support.servers import ServerProcess, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PREFIX = "/closeknit"


@pytest.fixture(scope="module")
def prefixed(client_dist: Path) -> Iterator[tuple[Nginx, ServerProcess]]:
    run_dir = Path(tempfile.mkdtemp(prefix="ck-nginx-prefix-"))
    run_dir.chmod(0o755)
    server = ServerProcess(port=free_port())
    front = start_nginx(require_binary("nginx", "/usr/sbin/nginx"), load_render(), run_dir,
                        [server.port], path=PREFIX)  # fmt: skip
    server.env |= {
        "PUBLIC_URL": f"http://127.0.0.1:{front.port}{PREFIX}",
        "TRUSTED_PROXIES": "127.0.0.1",
        "CLIENT_DIR": str(client_dist),
        "LOG_LEVEL": "warning",
    }
    try:
        server.start()
        yield front, server
    finally:
        server.stop()
        server.cleanup()
        stop_nginx(front)
        shutil.rmtree(run_dir, ignore_errors=True)


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_behind_nginx_the_api_lives_under_the_prefix_and_metrics_are_not_proxied(
    prefixed: tuple[Nginx, ServerProcess],
) -> None:
    front, _ = prefixed
    assert status(f"{front.http}{PREFIX}/api/decks") == 200
    assert status(f"{front.http}{PREFIX}/assets/app.js") == 200
    assert status(f"{front.http}/api/decks") == 404  # nothing outside the prefix
    assert status(f"{front.http}{PREFIX}/metrics") == 404


def watch(phone: Phone, asked: list[str]) -> None:
    def seen(request: Request) -> None:
        asked.append(request.url)

    phone.page.on("request", seen)
    phone.page.on("websocket", lambda ws: asked.append(ws.url))


def test_a_couple_and_a_party_host_play_under_the_prefix(
    browser: Browser, prefixed: tuple[Nginx, ServerProcess]
) -> None:
    front, _ = prefixed
    site = f"{front.http}{PREFIX}/"
    phones = Phones(browser, site)
    asked: list[str] = []
    try:
        ana, bo, host = phones.open("ana"), phones.open("bo"), phones.open("host")
        for phone in (ana, bo, host):
            watch(phone, asked)
        ana.goto(f"{front.http}{PREFIX}")  # without the slash: redirected to it
        page = ana.page
        page.wait_for_selector('[data-ui="create"]:not([disabled])')
        assert page.url == site
        page.fill("#create-name", "Ana")
        page.click('[data-ui="create"]')
        ana.wait_screen("lobby")
        link = page.input_value('[data-ui="invite-link"]')
        assert link.startswith(f"{site}#join="), link
        bo.goto(link)
        bo.wait_screen("join-invite")
        bo.page.fill("#invite-name", "Bo")
        bo.page.click('[data-ui="join-invite"]')
        bo.wait_screen("lobby")
        ana.act("ready")
        bo.act("ready")
        in_sync(ana, bo)
        ana.wait('v.phase === "between"')
        ana.shot("subpath-couple-between")
        host.goto(f"{site}party")
        host.wait_screen("party-start")
        host.page.click('[data-ui="create-party"]')
        host.wait_screen("party-host")
        party_link = host.page.locator('[data-ui="party-link"]').inner_text()
        assert party_link.startswith(f"{site}party#join="), party_link
        display = host.page.locator('[data-ui="display-link"]').get_attribute("href") or ""
        assert display.startswith(f"{site}party#display="), display  # the big screen's too
        host.shot("subpath-party-host")
        assert [p.errors for p in (ana, bo, host)] == [[], [], []]
    finally:
        phones.close()
    origin = front.http.replace("http://", "")
    outside = [u for u in asked if origin in u and f"{origin}{PREFIX}" not in u]
    assert outside == []
    assert any(u.startswith(f"ws://{origin}{PREFIX}/ws") for u in asked)
    assert any(u.startswith(f"ws://{origin}{PREFIX}/ws/party") for u in asked)
