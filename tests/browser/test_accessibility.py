"""Accessibility: axe-core, with the WCAG 2.0-2.2 A/AA rule tags, finds no violation of
any impact on any screen, light and dark, and a whole game can be played with the
keyboard alone. The audited screens are saved for both partners, in English and German,
light and dark (tests/browser/gallery.py)."""

from __future__ import annotations

import pytest

from tests.browser import gallery
from tests.browser.conftest import Phones
from tests.browser.flows import check, create_room, draw_until, start_game
from tests.browser.phone import Phone, in_sync
from tests.support.servers import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "web-client" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Every impact counts (issue 18), as in test_screens.strict_audit.
AXE_RUN = """async (tags) => {
  const result = await window.axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                resultTypes: ['violations']});
  return result.violations
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}"""


def axe(phone: Phone, name: str) -> None:
    """axe finds nothing on the screen, light or dark."""
    phone.settle()
    if not phone.page.evaluate("!!window.axe"):
        phone.page.add_script_tag(path=str(AXE))
    problems = phone.page.evaluate(AXE_RUN, TAGS)
    assert problems == [], f"{name} ({phone.label}): {problems}"
    phone.page.emulate_media(color_scheme="dark")  # the dark palette must hold AA too
    try:
        problems = phone.page.evaluate(AXE_RUN, TAGS)
    finally:
        phone.page.emulate_media(color_scheme="light")
    assert problems == [], f"{name} ({phone.label}, dark): {problems}"


def audit_page(phone: Phone, name: str) -> None:
    """A page with one language and no seat (the party's host and display pages): axe,
    light and dark, and the page saved in both schemes."""
    axe(phone, name)
    gallery.save(name, phone)


def audit(name: str, *phones: Phone, every: bool = False) -> None:
    """axe (light, dark) on the first phone, or on ``every`` one; then the screen saved
    on each phone in both UI languages, light and dark. The phones stay in the language
    they were switched to (nothing here reads words; the time budget likes one switch)."""
    for phone in phones if every else phones[:1]:
        axe(phone, name)
    gallery.matrix(name, *phones, back=False)


def knock(bo: Phone, code: str) -> None:
    bo.page.fill("#join-code", code)
    bo.page.fill("#join-name", "Bo")
    bo.page.click('[data-ui="knock"]')
    bo.wait_screen("knocking")


def audit_joining(ana: Phone, bo: Phone) -> None:
    ana.goto("/")
    ana.page.wait_for_selector('[data-ui="create"]:not([disabled])')
    audit("start", ana)
    create_room(ana)
    audit("lobby-invite", ana)
    code = ana.page.inner_text('[data-ui="room-code"]')
    # The knocking screen has no language select: a knock in German first, which Ana
    # declines, then one in English.
    bo.goto("/")
    bo.page.wait_for_selector('[data-ui="create"]:not([disabled])')
    gallery.switch(bo)
    knock(bo, code)
    gallery.save("knocking", bo)
    ana.page.wait_for_selector('[role="alertdialog"]')
    ana.page.click('[data-ui="decline-knock"]')
    bo.wait_screen("start")
    ana.page.wait_for_selector('[role="alertdialog"]', state="detached")
    gallery.switch(bo)
    knock(bo, code)
    axe(bo, "knocking")
    gallery.save("knocking", bo)
    ana.page.wait_for_selector('[role="alertdialog"]')
    ana.page.wait_for_selector('[data-ui="knock-code"]')  # the safety code, ready
    audit("admit-prompt", ana)
    ana.page.click('[data-ui="admit"]')
    bo.wait_screen("lobby")
    bo.page.wait_for_selector('[data-ui="safety-code"]')  # the room key came with it
    audit("lobby", bo, ana)


def audit_turn(ana: Phone, bo: Phone) -> None:
    speaker, listener, _ = draw_until(ana, bo, lambda c: c["mode"] == "one")
    audit("shown", speaker, listener, every=True)
    speaker.act("answer")
    listener.act("react", key="react:me_too")
    check(ana, bo)
    audit("speaking", speaker, listener, every=True)
    speaker.act("done_speaking")
    check(ana, bo)
    audit("reflecting", listener, speaker)
    listener.act("reflect")
    check(ana, bo)
    audit("confirming", speaker, listener)
    speaker.act("felt_heard")
    check(ana, bo)


def audit_reveal(ana: Phone, bo: Phone) -> None:
    speaker, _, _ = draw_until(ana, bo, lambda c: c["mode"] == "reveal")
    speaker.act("answer")
    check(ana, bo)
    for p in (ana, bo):  # both write: each has the one primary action
        assert p.primaries() == ["write_reveal"], p.label
    ana.type_into("text-reveal", "mine")
    ana.act("write_reveal")
    audit("writing", ana, bo)
    bo.type_into("text-reveal", "yours")
    bo.act("write_reveal")
    check(ana, bo)
    for p in (ana, bo):  # "talk about it": "we talked" for either partner
        p.wait("v.revealed !== null")
        assert p.primaries() == ["talked"], p.label
    audit("revealed", bo, ana)


def audit_pause_and_away(ana: Phone, bo: Phone) -> None:
    ana.act("pause")
    check(ana, bo)
    axe(ana, "pause")
    axe(bo, "pause")
    gallery.save("pause", ana, bo)
    ana.act("resume")
    check(ana, bo)
    gallery.paused_again("pause", ana, ana, bo, back=False)
    for n, _ in enumerate(gallery.LANGS):  # offline, no language can change: once in each
        bo.go_offline()
        ana.page.wait_for_selector(".banner.calm")
        bo.page.wait_for_selector(".banner.warn")
        if not n:
            axe(bo, "reconnecting")
        gallery.save("reconnecting", bo)
        if not n:
            audit("partner-away", ana)
        bo.go_online()
        bo.page.wait_for_selector('#app[data-status="open"]', timeout=20_000)
        ana.page.wait_for_selector(".banner.calm", state="detached")
        gallery.switch(bo)  # the other language, then back


def audit_ending(ana: Phone, bo: Phone) -> None:
    ana.tap('[data-ui="toggle-invite"]')
    audit("invite-during-game", ana)
    ana.act("end")
    check(ana, bo)
    audit("closing-card", bo, ana)
    bo.act("skip_closing")
    check(ana, bo)
    audit("end", ana, bo)
    gallery.to("en", bo)  # no language to change once deleted: English here, German in test_screens
    ana.page.once("dialog", lambda dialog: dialog.accept())
    ana.tap('[data-ui="delete-room"]')
    bo.wait_screen("deleted")
    axe(bo, "deleted")
    gallery.save("deleted", bo)


def test_axe_finds_no_violation_on_any_screen_light_or_dark(phones: Phones) -> None:
    assert AXE.is_file(), "axe-core is a dev dependency of web-client (npm ci)"
    ana, bo = phones.open("ana", inject_tools=True), phones.open("bo", inject_tools=True)
    audit_joining(ana, bo)
    start_game(ana, bo)
    audit("between", ana, bo)
    # The reveal first: closer's first level has only a few reveal cards, and hunting a
    # "one" card first could skip them away (then the level ran out and Draw never came).
    audit_reveal(ana, bo)
    audit_turn(ana, bo)
    audit_pause_and_away(ana, bo)
    audit_ending(ana, bo)


# --- keyboard only -------------------------------------------------------------------
def tab_to(phone: Phone, selector: str, max_tabs: int = 80) -> None:
    """Presses Tab until the focused element matches ``selector``."""
    for _ in range(max_tabs):
        if phone.page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        phone.page.keyboard.press("Tab")
    raise AssertionError(f"{phone.label}: Tab never reached {selector}")


def press(phone: Phone, selector: str, key: str = "Enter") -> None:
    before = phone.page.evaluate("window.__closeknitView && window.__closeknitView.version")
    tab_to(phone, selector)
    phone.page.keyboard.press(key)
    phone.settle()
    if before is not None:
        phone.wait(f"v.version > {before}")


def keyboard_turn(a: Phone, b: Phone) -> None:
    """Whoever draws next draws, answers by keyboard; the other reflects by keyboard."""
    view = a.view()
    drawer, other = (a, b) if view["speaker"] == view["you"] else (b, a)
    press(drawer, '[data-action="draw"]')
    in_sync(a, b)
    card = drawer.view()["card"]
    if card["mode"] == "reveal":  # answered in writing by both
        press(drawer, '[data-action="answer"]')
        for p in (a, b):
            in_sync(a, b)
            tab_to(p, '[data-ui="text-reveal"]')
            p.page.keyboard.type(f"typed by {p.label}")
            press(p, '[data-action="write_reveal"]')
        return
    press(drawer, '[data-action="answer"]')
    halves = [(drawer, other), (other, drawer)] if card["mode"] == "both" else [(drawer, other)]
    for speaker, listener in halves:
        in_sync(a, b)
        speaker.wait('v.phase === "speaking" && v.role === "speaker"')
        tab_to(speaker, '[data-ui="type-answer"]')  # talked first: typing waits behind it
        speaker.page.keyboard.press("Enter")
        speaker.page.wait_for_selector('[data-ui="text-answer"]:focus')
        speaker.page.keyboard.type("Typed with keys alone.")
        press(speaker, '[data-action="done_speaking"]')
        in_sync(a, b)
        press(listener, '[data-action="reflect"]')
        in_sync(a, b)
        press(speaker, '[data-action="felt_heard"]')
    in_sync(a, b)


def test_a_whole_game_by_keyboard_alone(phones: Phones) -> None:
    ana, bo = phones.open("ana", keyboard_only=True), phones.open("bo", keyboard_only=True)
    ana.goto("/")
    ana.page.wait_for_selector('[data-ui="create"]:not([disabled])')
    tab_to(ana, "#create-name")
    ana.page.keyboard.type("Ana")
    tab_to(ana, '[data-ui="create"]')
    ana.page.keyboard.press("Enter")
    ana.wait_screen("lobby")
    link = ana.page.input_value('[data-ui="invite-link"]')
    bo.goto(link)
    tab_to(bo, "#invite-name")
    bo.page.keyboard.type("Bo")
    bo.page.keyboard.press("Enter")  # submits the form
    bo.wait_screen("lobby")
    # The boundaries sheet: opened, used and closed by keyboard; the focus comes back.
    tab_to(ana, '[data-ui="open-boundaries"]')
    ana.page.keyboard.press("Enter")
    ana.page.wait_for_selector('dialog[data-sheet="boundaries"][open]')
    press(ana, "#b-family", key="Space")
    assert ana.view()["boundaries"] == ["family"]
    ana.page.keyboard.press("Escape")
    ana.page.wait_for_selector('dialog[data-sheet="boundaries"][open]', state="detached")
    assert ana.page.evaluate("document.activeElement.dataset.ui") == "open-boundaries"
    press(ana, '[data-action="ready"]')
    press(bo, '[data-action="ready"]')
    in_sync(ana, bo)
    for _ in range(3):
        keyboard_turn(ana, bo)
    assert ana.view()["progress"]["total"] == 3
    press(bo, '[data-action="pause"]')
    in_sync(ana, bo)
    press(bo, '[data-action="resume"]')
    in_sync(ana, bo)
    tab_to(ana, '[data-ui="open-menu"]')  # "End the game" is in the menu sheet
    ana.page.keyboard.press("Enter")
    ana.page.wait_for_selector('dialog[data-sheet="menu"][open]')
    press(ana, '[data-action="end"]')
    in_sync(ana, bo)
    press(bo, '[data-action="skip_closing"]')
    in_sync(ana, bo)
    ana.wait_screen("end")
    assert ana.view()["summary"]["total"] == 3
    check(ana, bo)
    tab_to(ana, '[data-action="play_again"]')
    ana.shot("keyboard-end-focus")
