"""One player's phone: a browser context and page, with the few moves tests need.

The page exposes a read-only copy of its last view as ``window.__closeknitView`` and
``#app[data-pending]`` (actions waiting for the server's reply); tests drive the real
buttons and read the view only to know what happened.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page

TIMEOUT_MS = 15_000

# The primary actions a person can see now (outside any closed sheet).
PRIMARIES_JS = """() => [...document.querySelectorAll('[data-primary]')]
  .filter((e) => e.getClientRects().length && !e.closest('dialog:not([open])'))
  .map((e) => e.dataset.action || e.dataset.ui)"""
# Reads the view and the enabled action controls in one go (same render).
SNAPSHOT_JS = """() => {
  const app = document.getElementById('app');
  const enabled = [...document.querySelectorAll('[data-action]')]
    .filter((e) => !e.disabled).map((e) => e.dataset.action);
  return {view: window.__closeknitView, enabled, pending: app.dataset.pending,
          screen: app.dataset.screen};
}"""


class Phone:
    def __init__(self, context: BrowserContext, label: str, base_url: str, shots: Path) -> None:
        self.context = context
        self.label = label
        self.base_url = base_url
        self.shots = shots
        self.errors: list[str] = []
        self.page: Page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("pageerror", lambda err: self.errors.append(f"pageerror: {err}"))
        self.page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )

    # navigation ---------------------------------------------------------------------
    def goto(self, url: str = "/") -> None:
        self.page.goto(url)

    def reload(self) -> None:
        self.page.reload()

    def close(self) -> None:
        self.context.close()

    def go_offline(self) -> None:
        """The phone loses its network, and the page hears of it before the network goes.

        Cut first (``set_offline`` alone), Chromium takes the network away before the
        page's ``offline`` event fires, and suspends every data frame sent in between (a
        keep-alive ping, a typing notice); a close handshake waits behind a suspended
        frame, so the server never hears this socket go and the partner is never told
        "away" (the rare flake of the away banner). So the page is told first: it drops
        its socket while the close can still leave, and it finds ``navigator.onLine``
        false when its reconnect timer fires; then the network is cut."""
        self.page.evaluate(
            "() => { Object.defineProperty(navigator, 'onLine', {configurable: true,"
            " get: () => false}); window.dispatchEvent(new Event('offline')); }"
        )
        self.page.wait_for_selector('#app:not([data-status="open"])')
        self.context.set_offline(True)

    def go_online(self) -> None:
        """The network comes back: the page's own ``navigator.onLine`` again, then the
        browser's ``online`` event (the page reconnects at once)."""
        self.page.evaluate("() => { delete navigator.onLine; }")
        self.context.set_offline(False)

    # reading ------------------------------------------------------------------------
    def view(self) -> dict[str, Any]:
        view = self.page.evaluate("window.__closeknitView")
        assert view is not None, f"{self.label} has no view"
        return dict(view)

    def snapshot(self) -> dict[str, Any]:
        return dict(self.page.evaluate(SNAPSHOT_JS))

    def screen(self) -> str:
        return str(self.page.locator("#app").get_attribute("data-screen"))

    def primaries(self) -> list[str]:
        """The primary actions on the screen now (one for the seat whose move it is)."""
        return list(self.page.evaluate(PRIMARIES_JS))

    def text(self) -> str:
        return self.page.locator("#app").inner_text()

    # waiting ------------------------------------------------------------------------
    def settle(self) -> None:
        """No action of this page is waiting for the server's reply."""
        self.page.wait_for_function(
            "() => document.getElementById('app').dataset.pending === '0'", timeout=TIMEOUT_MS
        )

    def wait(self, condition: str, timeout: int = TIMEOUT_MS) -> dict[str, Any]:
        """Waits until the JS ``condition`` over the view ``v`` holds; returns the view."""
        self.page.wait_for_function(
            f"() => {{ const v = window.__closeknitView; return !!v && ({condition}); }}",
            timeout=timeout,
        )
        return self.view()

    def wait_version(self, version: int) -> dict[str, Any]:
        return self.wait(f"v.version >= {version}")

    def wait_screen(self, name: str) -> None:
        self.page.wait_for_selector(f'#app[data-screen="{name}"]')

    # acting -------------------------------------------------------------------------
    def control(self, action: str, key: str | None = None) -> Any:
        selector = f'[data-action="{action}"]'
        if key is not None:
            selector += f'[data-key="{key}"]'
        return self.page.locator(selector)

    def reveal(self, target: Any) -> None:
        """Makes ``target`` reachable as a person would: closes a sheet it is not in, and
        opens the sheet (the menu, the boundaries) that holds it."""
        where = target.evaluate("(e) => e.closest('dialog[data-sheet]')?.dataset.sheet ?? null")
        open_now = self.page.evaluate(
            "() => document.querySelector('dialog[data-sheet][open]')?.dataset.sheet ?? null"
        )
        if open_now and open_now != where:
            self.page.keyboard.press("Escape")
            self.page.wait_for_selector("dialog[data-sheet][open]", state="detached")
        if where and open_now != where:
            self.open_sheet(where)

    def open_sheet(self, name: str) -> None:
        """Opens a sheet from its button; the boundaries' own button may sit in the menu."""
        button = self.page.locator(f'[data-opens="{name}"]:visible')
        if not button.count():
            self.open_sheet("menu")
        self.page.locator(f'[data-opens="{name}"]:visible').first.click()
        self.page.wait_for_selector(f'dialog[data-sheet="{name}"][open]')

    def tap(self, selector: str) -> None:
        """Clicks the first match of ``selector``, opening or closing sheets on the way."""
        target = self.page.locator(selector).first
        self.reveal(target)
        target.click()

    def tick(self, selector: str) -> None:
        """Ticks a checkbox (a boundary, "avoid this topic"), wherever it sits."""
        target = self.page.locator(selector).first
        self.reveal(target)
        target.check()

    def act(self, action: str, key: str | None = None) -> dict[str, Any]:
        """Clicks the control of ``action`` and waits for the server's reply."""
        before = self.view()["version"]
        target = self.control(action, key).first
        self.reveal(target)
        target.click()
        self.settle()
        assert not self.error_shown(), f"{self.label}: {action} failed: {self.error_shown()}"
        return self.wait(f"v.version > {before}")

    def error_shown(self) -> str:
        banner = self.page.locator(".banner.error")
        return banner.first.inner_text() if banner.count() else ""

    def type_into(self, ui: str, text: str) -> None:
        """Type into a typing box; a spoken turn's box first needs "Type instead"."""
        box = self.page.locator(f'[data-ui="{ui}"]')
        opener = self.page.locator(f'[data-ui="type-{ui.removeprefix("text-")}"]')
        if not box.count() and opener.count():
            opener.click()
        box.fill(text)

    # checking -----------------------------------------------------------------------
    def assert_controls_match_legal(self) -> None:
        """The enabled action controls are exactly the view's legal actions."""
        self.settle()
        snap = self.snapshot()
        legal = set(snap["view"]["legal"])
        enabled = set(snap["enabled"])
        assert enabled == legal, (
            f"{self.label} on {snap['screen']} (phase {snap['view']['phase']}): "
            f"extra {sorted(enabled - legal)}, missing {sorted(legal - enabled)}"
        )

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        """Saves tests/browser/screenshots/<name>.png (the README's come from there);
        ``full_page=False``: what the phone's screen shows, sticky bar in place."""
        self.shots.mkdir(parents=True, exist_ok=True)
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def debug(self) -> str:
        return json.dumps(self.snapshot(), indent=1)[:4000]


def in_sync(*phones: Phone) -> int:
    """Waits until every phone shows the newest version any of them shows."""
    newest = max(int(p.view()["version"]) for p in phones)
    for p in phones:
        p.wait_version(newest)
    return newest
