"""The installable client: a valid web app manifest with loadable 192 and 512 px icons
(maskable), and a service worker that takes over the page, keeps one cache named by
this build (an older build's cache is deleted), never touches the API or the sockets,
and shows the offline page (the game needs the server) when the server is gone.

This module runs its own server: one test stops it."""

from __future__ import annotations

import json
import re
import struct
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Response

from tests.browser.conftest import Phones
from tests.browser.flows import create_room
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.browser
# Before the page's own script: a cache as an older build left it, and one of another
# Closeknit under another path prefix of the same site (which must be left alone).
OLD_CACHES_JS = """caches.open('closeknit:/:0000000000000000');
caches.open('closeknit:/other/:0000000000000000');"""


@pytest.fixture(scope="module")
def own_server(client_dist: Path) -> Iterator[ServerProcess]:
    server = ServerProcess({"CLIENT_DIR": str(client_dist), "LOG_LEVEL": "warning"})
    server.start()
    yield server
    server.stop()
    server.cleanup()


@pytest.fixture
def own_phones(browser: Browser, own_server: ServerProcess) -> Iterator[Phones]:
    opened = Phones(browser, own_server.url)
    yield opened
    opened.close()


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.headers["Content-Type"], response.read()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def build_of(client_dist: Path) -> str:
    """The build's hash, as web-client/pwa.mjs wrote it into sw.js (one 16-hex string)."""
    found = set(re.findall(r'"([0-9a-f]{16})"', (client_dist / "sw.js").read_text()))
    assert len(found) == 1, found
    return found.pop()


def test_the_manifest_is_valid_and_its_icons_load(
    own_server: ServerProcess, own_phones: Phones
) -> None:
    ctype, body = fetch(own_server.url + "/manifest.webmanifest")
    assert ctype.startswith("application/manifest+json")
    manifest = json.loads(body)
    assert manifest["name"] == "Closeknit" and manifest["short_name"]
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "./" and manifest["scope"] == "./"  # prefix-proof
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    sizes: dict[str, set[str]] = {}
    for icon in manifest["icons"]:
        ctype, data = fetch(f"{own_server.url}/{icon['src']}")
        assert ctype == "image/png"
        width, height = png_size(data)
        assert icon["sizes"] == f"{width}x{height}"
        sizes.setdefault(icon["sizes"], set()).update(icon["purpose"].split())
    assert sizes["192x192"] >= {"any", "maskable"} and sizes["512x512"] >= {"any", "maskable"}
    # Chromium's own reading of it, from the page that links it.
    phone = own_phones.open("ana")
    phone.goto("/")
    phone.page.wait_for_selector('[data-ui="create"]:not([disabled])')
    cdp = phone.context.new_cdp_session(phone.page)
    read = cdp.send("Page.getAppManifest")
    assert read["url"] == own_server.url + "/manifest.webmanifest"
    assert read["errors"] == []
    themes = phone.page.eval_on_selector_all(
        'meta[name="theme-color"]', "els => els.map(e => e.media)"
    )
    assert sorted(themes) == ["(prefers-color-scheme: dark)", "(prefers-color-scheme: light)"]
    assert not phone.errors, phone.errors


def test_the_worker_keeps_to_the_shell_and_shows_the_offline_page_without_a_server(
    own_server: ServerProcess, own_phones: Phones, client_dist: Path
) -> None:
    ctype, _ = fetch(own_server.url + "/sw.js")
    assert ctype.startswith("text/javascript")
    phone = own_phones.open("ana")
    phone.context.add_init_script(OLD_CACHES_JS)
    page = phone.page
    served: dict[str, bool] = {}

    def seen(response: Response) -> None:
        served[response.url.removeprefix(own_server.url)] = response.from_service_worker

    page.on("response", seen)
    phone.goto("/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(  # the older build's cache is gone once the worker is active
        "async () => !(await caches.keys()).includes('closeknit:/:0000000000000000')"
    )
    assert sorted(page.evaluate("caches.keys()")) == [
        f"closeknit:/:{build_of(client_dist)}",
        "closeknit:/other/:0000000000000000",
    ]
    served.clear()
    create_room(phone)  # a page load, the API and the socket, all under the worker
    assert served["/"] is True and served["/assets/app.js"] is True
    api = [url for url in served if url.startswith("/api/")]
    assert api and not any(served[url] for url in api), served
    assert page.evaluate("() => window.__closeknitView !== null")  # the socket works

    own_server.stop()
    page.reload()
    page.wait_for_selector('[data-screen="offline"]')
    assert "can't reach its server" in phone.text()
    assert "needs a connection to it" in phone.text()
    phone.shot("offline-page")
    failed = page.evaluate(
        "() => fetch('api/decks').then(() => 'answered', (e) => 'failed: ' + e.name)"
    )
    assert failed == "failed: TypeError"  # the API is never answered from a cache
    own_server.start()  # for whatever runs after
