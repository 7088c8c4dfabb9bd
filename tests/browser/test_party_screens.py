"""The party's big screen, console and guest pages as a room sees them (issue 19): the
display fills a 16:9 screen at 1280x720, 1920x1080 and 3840x2160 with nothing cut off
and its join code a tenth of the screen high or more; a timed round's clock, a pause and
the end take it over; after a lock or the end it shows no way in; its table marks never
say who sits where or who passed (its frames and its text are read). The console works
on a phone; a German guest reads German party pages; axe-core (WCAG 2.0-2.2 A/AA, every
impact, light and dark) finds nothing on any of them. Screenshots land in
tests/browser/screenshots/party-screen-*.png (the best are in docs/screenshots/)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from playwright.sync_api import WebSocket

from tests.browser.conftest import SHOTS, Phones, Screens
from tests.browser.phone import Phone
from tests.browser.test_party import draw_a_spoken_card, no_join_info, open_party, ui
from tests.browser.test_screens import strict_audit

pytestmark = pytest.mark.browser
SIZES = ((1280, 720), (1920, 1080), (3840, 2160))
SHOWN: list[str] = []  # what the display said, each time it was measured

# Whether anything on the page reaches past the screen (or its scroll), and the boxes of
# the named parts.
LAYOUT_JS = """(names) => {
  const w = innerWidth, h = innerHeight, root = document.scrollingElement;
  const out = [...document.querySelectorAll('#app *')]
    .filter((e) => e.getClientRects().length && !e.closest('svg'))
    .map((e) => [e, e.getBoundingClientRect()])
    .filter(([, r]) => r.width &&
      (r.left < -1 || r.top < -1 || r.right > w + 1 || r.bottom > h + 1))
    .map(([e, r]) => `${e.className || e.tagName} ${Math.round(r.left)},${Math.round(r.top)},` +
                     `${Math.round(r.right)},${Math.round(r.bottom)}`);
  const box = (n) => { const e = document.querySelector(`[data-ui="${n}"]`);
    if (!e) return null; const r = e.getBoundingClientRect();
    return {w: r.width, h: r.height, font: parseFloat(getComputedStyle(e).fontSize)}; };
  return {out, scroll: [root.scrollWidth > w, root.scrollHeight > h],
          parts: Object.fromEntries(names.map((n) => [n, box(n)]))};
}"""


def fits(page: Phone, *names: str) -> dict[str, Any]:
    """Nothing overflows the screen; returns the named parts' boxes (each present)."""
    got = page.page.evaluate(LAYOUT_JS, list(names))
    size = page.page.viewport_size
    assert got["out"] == [], f"{page.label} at {size}: outside the screen: {got['out'][:5]}"
    assert got["scroll"] == [False, False], f"{page.label} at {size}: scrolls"
    missing = [n for n in names if got["parts"][n] is None]
    assert not missing, f"{page.label} at {size}: missing {missing}"
    return dict(got["parts"])


def at_every_size(display: Phone, name: str, *parts: str) -> list[dict[str, Any]]:
    """The display at each size: it fits, and each part's height is the same share of
    the screen's (it scales, nothing is fixed in pixels). Saves a screenshot each."""
    seen = []
    for width, height in SIZES:
        display.page.set_viewport_size({"width": width, "height": height})
        display.page.wait_for_function(f"() => innerWidth === {width}")
        boxes = fits(display, *parts)
        display.shot(f"party-screen-{name}-{width}x{height}")
        seen.append({p: boxes[p]["h"] / height for p in parts})
    for part in parts:
        shares = [s[part] for s in seen]
        assert max(shares) - min(shares) < 0.02, f"{name}: {part} does not scale: {shares}"
    display.page.set_viewport_size({"width": 1920, "height": 1080})
    SHOWN.append(display.text())
    return seen


def catch_frames(page: Phone) -> list[str]:
    """Every frame the page's sockets receive from now on (the page is reloaded)."""
    frames: list[str] = []

    def watch(ws: WebSocket) -> None:
        ws.on("framereceived", lambda f: frames.append(f if isinstance(f, str) else f.decode()))

    page.page.on("websocket", watch)
    page.reload()
    page.wait_screen("party-display")
    return frames


def open_and_in_the_hosts_language(screens: Screens, host: Phone, display: Phone) -> None:
    """Open, nobody here yet: the code and the QR code, huge, at every size; the big
    screen speaks the host's language (the console's link says which)."""
    shares = at_every_size(display, "open", "party-code", "party-qr")
    assert min(s["party-code"] for s in shares) >= 0.1, shares
    assert min(s["party-qr"] for s in shares) >= 0.4, shares
    strict_audit(display, "party-display-open")
    href = str(host.page.locator(ui(host, "display-link")).get_attribute("href"))
    assert href.endswith("&lang=en"), href
    german = screens.open("display-de")
    german.goto(href.replace("&lang=en", "&lang=de"))
    german.wait_screen("party-display")
    german.page.wait_for_selector(':text("Mit dem Handy beitreten")')
    assert german.page.evaluate("document.documentElement.lang") == "de"
    german.shot("party-screen-open-de")
    german.close()


def a_couple_in_two_languages(phones: Phones, code: str) -> tuple[Phone, Phone]:
    """Ana's phone speaks English, Ben's German; they pair with a code."""
    ana = phones.open("ana", inject_tools=True)
    ben = phones.open("ben", locale="de-DE", inject_tools=True)
    ana.goto(f"/party#join={code}")
    ana.wait_screen("party-join")
    strict_audit(ana, "party-guest-join")
    ana.type_into("guest-name", "Ana")
    ana.page.click(ui(ana, "join-party"))
    ana.wait_screen("party-lobby")
    ben.goto(f"/party#join={code}")
    ben.wait_screen("party-join")
    assert f"Der Party {code} beitreten" in ben.text()
    ben.type_into("guest-name", "Ben")
    ben.page.click(ui(ben, "join-party"))
    ben.wait_screen("party-lobby")
    assert "Hallo, Ben" in ben.text() and "Paar-Code" in ben.page.content()
    ben.shot("party-screen-guest-lobby-de")
    strict_audit(ana, "party-guest-lobby")
    ana.page.click(ui(ana, "make-code"))
    pair_code = ana.page.locator(ui(ana, "pair-code")).inner_text().strip()
    ben.type_into("enter-code", pair_code)
    ben.page.click(ui(ben, "pair-with-code"))
    for phone in (ana, ben):
        phone.wait_screen("party-table")
        phone.wait("v.phase === 'between'")
    assert "mit Ana" in ben.page.locator(ui(ben, "party-strip")).inner_text()
    return ana, ben


def a_pass_then_a_round(host: Phone, display: Phone, ana: Phone, ben: Phone) -> None:
    """Someone passes a card: the big screen shows a mark, never who. Then a timed
    round: its clock takes the screen, the way in stays beside it, and the guests' strips
    show it too."""
    drawer = ana if ana.view()["speaker"] == ana.view()["you"] else ben
    draw_a_spoken_card(drawer)
    drawer.act("skip")
    display.page.wait_for_selector('[data-ui="table-marks"] [data-table="t1"]')
    display.page.wait_for_selector(f'{ui(display, "table-count")}:has-text("1 table")')
    host.page.fill(ui(host, "round-seconds"), "600")
    host.page.click(ui(host, "start-round"))
    display.page.wait_for_selector(ui(display, "countdown"))
    shares = at_every_size(display, "round", "countdown", "party-code", "party-qr")
    assert min(s["countdown"] for s in shares) >= 0.25, shares
    strict_audit(display, "party-display-round")
    ana.page.wait_for_selector(ui(ana, "guest-countdown"))
    ana.shot("party-screen-guest-table-round")
    ben.shot("party-screen-guest-table-round-de")
    ben.page.screenshot(path=str(SHOTS / "party-screen-guest-table-round-de-top.png"))
    strict_audit(ana, "party-guest-table")
    strict_audit(ben, "party-guest-table-de")


def the_console_on_a_laptop_and_a_phone(host: Phone) -> None:
    host.page.wait_for_selector('[data-table="t1"]')
    host.shot("party-screen-console-laptop")
    strict_audit(host, "party-console")
    host.page.set_viewport_size({"width": 390, "height": 844})
    wide = host.page.evaluate("document.scrollingElement.scrollWidth")
    assert wide <= 390, f"the console is {wide} px wide on a 390 px phone"
    order = host.page.evaluate(
        "() => [...document.querySelectorAll('[data-ui^=group-]')]"
        ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)"
        ".map((e) => e.dataset.ui)"
    )
    assert order == ["group-pace", "group-depth", "group-people", "group-end"], order
    strict_audit(host, "party-console-phone")
    host.page.set_viewport_size({"width": 1280, "height": 900})


def pause_lock_and_end(host: Phone, display: Phone) -> None:
    """A pause takes the whole screen, with no code on it; a lock lets the tables go on
    and stops inviting anyone in; the end is one sentence, and no way in."""
    host.page.click(ui(host, "pause-all"))
    display.page.wait_for_selector(ui(display, "paused"))
    assert display.page.locator(ui(display, "party-code")).count() == 0
    shares = at_every_size(display, "paused", "paused")
    assert min(s["paused"] for s in shares) >= 0.1, shares
    strict_audit(display, "party-display-paused")
    host.page.click(ui(host, "resume-all"))
    host.page.click(ui(host, "lock"))
    display.page.wait_for_selector(ui(display, "locked"))
    no_join_info(display)
    at_every_size(display, "locked", "locked", "table-marks")
    strict_audit(display, "party-display-locked")
    host.page.click(ui(host, "end-party"))
    host.page.click(ui(host, "confirm-yes"))
    display.page.wait_for_selector(ui(display, "ended"))
    no_join_info(display)
    at_every_size(display, "ended", "ended")
    strict_audit(display, "party-display-ended")


def nothing_names_anyone(frames: list[str], shown: list[str]) -> None:
    """Nothing the big screen received or showed names anyone, or says who passed."""
    raw = "".join(frames)
    for word in ("Ana", "Ben", "pass", "skip"):
        assert word not in raw, f"the display received {word!r}"
    marks = [
        entry
        for m in map(json.loads, frames)
        for entry in (m.get("view", m).get("tables") or {}).values()
        if entry is not None
    ]
    assert marks and all(set(e) == {"level", "completed", "needs_moment", "stage"} for e in marks)
    for words in shown:
        assert "Ana" not in words and "Ben" not in words, words


def test_the_big_screen_fills_any_screen_and_shows_a_room_only_what_it_may_see(
    screens: Screens, phones: Phones
) -> None:
    SHOWN.clear()
    host, display, code = open_party(screens, inject_tools=True)
    frames = catch_frames(display)
    open_and_in_the_hosts_language(screens, host, display)
    ana, ben = a_couple_in_two_languages(phones, code)
    a_pass_then_a_round(host, display, ana, ben)
    the_console_on_a_laptop_and_a_phone(host)
    pause_lock_and_end(host, display)
    nothing_names_anyone(frames, SHOWN)
    for page in (host, display, ana, ben):
        assert not page.errors, f"{page.label}: {page.errors}"


# A big party, played to the display by a stand-in socket (no server needed for a picture
# of 150 tables): every table at its level, some needing a moment, a round running.
def big_party(tables: int, *, round_left: float | None = None) -> dict[str, Any]:
    now = time.time()
    return {
        "meta": {"code": "K7QM3X", "deck": "closer", "deck_levels": 3, "level_cap": 1,
                 "paused": False, "locked": False, "ended": False, "mixer": True,
                 "round": {"seconds": 900, "no": 3, "over": False,
                           "deadline": None if round_left is None else now + round_left},
                 "tables": tables, "host": None},
        "guests": {f"g{i}": {} for i in range(1, 2 * tables + 1)},
        "tables": {f"t{i}": {"level": i % 3, "completed": (i * 7) % 23,
                             "needs_moment": i % 9 == 4, "stage": "playing"}
                   for i in range(1, tables + 1)},
    }  # fmt: skip


NAMES = ["Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hal", "Ines", "Jon", "Kim"]
NAMES += ["Lou", "Mia", "Noor", "Oli", "Pia", "Quin", "Rae", "Sam", "Tess", "Uma", "Vik"]


def big_console(tables: int) -> dict[str, Any]:
    """What a host of ``tables`` tables sees (and a guest or two still waiting)."""
    view = big_party(tables, round_left=432)
    view["meta"]["deck_title"] = {"en": "Closer"}
    view["guests"] = {f"g{i}": {"name": NAMES[(i - 1) % len(NAMES)],
                                "table": f"t{(i + 1) // 2}" if i <= 2 * tables else None,
                                "looking": i > 2 * tables}
                      for i in range(1, 2 * tables + 3)}  # fmt: skip
    for i, entry in view["tables"].items():
        n = int(i[1:])
        entry["guests"] = [f"g{2 * n - 1}", f"g{2 * n}"]
    view["legal"] = ["pause_all", "lock", "end_party", "set_level_cap", "set_mixer", "mix",
                     "pair_guests", "set_rounds", "remove_guest", "hand_host"]  # fmt: skip
    return view


def stand_in(page: Phone, view: dict[str, Any], role: str = "display") -> list[Any]:
    """Opens the display (or the console) on a socket that answers as the server would:
    a welcome and ``view``; returns the socket's routes, to send deltas on."""
    routes: list[Any] = []

    def serve(ws: Any) -> None:
        routes.append(ws)

        def answer(message: str | bytes) -> None:
            m = json.loads(message)
            if m.get("t") == "hello":
                ws.send(json.dumps({"t": "welcome", "re": m["id"], "party": "K7QM3X",
                                    "role": role}))  # fmt: skip
                ws.send(json.dumps({"t": "party", "role": role, "version": 1, "view": view}))
            else:
                ws.send(json.dumps({"t": "ack", "re": m.get("id")}))

        ws.on_message(answer)

    page.page.route_web_socket("**/ws/party", serve)
    page.goto(f"/party#{role}=K7QM3X.STANDIN&lang=en")
    page.wait_screen(f"party-{role}")
    return routes


@pytest.mark.parametrize("tables", [12, 40, 150])
def test_a_big_party_still_fits_the_big_screen(screens: Screens, tables: int) -> None:
    display = screens.open(f"display-{tables}")
    stand_in(display, big_party(tables, round_left=432 if tables == 40 else None))
    display.page.wait_for_selector(f'[data-table="t{tables}"]')
    for width, height in ((1280, 720), (3840, 2160)):
        display.page.set_viewport_size({"width": width, "height": height})
        display.page.wait_for_function(f"() => innerWidth === {width}")
        parts = fits(display, "party-qr", "table-marks")
        assert parts["party-qr"]["h"] >= 0.18 * height, parts
        display.shot(f"party-screen-{tables}-tables-{width}x{height}")
    marks = display.page.locator("[data-table]")
    assert marks.count() == tables
    assert "needs a moment" in str(marks.nth(3).get_attribute("aria-label"))


def test_a_table_going_deeper_rises_and_nothing_moves_under_reduced_motion(
    screens: Screens, browser: Any, live_server: Any
) -> None:
    for motion in ("no-preference", "reduce"):
        context = browser.new_context(viewport={"width": 1920, "height": 1080},
                                      base_url=live_server.url, reduced_motion=motion)  # fmt: skip
        display = Phone(context, f"display-{motion}", live_server.url, SHOTS)
        try:
            routes = stand_in(display, big_party(6))
            display.page.wait_for_selector('[data-table="t2"][data-level="2"]')
            before = display.page.locator('[data-table="t1"]').element_handle()
            deeper = {"level": 2, "completed": 9, "needs_moment": False, "stage": "playing"}
            routes[0].send(json.dumps({"t": "party_delta", "version": 2, "tables": {"t1": deeper}}))
            display.page.wait_for_selector('[data-table="t1"][data-level="2"]')
            after = display.page.locator('[data-table="t1"]')
            moving = after.evaluate("(e) => getComputedStyle(e).animationName")
            same = display.page.evaluate("([a, b]) => a === b", [before, after.element_handle()])
            still = display.page.locator('[data-table="t2"]').evaluate(
                "(e) => e.getAnimations().filter((a) => a.playState === 'running').length"
            )
            if motion == "reduce":
                assert moving == "none", moving
            else:
                assert moving == "rise" and not same  # the deeper table rises into place
                assert still == 0  # and the others stay where they are
        finally:
            display.close()


def test_a_big_partys_console_reads_at_a_glance_on_a_laptop_and_a_phone(screens: Screens) -> None:
    host = screens.open("host-big")
    stand_in(host, big_console(10), role="host")
    host.page.wait_for_selector('[data-table="t10"]')
    moment = host.page.locator('[data-table="t4"] [data-ui="needs-moment"]')
    assert moment.is_visible()
    host.shot("party-screen-console-big-laptop")
    host.page.screenshot(path=str(SHOTS / "party-screen-console-big-laptop-top.png"))
    host.page.set_viewport_size({"width": 390, "height": 844})
    assert host.page.evaluate("document.scrollingElement.scrollWidth") <= 390
    pause = host.page.locator('[data-ui="pause-all"]').bounding_box()
    assert pause is not None and pause["y"] + pause["height"] <= 844  # on the first screen
    host.shot("party-screen-console-big-phone")
    host.page.screenshot(path=str(SHOTS / "party-screen-console-big-phone-top.png"))
