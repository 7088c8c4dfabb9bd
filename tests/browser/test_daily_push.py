"""Push on a daily space (issue 22): with the server's VAPID key the menu offers to let
this device know, subscribes with that key and tells the space; "stop" unsubscribes and
tells it too (no key, no row: test_daily_week.py). The browser's push service is a
local stand-in (none is
reachable from a test machine): PushManager's subscription is a real P-256 key pair of
tests/support/push_service.py, at an address nothing is ever sent to in this test."""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import DailyPhones, create_space
from tests.support.push_service import Subscriber, VapidKeys
from tests.support.servers import ServerProcess

KEYS = VapidKeys.new()
ENDPOINT = "https://push.example.org/send/ana-device"
# The stand-in: subscribe() records its options and hands back the subscription.
STAND_IN = """((info) => {
  window.__push = [];
  let current = null;
  const make = () => ({ endpoint: info.endpoint, toJSON: () => info,
    unsubscribe: async () => { window.__push.push('unsubscribe'); current = null; return true; } });
  PushManager.prototype.subscribe = async function (opts) {
    window.__push.push({ visible: opts.userVisibleOnly,
      key: btoa(String.fromCharCode(...new Uint8Array(opts.applicationServerKey))) });
    current = make();
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})"""


@pytest.fixture(scope="module")
def push_server(client_dist: Path) -> Iterator[tuple[ServerProcess, Path]]:
    folder = Path(tempfile.mkdtemp(prefix="ck-browser-push-"))
    clock = folder / "clock"
    env = {"CLIENT_DIR": str(client_dist), "LOG_LEVEL": "warning", "CREATE_BURST": "1000",
           "VAPID_PUBLIC_KEY": KEYS.public, "VAPID_PRIVATE_KEY": KEYS.private,
           "VAPID_SUBJECT": "mailto:ops@example.org"}  # fmt: skip
    server = ServerProcess(env, clock=clock)
    server.start()
    yield server, clock
    server.stop()
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


def test_the_menu_subscribes_this_device_with_the_servers_key_and_stops(
    browser: Browser, push_server: tuple[ServerProcess, Path]
) -> None:
    phones = DailyPhones(browser, *push_server)
    try:
        info = Subscriber.new().info(ENDPOINT)
        ana = phones.open("ana", stubs=f"{STAND_IN}({json.dumps(info)});")
        ana.context.grant_permissions(["notifications"])
        create_space(ana)
        ana.open_sheet("menu")
        on = ana.page.locator('[data-ui="push-on"]')
        on.wait_for()
        assert "Let me know on this device" in on.inner_text()
        assert "never the question, never an answer" in ana.text()
        on.click()
        ana.page.locator('[data-ui="push-off"]').wait_for()  # the space acked it
        calls = ana.page.evaluate("window.__push")
        raw = base64.urlsafe_b64decode(KEYS.public + "=" * (-len(KEYS.public) % 4))
        assert calls == [{"visible": True, "key": base64.b64encode(raw).decode()}]
        assert not ana.error_shown()
        ana.page.click('[data-ui="push-off"]')
        ana.page.locator('[data-ui="push-on"]').wait_for()
        assert ana.page.evaluate("window.__push")[-1] == "unsubscribe"
        assert not ana.error_shown() and not ana.errors, ana.errors
    finally:
        phones.close()


def test_the_service_worker_shows_the_servers_news_line_as_given(
    browser: Browser, daily_server: tuple[ServerProcess, Path]
) -> None:
    """A push message (delivered through Chromium's DevTools protocol, as the browser's
    push service would) becomes one notification with exactly the payload's words."""
    server, _ = daily_server
    context = browser.new_context(base_url=server.url)
    try:
        context.grant_permissions(["notifications"])
        page = context.new_page()
        registrations: list[dict[str, object]] = []
        cdp = context.new_cdp_session(page)
        cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda e: registrations.extend(e["registrations"]),
        )
        cdp.send("ServiceWorker.enable")
        page.goto("/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        for _ in range(100):  # the registration's event, on its way with the worker
            if any(not r.get("isDeleted") for r in registrations):
                break
            page.wait_for_timeout(50)
        reg = next(r for r in registrations if not r.get("isDeleted"))
        news = {"t": "news", "title": "Closeknit", "body": "Etwas Neues in Closeknit"}
        for body in (news, {**news, "body": "Something new in Closeknit"}):
            cdp.send(
                "ServiceWorker.deliverPushMessage",
                {"origin": f"{server.url}/", "registrationId": reg["registrationId"],
                 "data": json.dumps(body)},
            )  # fmt: skip
        page.wait_for_function(
            """() => navigator.serviceWorker.ready.then((r) => r.getNotifications())
                 .then((ns) => ns.length === 1 && ns[0].body === 'Something new in Closeknit')"""
        )
        shown = page.evaluate(
            """() => navigator.serviceWorker.ready.then((r) => r.getNotifications())
                 .then((ns) => ns.map((n) => [n.title, n.body, n.tag]))"""
        )
        assert shown == [["Closeknit", "Something new in Closeknit", "closeknit-news"]]
    finally:
        context.close()
