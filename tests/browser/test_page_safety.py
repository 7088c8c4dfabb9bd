"""The page runs only its own script: a strict CSP, no inline code, and deck text that is
markup and script shows as plain text and runs nothing."""

from __future__ import annotations

import re
import urllib.request
from html.parser import HTMLParser

import pytest
from playwright.sync_api import Dialog

from tests.browser.conftest import Phones
from tests.browser.flows import check, create_room, draw, join_by_link, start_game
from tests.browser.testdeck import HOSTILE_ID, card_texts
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.browser


class Inline(HTMLParser):
    """Collects inline scripts, inline styles and event-handler attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k.lower() for k, _ in attrs}
        if tag == "script":
            self._in_script = True
            self.scripts.append(dict(attrs).get("src") or "")
            if "src" not in names:
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("inline <style>")
        self.problems += [f"{tag}[{n}]" for n in names if n.startswith("on") or n == "style"]

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("script body")


def test_page_has_csp_header_and_no_inline_script(live_server: ServerProcess) -> None:
    with urllib.request.urlopen(live_server.url + "/", timeout=5) as response:
        csp = response.headers["Content-Security-Policy"]
        html = response.read().decode("utf-8")
    assert csp, "no Content-Security-Policy header"
    directives = {d.strip().split()[0]: d.strip().split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    parser = Inline()
    parser.feed(html)
    assert parser.problems == []
    assert parser.scripts == ["assets/app.js"]  # relative: the site may live under a prefix
    with urllib.request.urlopen(live_server.url + "/assets/app.js", timeout=5) as response:
        assert "javascript" in response.headers["Content-Type"]


def test_deck_markup_and_script_show_literally_and_run_nothing(phones: Phones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    for p in (ana, bo):
        p.page.on("dialog", on_dialog)
    link = create_room(ana, deck=HOSTILE_ID)
    join_by_link(bo, link)
    assert "<b>bold</b>" in ana.page.inner_text(".deck-title")
    bo.open_sheet("boundaries")
    assert "<script>alert(1)</script>" in bo.text()  # the tag label, in the lobby's sheet
    bo.page.keyboard.press("Escape")
    start_game(ana, bo)
    speaker, listener, card = draw(ana, bo)
    shown = listener.page.inner_text('[data-ui="card-text"]')
    assert shown in card_texts() and shown == card["text"]
    assert "<img src=x onerror=alert(1)>" in listener.text()  # the level name
    speaker.act("answer")
    speaker.act("done_speaking")
    check(ana, bo)
    listener.wait('v.phase === "reflecting"')
    assert "<script>window.__ckPwned = 1</script> and then?" in listener.text()
    listener.shot("hostile-deck")
    for p in (ana, bo):
        assert p.page.evaluate("window.__ckPwned") is None
        counts = p.page.evaluate(
            "['script', 'img', 'b', 'i', 'u']"
            ".map(t => document.querySelectorAll('#app ' + t).length)"
        )
        assert counts == [0, 0, 0, 0, 0]
    assert dialogs == []
    assert not re.search(r"pageerror", " ".join(ana.errors + bo.errors))
