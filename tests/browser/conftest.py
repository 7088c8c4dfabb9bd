"""Browser fixtures: Debian's Chromium driven by Playwright, against one real server
process on a redis-server of its own, serving the built web client.

Everything here lives for the browser tests only (package scope): the server, its Redis
and the browser stop before other test areas run, so nothing of theirs is disturbed.
Chromium missing: a skip locally, a failure when CI=true. No browser is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.browser.phone import Phone
from tests.browser.testdeck import write_hostile_deck
from tests.support.redis import RedisServer, require_binary, temp_dir
from tests.support.servers import ROOT, ServerProcess

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--disable-gpu",
]
DIST = ROOT / "web-client" / "dist"
SHOTS = Path(__file__).resolve().parent / "screenshots"


def chromium_path() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found:
        return found
    message = "chromium is not installed (scripts/system-deps.sh installs it; `make test`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="package")
def client_dist() -> Path:
    """The built client; built here if `make test` did not build it already."""
    if not (DIST / "index.html").is_file() or not (DIST / "assets" / "app.js").is_file():
        subprocess.run(["bash", str(ROOT / "scripts" / "build-client.sh")], check=True)
    return DIST


@pytest.fixture(scope="package")
def decks_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="ck-browser-decks-"))
    write_hostile_deck(folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="package")
def browser_redis() -> Iterator[RedisServer]:
    workdir = temp_dir("ck-browser-redis-")
    server = RedisServer(require_binary("redis-server"), workdir)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="package")
def live_server(
    browser_redis: RedisServer, client_dist: Path, decks_dir: Path
) -> Iterator[ServerProcess]:
    env = {
        "REDIS_URL": browser_redis.url,
        "CLIENT_DIR": str(client_dist),
        "DECKS_DIR": str(decks_dir),
        "LOG_LEVEL": "warning",
        # Every test comes from 127.0.0.1: room creations and knocks would hit the
        # per-address limits that protect a public server.
        "CREATE_BURST": "1000",
        "JOIN_FAIL_BURST": "1000",
    }
    server = ServerProcess(env)
    server.start()
    yield server
    server.stop()
    server.cleanup()


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    # launch() runs on a fresh temporary profile; each player gets its own context.
    launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


class Phones:
    """Opens phone-sized players, each in its own browser context; closes them all."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.opened: list[Phone] = []

    def open(
        self,
        label: str,
        *,
        locale: str = "en-US",
        keyboard_only: bool = False,
        inject_tools: bool = False,
        motion: bool = False,
    ) -> Phone:
        """``inject_tools``: lets a test add axe-core or jsQR to the page (CSP bypassed
        for that context only; the CSP itself is checked by its own test). ``motion``:
        the phone does not ask for reduced motion (every other phone does)."""
        context = self.browser.new_context(
            bypass_csp=inject_tools,
            viewport={"width": 390, "height": 844},
            device_scale_factor=1,
            is_mobile=not keyboard_only,
            has_touch=not keyboard_only,
            locale=locale,
            reduced_motion="no-preference" if motion else "reduce",
            base_url=self.base_url,
        )
        phone = Phone(context, label, self.base_url, SHOTS)
        self.opened.append(phone)
        return phone

    def close(self) -> None:
        for phone in self.opened:
            phone.close()


@pytest.fixture
def phones(browser: Browser, live_server: ServerProcess) -> Iterator[Phones]:
    opened = Phones(browser, live_server.url)
    yield opened
    opened.close()


class Screens:
    """Desktop-sized pages for the host console and the display."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.opened: list[Phone] = []

    def open(self, label: str, *, inject_tools: bool = False) -> Phone:
        context = self.browser.new_context(
            bypass_csp=inject_tools,  # only to add axe-core (see Phones.open)
            viewport={"width": 1280, "height": 900},
            base_url=self.base_url,
            reduced_motion="reduce",
        )
        page = Phone(context, label, self.base_url, SHOTS)
        self.opened.append(page)
        return page


@pytest.fixture
def screens(browser: Browser, live_server: ServerProcess) -> Iterator[Screens]:
    opened = Screens(browser, live_server.url)
    yield opened
    for page in opened.opened:
        page.close()


@pytest.fixture(scope="package")
def daily_server(client_dist: Path) -> Iterator[tuple[ServerProcess, Path]]:
    """A real server on the in-process store whose clock the test moves (issue 22: a
    daily space's days): ``tests.support.clocked`` reads the seconds ahead from a file
    the test owns (``tests.support.clocked.move_clock``)."""
    folder = Path(tempfile.mkdtemp(prefix="ck-browser-daily-"))
    clock = folder / "clock"
    clock.write_text("0")
    env = {"CLIENT_DIR": str(client_dist), "LOG_LEVEL": "warning", "CREATE_BURST": "1000",
           "JOIN_FAIL_BURST": "1000"}  # fmt: skip
    server = ServerProcess(env, clock=clock)
    server.start()
    yield server, clock
    server.stop()
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)
