"""A party in Chromium: a host console, a big-screen display and two couples on four
phones, through joining, pairing (by code, and by the host's hand), a timed round, a
host pause and the end. Screenshots land in tests/browser/screenshots/party-*.png."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Phones, Screens
from tests.browser.flows import speak_half
from tests.browser.phone import Phone
from tests.browser.test_accessibility import audit_page

pytestmark = pytest.mark.browser
ROUND_SECONDS = 10  # the shortest round a host may set


def ui(page: Phone, name: str) -> str:
    return f'[data-ui="{name}"]'


def join(phone: Phone, code: str, name: str) -> None:
    phone.goto(f"/party#join={code}")
    phone.wait_screen("party-join")
    phone.type_into("guest-name", name)
    phone.page.click(ui(phone, "join-party"))
    phone.wait_screen("party-lobby")


def table_view(phone: Phone, condition: str = "true") -> dict[str, object]:
    phone.wait_screen("party-table")
    return phone.wait(condition)


# The page's party `legal` list and its enabled party controls, read in one go (one
# render). "Re-pair everyone" (data-fields) is left out: `legal` is listed without
# fields and says nothing about `mix` with `everyone` (see console.ts).
PARTY_CONTROLS_JS = """() => ({
  legal: window.__closeknitPartyLegal,
  enabled: [...document.querySelectorAll('[data-party-action]:not([data-fields])')]
    .filter((e) => !e.disabled).map((e) => e.dataset.partyAction),
})"""
# Host actions offered on a guest's row: with no guest there is no row to offer them on.
PER_GUEST = frozenset({"remove_guest", "hand_host"})


def party_controls_follow_legal(page: Phone, *, unplaced: frozenset[str] = frozenset()) -> set[str]:
    """No enabled party control asks for an action its view does not list as legal, and
    (on the console) every legal action has an enabled control, but ``unplaced``.
    Returns the legal list."""
    snap = page.page.evaluate(PARTY_CONTROLS_JS)
    assert snap["legal"] is not None, f"{page.label}: no party view"
    legal, enabled = set(snap["legal"]), set(snap["enabled"])
    extra = sorted(enabled - legal)
    assert not extra, f"{page.label}: offers {extra} (legal: {sorted(legal)})"
    if page.screen() == "party-host":
        missing = legal - enabled - unplaced
        assert not missing, f"{page.label}: legal but not offered: {sorted(missing)}"
    return legal


def no_page_errors(*pages: Phone) -> None:
    for page in pages:
        assert not page.errors, f"{page.label}: {page.errors}"


def open_party(screens: Screens, *, inject_tools: bool = False) -> tuple[Phone, Phone, str]:
    """The host creates the party and opens the display from the console's link."""
    host = screens.open("host", inject_tools=inject_tools)
    host.goto("/party")
    host.wait_screen("party-start")
    host.page.click(ui(host, "create-party"))
    host.wait_screen("party-host")
    code = host.page.locator(ui(host, "party-code")).inner_text().strip()
    assert len(code) == 6
    display = screens.open("display", inject_tools=inject_tools)
    display.goto(str(host.page.locator(ui(host, "display-link")).get_attribute("href")))
    display.wait_screen("party-display")
    assert "#display=" in display.page.url and "." not in display.page.url.split("=")[-1]
    return host, display, code


def join_info_visible(display: Phone, code: str) -> None:
    """The code, the QR code and the plain link, as latecomers need them."""
    assert display.page.locator(ui(display, "party-code")).inner_text().strip() == code
    assert display.page.locator(f"{ui(display, 'party-qr')} svg").is_visible()
    link = display.page.locator(ui(display, "party-link")).inner_text()
    assert link.endswith(f"/party#join={code}")


def no_join_info(page: Phone) -> None:
    """Nothing invites anyone in: no code, no QR code, no link."""
    for name in ("party-code", "party-qr", "party-link"):
        assert page.page.locator(ui(page, name)).count() == 0, name
    assert "Join with your phone" not in page.text()


def pair_with_a_code(ana: Phone, ben: Phone, code: str) -> None:
    join(ana, code, "Ana")
    join(ben, code, "Ben")
    ana.page.click(ui(ana, "make-code"))
    pair_code = ana.page.locator(ui(ana, "pair-code")).inner_text().strip()
    ana.shot("party-guest-pair-code")
    ben.type_into("enter-code", pair_code)
    ben.page.click(ui(ben, "pair-with-code"))
    table_view(ana, "v.phase === 'between'")
    table_view(ben, "v.phase === 'between'")


def paired_by_the_host(host: Phone, cleo: Phone, dev: Phone, code: str) -> None:
    join(cleo, code, "Cleo")
    join(dev, code, "Dev")
    host.page.wait_for_selector('[data-guest="Dev"]')
    # two guests wait now: the engine lets the host pair them at random
    host.page.wait_for_selector(f"{ui(host, 'mix')}:not([disabled])")
    assert "mix" in party_controls_follow_legal(host)
    host.page.select_option(ui(host, "pair-a"), label="Cleo")
    host.page.select_option(ui(host, "pair-b"), label="Dev")
    host.page.click(ui(host, "pair"))
    host.page.wait_for_selector('[data-guest="Dev"]:has-text("at a table with Cleo")')
    assert not host.error_shown(), host.error_shown()
    table_view(cleo, "v.phase === 'between'")
    table_view(dev, "v.phase === 'between'")


def timed_round(host: Phone, display: Phone, pairs: tuple[tuple[Phone, Phone], ...]) -> None:
    """At the deadline each table learns "time for a new card", but the turn is not cut
    and nobody is told while the speaker is still talking: the words come between cards."""
    host.page.fill(ui(host, "round-seconds"), str(ROUND_SECONDS))
    host.page.click(ui(host, "start-round"))
    display.page.wait_for_selector(ui(display, "countdown"))
    # a round runs: no second start is legal until it is over
    host.page.wait_for_selector(f"{ui(host, 'start-round')}[disabled]")
    assert "start_round" not in party_controls_follow_legal(host)
    for pair in pairs:
        for phone in pair:
            view = phone.wait("v.new_card_due === true", timeout=(ROUND_SECONDS + 8) * 1000)
            assert view["phase"] == "speaking"
            assert not phone.page.locator(".screen.play", has_text="Time for a new card").count()
    for one, two in pairs:
        speaker, listener = (one, two) if one.view()["role"] == "speaker" else (two, one)
        speak_half(speaker, listener)
        if speaker.view()["phase"] == "speaking":  # a "both" card: the second half
            speak_half(listener, speaker)
        for phone in (one, two):
            phone.wait("v.phase === 'between'")
            said = phone.page.locator(".screen.play .notice", has_text="Time for a new card")
            said.first.wait_for()
            assert said.count() == 1  # said once, to the table between cards


def host_pause(host: Phone, display: Phone, guests: tuple[Phone, ...]) -> None:
    host.page.click(ui(host, "pause-all"))
    host.page.wait_for_selector(ui(host, "resume-all"))  # legal comes in a party_delta
    legal = party_controls_follow_legal(host)
    assert "resume_all" in legal and "pause_all" not in legal
    assert host.page.locator(ui(host, "pause-all")).count() == 0
    for phone in guests:
        view = phone.wait("v.paused.host === true")
        assert "done_speaking" not in view["legal"]
    display.page.wait_for_selector(ui(display, "paused"))
    guests[2].shot("party-host-pause")
    display.shot("party-display-paused")
    host.page.click(ui(host, "resume-all"))
    for phone in guests:
        phone.wait("v.paused.host === false")


def draw_a_spoken_card(drawer: Phone) -> None:
    """Draw; a reveal card is written, not spoken, and a test that needs a speaker skips
    it (the same partner draws again). Tests that drew once and answered failed whenever
    the deal opened with a reveal card."""
    drawer.act("draw")
    for _ in range(10):
        if drawer.view()["card"]["mode"] != "reveal":
            return
        drawer.act("skip")
        drawer.act("draw")
    raise AssertionError("ten reveal cards in a row")


def test_a_party_from_joining_to_the_end(screens: Screens, phones: Phones) -> None:
    host, display, code = open_party(screens)
    join_info_visible(display, code)
    # an empty party: nobody waits to be paired, so pairing at random is not offered
    assert "mix" not in party_controls_follow_legal(host, unplaced=PER_GUEST)
    assert host.page.locator(f"{ui(host, 'mix')}[disabled]").count() == 1
    assert host.page.locator(ui(host, "mix-why")).is_visible()
    ana, ben, cleo, dev = (phones.open(name) for name in ("ana", "ben", "cleo", "dev"))
    guests = (ana, ben, cleo, dev)
    pair_with_a_code(ana, ben, code)
    paired_by_the_host(host, cleo, dev, code)
    display.page.wait_for_selector(f'{ui(display, "table-count")}:has-text("2 tables")')
    join_info_visible(display, code)
    display.shot("party-display")

    # the tables play: at each, whoever draws draws; the console sees only levels
    for one, two in ((ana, ben), (cleo, dev)):
        drawer = one if one.view()["speaker"] == one.view()["you"] else two
        draw_a_spoken_card(drawer)
        drawer.act("answer")
    ana.shot("party-guest-table")
    host.page.wait_for_selector('[data-table="t1"]')
    host.shot("party-host-console")

    timed_round(host, display, ((ana, ben), (cleo, dev)))
    ben.shot("party-round-over")
    host_pause(host, display, guests)

    # between rounds the host re-pairs everyone: every phone moves to a new table
    host.page.click(ui(host, "remix"))
    for phone in guests:
        table_view(phone, "!v.room.endsWith('/t1') && !v.room.endsWith('/t2')")
        phone.wait("v.phase === 'between'")
    host.page.wait_for_selector('[data-table="t4"]')

    # the end (asked twice): every phone says so, and the display stops advertising it
    host.page.click(ui(host, "end-party"))
    host.page.click(ui(host, "confirm-yes"))
    for phone in guests:
        phone.wait_screen("party-ended")
    display.page.wait_for_selector(ui(display, "ended"))
    no_join_info(display)
    # after the end nothing is legal for the host: no control, not even on a guest's row
    host.page.wait_for_selector(ui(host, "ended"))
    assert party_controls_follow_legal(host) == set()
    assert host.page.locator("[data-guest]").count() == 4
    for control in ("remove", "make-host", "lock", "end-party", "pause-all", "deck"):
        assert host.page.locator(ui(host, control)).count() == 0, control
    dev.shot("party-ended")
    host.shot("party-host-ended")
    no_page_errors(host, display, *guests)


def test_party_pages_have_no_serious_accessibility_problems(
    screens: Screens, phones: Phones
) -> None:
    host, display, code = open_party(screens, inject_tools=True)
    audit_page(host, "party-host")
    audit_page(display, "party-display")
    guest, partner = phones.open("guest", inject_tools=True), phones.open("partner")
    guest.goto(f"/party#join={code}")
    guest.wait_screen("party-join")
    audit_page(guest, "party-join")
    guest.type_into("guest-name", "Ana")
    guest.page.click(ui(guest, "join-party"))
    guest.wait_screen("party-lobby")
    guest.page.click(ui(guest, "make-code"))
    guest.page.wait_for_selector(ui(guest, "pair-code"))
    audit_page(guest, "party-pair-code")
    join(partner, code, "Ben")
    partner.page.click(ui(partner, "look"))
    partner.page.wait_for_selector(ui(partner, "looking"))
    audit_page(host, "party-host-guests")
