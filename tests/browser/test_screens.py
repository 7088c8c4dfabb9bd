"""The card is the screen (issue 18): one screen per moment with the card as its hero,
this seat's one primary action at thumb height, Pass and Pause always beside it, and
everything else in a menu sheet that keyboards and screen readers can operate. Checked on
two real phones (one in English, one in German), with axe-core on every screen built
here, light and dark, counting every impact."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Phones
from tests.browser.flows import check, create_room, draw_until, join_by_link, roles
from tests.browser.phone import Phone, in_sync
from tests.browser.testdeck import GLARE_ID
from tests.support.servers import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "web-client" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_ALL = """async (tags) => {
  const r = await window.axe.run(document, {runOnly: {type: 'tag', values: tags},
                                           resultTypes: ['violations']});
  return r.violations.map((v) => `${v.id} (${v.impact}): ` +
    v.nodes.map((n) => n.target.join(' ')).join(', '));
}"""
# Every visible control: its box, whether it is a primary action, and what it is.
TARGETS_JS = """() => [...document.querySelectorAll(
    'button, a[href], input, select, textarea, summary, [role=button]')]
  .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .map((e) => { const r = e.getBoundingClientRect();
    return {w: r.width, h: r.height, primary: e.hasAttribute('data-primary'),
            what: e.dataset.action || e.dataset.ui || e.id || e.tagName}; })"""
# Controls a person can see now, outside any closed sheet.
VISIBLE_JS = """(sel) => [...document.querySelectorAll(sel)]
  .filter((e) => e.getClientRects().length && !e.closest('dialog:not([open])'))
  .map((e) => e.dataset.action || e.dataset.ui)"""
# A finger on the sheet's grip moving 120 px down.
SWIPE_JS = """(sel) => { const grip = document.querySelector(sel + ' .sheet-grip');
  const send = (type, y) => { const t = new Touch({identifier: 1, target: grip, clientX: 195,
    clientY: y}); grip.dispatchEvent(new TouchEvent(type, {bubbles: true, cancelable: true,
    touches: type === 'touchend' ? [] : [t], changedTouches: [t]})); };
  send('touchstart', 420); send('touchend', 540); }"""
SECONDARY = ["star", "skip", "end", "set_language", "mark_boundary", "step_back"]


def strict_audit(phone: Phone, name: str) -> None:
    """axe-core with the WCAG 2.0-2.2 A/AA tags finds nothing, whatever its impact, light
    and dark; every visible target is at least 24 px and a primary action 44 px high.
    Saves a screenshot of each scheme."""
    phone.settle()
    if not phone.page.evaluate("!!window.axe"):
        phone.page.add_script_tag(path=str(AXE))
    for scheme in ("light", "dark"):
        phone.page.emulate_media(color_scheme=scheme)
        phone.shot(f"look-{name}-{phone.label}-{scheme}")
        problems = phone.page.evaluate(AXE_ALL, TAGS)
        assert problems == [], f"{name} ({phone.label}, {scheme}): {problems}"
    phone.page.emulate_media(color_scheme="light")
    small = [
        t
        for t in phone.page.evaluate(TARGETS_JS)
        if t["w"] < 24 or t["h"] < 24 or (t["primary"] and t["h"] < 44)
    ]
    assert small == [], f"{name} ({phone.label}): targets too small: {small}"


def visible(phone: Phone, selector: str) -> list[str]:
    return list(phone.page.evaluate(VISIBLE_JS, selector))


def primaries(phone: Phone) -> list[str]:
    return visible(phone, "[data-primary]")


def assert_secondary_in_menu(phone: Phone) -> None:
    """Star, skip, end, language, boundaries, stepping back: never on the screen itself,
    only in the menu sheet (when legal at all)."""
    shown = visible(phone, ",".join(f'[data-action="{a}"]' for a in SECONDARY))
    assert shown == [], f"{phone.label}: {shown} outside the menu"
    legal = set(phone.view()["legal"])
    for action in ("end", "set_language", "skip", "star"):
        if action in legal:
            where = phone.page.locator(f'[data-action="{action}"]').first.evaluate(
                "(e) => e.closest('dialog')?.dataset.sheet ?? null"
            )
            assert where == "menu", f"{phone.label}: {action} is in {where}"


def one_primary_for_the_mover(mover: Phone, other: Phone, action: str) -> None:
    check(mover, other)
    assert primaries(mover) == [action], f"{mover.label}: {primaries(mover)}"
    assert primaries(other) == [], f"{other.label}: {primaries(other)}"
    for p in (mover, other):
        assert_secondary_in_menu(p)
        # Pause, the safety button, is always on the screen for both.
        assert visible(p, '[data-action="pause"]') == ["pause"], p.label


def in_viewport(phone: Phone, selector: str) -> bool:
    box = phone.page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844


def lobby_moments(ana: Phone, bo: Phone) -> None:
    # The topics in their own sheet, with a count only this seat sees.
    ana.open_sheet("boundaries")
    strict_audit(ana, "boundaries-sheet")
    ana.tick("#b-money")
    ana.tick("#b-family")
    ana.settle()  # the count follows the server's view: read it once both ticks are in
    assert "2 topics off-limits" in ana.page.inner_text('[data-ui="boundary-count"]')
    ana.page.keyboard.press("Escape")
    assert "2 topics off-limits" in ana.page.inner_text('[data-ui="open-boundaries"]')
    # The menu holds light mode and "apart tonight" here; a swipe down closes it.
    ana.open_sheet("menu")
    assert visible(ana, '[data-action="set_light_mode"], [data-action="set_apart"]') == [
        "set_light_mode",
        "set_apart",
    ]
    ana.page.evaluate(SWIPE_JS, 'dialog[data-sheet="menu"]')
    ana.page.wait_for_selector('dialog[data-sheet="menu"][open]', state="detached")
    assert ana.page.evaluate("document.activeElement.dataset.ui") == "open-menu"
    assert "money" not in str(bo.view()["boundaries"])
    for p in (ana, bo):
        assert primaries(p) == ["ready"] and in_viewport(p, '[data-action="ready"]'), p.label
        strict_audit(p, "lobby")
    # A pause in the lobby takes over both phones; Resume for the one who paused.
    bo.act("pause")
    in_sync(ana, bo)
    for p in (ana, bo):
        p.wait_screen("pause")
    assert primaries(bo) == ["resume"] and primaries(ana) == []
    strict_audit(ana, "pause-lobby")
    bo.act("resume")
    ana.act("ready")
    bo.act("ready")
    in_sync(ana, bo)
    ana.wait('v.phase === "between"')


def menu_by_keyboard(phone: Phone) -> None:
    """Enter opens the menu, Tab stays inside it, Escape closes it, the focus returns."""
    phone.page.focus('[data-ui="open-menu"]')
    phone.page.keyboard.press("Enter")
    phone.page.wait_for_selector('dialog[data-sheet="menu"][open]')
    assert phone.page.evaluate("document.activeElement.closest('dialog') !== null")
    dialog = phone.page.locator('dialog[data-sheet="menu"]')
    assert dialog.get_attribute("aria-labelledby") == "menu-title"
    for _ in range(12):
        phone.page.keyboard.press("Tab")
        inside = phone.page.evaluate(
            "document.activeElement.closest('dialog[data-sheet=menu]') !== null"
        )
        assert inside, "the focus left the open menu"
    strict_audit(phone, "menu-open")
    phone.page.keyboard.press("Escape")
    phone.page.wait_for_selector('dialog[data-sheet="menu"][open]', state="detached")
    assert phone.page.evaluate("document.activeElement.dataset.ui") == "open-menu"


def between_moment(ana: Phone, bo: Phone) -> None:
    drawer, other = roles(ana, bo)
    one_primary_for_the_mover(drawer, other, "draw")
    # Going deeper is not legal yet: the screen says how many cards are still needed.
    need = drawer.view()["deck"]["levels"][0]["min_cards"]
    assert "propose_deeper" not in drawer.view()["legal"]
    assert f"{need} more cards before you can go deeper" in ana.text()
    assert f"Noch {need} Karten, dann könnt ihr tiefer gehen" in bo.text()
    for p in (ana, bo):
        strict_audit(p, "between")
    # The card's display face came from our own assets and is in use.
    loaded = ana.page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts]"
        ".filter((f) => f.family.includes('Fraunces') && f.status === 'loaded').length)"
    )
    assert loaded >= 1


def card_moments(ana: Phone, bo: Phone) -> None:
    speaker, listener, _ = draw_until(ana, bo, lambda c: c["mode"] == "one")
    one_primary_for_the_mover(speaker, listener, "answer")
    assert in_viewport(speaker, '[data-action="pass"]')
    for p in (speaker, listener):
        strict_audit(p, "shown")
    speaker.act("answer")
    one_primary_for_the_mover(speaker, listener, "done_speaking")
    # Pass is one tap away, on the screen, at every moment of speaking.
    assert visible(speaker, '[data-action="pass"]') == ["pass"]
    assert in_viewport(speaker, '[data-action="pass"]')
    listener.act("react", key="react:heart")
    for p in (speaker, listener):
        strict_audit(p, "speaking")
    menu_by_keyboard(listener)
    # The menu sheet over a card, in English (README).
    ana.open_sheet("menu")
    ana.shot("play-menu")
    ana.page.keyboard.press("Escape")
    ana.page.wait_for_selector('dialog[data-sheet="menu"][open]', state="detached")
    speaker.act("done_speaking")
    one_primary_for_the_mover(listener, speaker, "reflect")
    listener.act("reflect")
    one_primary_for_the_mover(speaker, listener, "felt_heard")
    strict_audit(speaker, "confirming")
    speaker.act("felt_heard")
    # The next card: passed with one tap, no menu opened.
    speaker, listener, _ = draw_until(ana, bo, lambda c: c["mode"] == "one")
    speaker.act("answer")
    speaker.page.click('[data-action="pass"]')
    speaker.settle()
    listener.wait('v.notice === "passed"')
    check(ana, bo)


def ending(ana: Phone, bo: Phone) -> None:
    ana.act("end")
    check(ana, bo)
    view: dict[str, Any] = bo.wait("v.card && v.card.closing")
    assert view["phase"] == "shown"
    bo.act("skip_closing")
    for p in (ana, bo):
        p.wait_screen("end")
    check(ana, bo)
    for p in (ana, bo):
        assert primaries(p) == ["play_again"], p.label
        strict_audit(p, "end")
    # No footer controls: deleting the room is in the menu, not under the summary.
    assert visible(ana, '[data-ui="delete-room"]') == []


def test_each_moment_has_one_primary_action_and_the_menu_holds_the_rest(
    phones: Phones,
) -> None:
    assert AXE.is_file(), "axe-core is a dev dependency of web-client (npm ci)"
    ana = phones.open("ana", inject_tools=True)
    bo = phones.open("bo", locale="de-DE", inject_tools=True)
    link = create_room(ana)
    join_by_link(bo, link, language="de")
    check(ana, bo)
    lobby_moments(ana, bo)
    between_moment(ana, bo)
    card_moments(ana, bo)
    ending(ana, bo)
    assert not ana.errors and not bo.errors, ana.errors + bo.errors


MOTION_JS = """() => {
  const probe = (tag, cls) => { const e = document.createElement(tag); e.className = cls;
    if (tag === 'dialog') e.setAttribute('open', '');
    document.body.appendChild(e); const s = getComputedStyle(e);
    const out = [s.animationName, s.display]; e.remove(); return out; };
  return {card: probe('div', 'card'), answer: probe('div', 'answer-card'),
          float: probe('span', 'float'), sheet: probe('dialog', 'sheet')};
}"""


def test_reduced_motion_removes_the_flips_and_floats_but_not_what_they_say(
    phones: Phones,
) -> None:
    phone = phones.open("motion", motion=True)
    phone.goto("/")
    phone.page.wait_for_selector('[data-ui="create"]:not([disabled])')
    moving = phone.page.evaluate(MOTION_JS)
    assert moving["card"][0] == "flip" and moving["answer"][0] == "flip"
    assert moving["float"] == ["float-up", "block"] and moving["sheet"][0] == "sheet-up"
    phone.page.emulate_media(reduced_motion="reduce")
    still = phone.page.evaluate(MOTION_JS)
    assert still["card"][0] == "none" and still["answer"][0] == "none"
    assert still["sheet"][0] == "none"
    assert still["float"][1] == "none"  # the reactions list still says it in words


def test_any_level_colour_a_deck_names_keeps_aa_contrast(phones: Phones) -> None:
    """Pure yellow, then near-black: the screen takes each on and its text stays AA."""
    ana = phones.open("ana", inject_tools=True)
    bo = phones.open("bo", inject_tools=True)
    link = create_room(ana, deck=GLARE_ID)
    join_by_link(bo, link)
    ana.act("ready")
    bo.act("ready")
    in_sync(ana, bo)
    yellow = ana.page.evaluate("getComputedStyle(document.body).backgroundColor")
    strict_audit(ana, "glare-yellow")
    ana.act("propose_deeper")  # this deck asks for no minimum
    bo.act("accept_deeper")
    in_sync(ana, bo)
    ana.wait("v.level === 1")
    drawer, _ = roles(ana, bo)
    drawer.act("draw")
    in_sync(ana, bo)
    strict_audit(drawer, "glare-dark")
    assert drawer.page.evaluate("getComputedStyle(document.body).backgroundColor") != yellow
