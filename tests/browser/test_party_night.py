"""A real party night in Chromium: phones that reload or sleep, a guest who leaves a
table, a host who removes someone, locks the door and hands the role on, late arrivals at
an ended party, a wrong code. Every stop has words and a way on; hard-to-undo powers ask first.
Screenshots land in tests/browser/screenshots/party-*.png."""

from __future__ import annotations

import json

import httpx
import pytest
import redis
from playwright.sync_api import WebSocket

from tests.browser.conftest import Phones, Screens
from tests.browser.phone import Phone
from tests.browser.test_party import (
    draw_a_spoken_card,
    join,
    no_join_info,
    no_page_errors,
    open_party,
    pair_with_a_code,
    party_controls_follow_legal,
    table_view,
    ui,
)
from tests.support.redis import RedisServer
from tests.support.servers import ROOT, ServerProcess

pytestmark = pytest.mark.browser


def drawer_of(one: Phone, two: Phone) -> tuple[Phone, Phone]:
    view = one.view()
    return (one, two) if view["speaker"] == view["you"] else (two, one)


def test_a_guest_reloads_mid_card_and_leaves_the_table_later(
    screens: Screens, phones: Phones
) -> None:
    host, display, code = open_party(screens)
    ana, ben = phones.open("ana"), phones.open("ben")
    pair_with_a_code(ana, ben, code)
    speaker, listener = drawer_of(ana, ben)
    draw_a_spoken_card(speaker)  # a reveal card has no speaker: this test failed on one
    speaker.act("answer")
    before = speaker.wait("v.phase === 'speaking'")
    # the speaker's phone reloads (or the tab was discarded): same table, same card
    speaker.reload()
    after = table_view(speaker, "v.phase === 'speaking'")
    assert after["room"] == before["room"] and after["card"]["id"] == before["card"]["id"]
    assert after["you"] == before["you"]
    speaker.act("done_speaking")  # and the game goes on from there
    listener.wait("v.phase === 'reflecting'")
    speaker.shot("party-guest-after-reload")
    assert "leave_table" in party_controls_follow_legal(speaker)
    # the table ends (the closing card offered, then passed over): its summary offers no
    # "delete our room now" (the host runs the room)
    speaker.act("end")
    speaker.wait("v.card && v.card.closing")
    speaker.act("end")
    for phone in (ana, ben):
        phone.wait("v.phase === 'ended'")
        assert phone.page.locator(ui(phone, "delete-room")).count() == 0

    # leaving the table asks first; the partner is told kindly and looks for someone new
    ben.page.click(ui(ben, "leave-table"))
    ben.page.wait_for_selector(ui(ben, "confirm-leave-table"))
    ben.shot("party-guest-leave-confirm")
    ben.page.click(ui(ben, "stay"))
    assert ben.page.locator(ui(ben, "confirm-leave-table")).count() == 0
    ben.page.click(ui(ben, "leave-table"))
    ben.page.click(ui(ben, "yes-leave-table"))
    ben.wait_screen("party-lobby")
    # without a table there is no "leave table" (the engine's no_table); pairing again is
    assert "leave_table" not in party_controls_follow_legal(ben)
    assert ben.page.locator(ui(ben, "leave-table")).count() == 0
    ben.page.wait_for_selector(ui(ben, "make-code"))
    ana.wait_screen("party-lobby")
    ana.page.wait_for_selector(ui(ana, "partner-left"))
    ana.page.wait_for_selector(ui(ana, "looking"))
    ana.shot("party-guest-partner-left")
    host.page.wait_for_selector('[data-guest="Ana"]:has-text("looking for a partner")')
    no_page_errors(host, display, ana, ben)


RECONNECTING = '.banner.warn:has-text("Reconnecting")'
# A page's WebSockets, kept so that a test can kill them as a phone's sleep does (offline
# emulation alone leaves an idle socket open). Added before the page (re)loads.
SOCKETS_JS = """(() => {
  const Native = window.WebSocket, all = [];
  window.__ckSockets = all;
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); all.push(this); }
  };
})()"""


def can_sleep(phone: Phone) -> None:
    phone.context.add_init_script(SOCKETS_JS)


def asleep(*phones: Phone) -> None:
    """The phone sleeps: the network is gone and its sockets are dead; it says so."""
    for phone in phones:
        phone.context.set_offline(True)
        phone.page.evaluate("window.__ckSockets.forEach((s) => s.close())")
    for phone in phones:
        phone.page.wait_for_selector(RECONNECTING)


def awake(*phones: Phone) -> None:
    for phone in phones:
        phone.context.set_offline(False)
    for phone in phones:
        phone.page.wait_for_selector(RECONNECTING, state="detached", timeout=20_000)
        # a try while the network was gone is the browser's to log, not the page's fault
        phone.errors[:] = [e for e in phone.errors if "ERR_INTERNET_DISCONNECTED" not in e]


def pair_by_hand_in_mixer(
    screens: tuple[Phone, Phone], code: str, cleo: Phone, dev: Phone, eli: Phone
) -> None:
    host, display = screens
    # (a click, not check(): the box shows the server's answer, which comes a moment later)
    host.page.click(ui(host, "mixer"))
    host.page.wait_for_selector(f"{ui(host, 'mixer')}:checked")
    join(cleo, code, "Cleo")
    join(dev, code, "Dev")
    # the console and the big screen sleep while Eli arrives, and catch up when they wake
    asleep(host, display)
    display.shot("party-display-asleep")
    join(eli, code, "Eli")
    awake(host, display)
    host.page.wait_for_selector('[data-guest="Eli"]')
    display.page.wait_for_selector('[data-ui="guest-count"]:has-text("3 guests")')
    # Dev's phone sleeps while the host seats them: Cleo sits down first, with Dev away
    asleep(dev)
    host.page.select_option(ui(host, "pair-a"), label="Cleo")
    host.page.select_option(ui(host, "pair-b"), label="Dev")
    host.page.click(ui(host, "pair"))
    host.page.wait_for_selector('[data-guest="Cleo"]:has-text("at a table with Dev")')
    table_view(cleo, "v.phase === 'between'")
    cleo.page.wait_for_selector(".room .banner.calm")  # Dev is not here yet
    awake(dev)  # woken, Dev finds the table and sits down
    table_view(dev, "v.phase === 'between'")
    cleo.page.wait_for_selector(".room .banner.calm", state="detached")
    # a party table offers no couple-only controls, and greets nobody as "back" (Dev
    # arriving for the first time is not back)
    for phone in (cleo, dev):
        assert phone.page.locator(ui(phone, "toggle-invite")).count() == 0
        assert phone.page.locator(ui(phone, "delete-room")).count() == 0
        assert "is back" not in phone.text()
    cleo.shot("party-guest-table-mixer")


def remove_after_asking(host: Phone, eli: Phone) -> None:
    """Removing asks first; cancelling changes nothing; a reload of the removed guest's
    page says so again instead of spinning."""
    row = '[data-guest="Eli"]'
    host.page.click(f"{row} {ui(host, 'remove')}")
    host.page.wait_for_selector(ui(host, "confirm-remove"))
    host.shot("party-host-confirm-remove")
    host.page.click(ui(host, "confirm-no"))
    assert host.page.locator(row).count() == 1
    host.page.click(f"{row} {ui(host, 'remove')}")
    host.page.click(ui(host, "confirm-yes"))
    eli.wait_screen("party-removed")
    host.page.wait_for_selector(row, state="detached")
    eli.reload()
    eli.wait_screen("party-removed")
    eli.shot("party-guest-removed")


def lock_and_unlock(host: Phone, display: Phone) -> None:
    """A locked party stops advertising itself on the big screen."""
    host.page.click(ui(host, "lock"))
    display.page.wait_for_selector(ui(display, "locked"))
    # the same action opens the room again: still legal, and the button says which way
    host.page.wait_for_selector(f'{ui(host, "lock")}:has-text("Unlock the room")')
    assert "lock" in party_controls_follow_legal(host)
    no_join_info(display)
    assert "full" not in display.text()
    display.shot("party-display-locked")
    host.page.click(ui(host, "lock"))
    display.page.wait_for_selector(ui(display, "party-code"))
    # the console and the big screen come back after a reload, as a guest does
    for page, screen in ((host, "party-host"), (display, "party-display")):
        page.reload()
        page.wait_screen(screen)
    host.page.wait_for_selector('[data-ui="guests"] :text("Cleo")')
    display.page.wait_for_selector('[data-ui="guest-count"]:has-text("1 guest")')  # Cleo


def hand_over_after_asking(host: Phone, cleo: Phone) -> None:
    """The old console names the new host; the co-host can open the big screen too."""
    host.page.click(f'[data-guest="Cleo"] {ui(host, "make-host")}')
    host.page.wait_for_selector(ui(host, "confirm-hand"))
    host.page.click(ui(host, "confirm-yes"))
    host.wait_screen("party-stopped")
    assert "You handed the host role to Cleo" in host.text()
    host.shot("party-host-handed")
    # a co-host cannot leave the party (the engine's is_host): the page no longer offers it
    cleo.page.wait_for_selector(ui(cleo, "take-host"))
    assert "leave_party" not in party_controls_follow_legal(cleo)
    assert cleo.page.locator(ui(cleo, "leave-party")).count() == 0
    cleo.shot("party-cohost-lobby")
    cleo.page.click(ui(cleo, "take-host"))
    cleo.wait_screen("party-host")
    # her own row offers neither "Make host" nor "Remove" (the engine refuses both)
    own = cleo.page.locator('[data-guest="Cleo"]')
    own.locator('[data-ui="is-host"]').wait_for()
    assert own.locator('[data-ui="make-host"], [data-ui="remove"]').count() == 0
    link = cleo.page.locator(ui(cleo, "display-link")).get_attribute("href")
    assert link and "#display=" in link
    cleo.shot("party-cohost-console")


def test_a_mixer_night_with_a_removal_a_lock_a_hand_over_and_the_end(
    screens: Screens, phones: Phones
) -> None:
    host, display, code = open_party(screens)
    cleo, dev, eli = phones.open("cleo"), phones.open("dev"), phones.open("eli")
    for page, screen in ((host, "party-host"), (display, "party-display"), (dev, "")):
        can_sleep(page)
        if screen:  # already open: from the next load on
            page.reload()
            page.wait_screen(screen)
    pair_by_hand_in_mixer((host, display), code, cleo, dev, eli)
    # in mixer mode too a guest can leave the table; the partner waits for the next pair
    dev.page.click(ui(dev, "leave-table"))
    dev.page.click(ui(dev, "yes-leave-table"))
    dev.page.wait_for_selector(ui(dev, "mixer-wait"))
    cleo.page.wait_for_selector(ui(cleo, "partner-left"))
    cleo.page.wait_for_selector(ui(cleo, "leave-party"))  # legal until she holds the role
    # and leaves the party (asked first); a reload says so again, with a way back in
    dev.page.click(ui(dev, "leave-party"))
    dev.page.click(ui(dev, "yes-leave-party"))
    dev.wait_screen("party-left")
    host.page.wait_for_selector('[data-guest="Dev"]', state="detached")
    dev.reload()
    dev.wait_screen("party-left")
    assert dev.page.locator(ui(dev, "join-as-new")).is_visible()
    remove_after_asking(host, eli)
    lock_and_unlock(host, display)
    hand_over_after_asking(host, cleo)

    # the co-host ends the party; the big screen says so and shows no way in
    cleo.page.click(ui(cleo, "end-party"))
    cleo.page.click(ui(cleo, "confirm-yes"))
    display.page.wait_for_selector(ui(display, "ended"))
    no_join_info(display)
    display.shot("party-display-ended")
    late = phones.open("late")
    late.goto(f"/party#join={code}")
    late.wait_screen("party-join")
    late.type_into("guest-name", "Fay")
    late.page.click(ui(late, "join-party"))
    late.wait_screen("party-ended")
    late.shot("party-late-arrival-ended")
    no_page_errors(display, dev, late)


def test_a_wrong_party_code_says_so_and_offers_another_try(phones: Phones) -> None:
    guest = phones.open("lost")
    guest.goto("/party#join=ZZZZZZ")
    guest.wait_screen("party-join")
    guest.type_into("guest-name", "Gus")
    guest.page.click(ui(guest, "join-party"))
    guest.wait_screen("party-not-found")
    assert "ZZZZZZ" in guest.text() and "Check the code with the host" in guest.text()
    assert guest.page.locator(ui(guest, "other-code")).is_visible()
    guest.shot("party-wrong-code")


def test_the_pair_code_and_round_fields_keep_their_width_on_a_phone(
    phones: Phones, live_server: ServerProcess
) -> None:
    created = httpx.post(f"{live_server.url}/api/parties", json={"deck": "closer"}).json()
    host = phones.open("host-phone")  # a host steering from a 390 px phone
    host.goto(created["host_url"])
    host.wait_screen("party-host")
    field = host.page.locator(ui(host, "round-seconds")).bounding_box()
    assert field is not None and field["width"] >= 100, field
    # an uploaded deck is named by its title in the deck field
    deck = json.loads((ROOT / "decks/builtin/closer.json").read_text(encoding="utf-8"))
    deck["id"], deck["title"] = "our-own", {"en": "Our own evening", "de": "Unser Abend"}
    upload = {"name": "ours.json", "mimeType": "application/json",
              "buffer": json.dumps(deck).encode()}  # fmt: skip
    host.page.set_input_files(ui(host, "upload"), files=[upload])
    host.page.wait_for_function(
        "() => document.querySelector('[data-ui=\"deck\"]').selectedOptions[0]?.text"
        " === 'Our own evening'"
    )
    host.shot("party-host-phone")
    guest = phones.open("guest-phone")
    join(guest, created["code"], "Hal")
    field = guest.page.locator(ui(guest, "enter-code")).bounding_box()
    assert field is not None and field["width"] >= 150, field
    # A Spanish host's console says what is wrong with a deck file in Spanish (issue 24)
    other = httpx.post(f"{live_server.url}/api/parties", json={"deck": "closer"}).json()
    host_es = phones.open("host-es", locale="es-ES")
    host_es.goto(other["host_url"])
    host_es.wait_screen("party-host")
    deck["cards"][1]["id"] = deck["cards"][0]["id"]  # one id twice
    broken = {**upload, "buffer": json.dumps(deck).encode()}
    host_es.page.set_input_files(ui(host_es, "upload"), files=[broken])
    said = f"El id de carta “{deck['cards'][0]['id']}” ya lo usa otra carta"
    host_es.page.wait_for_function(f"() => document.body.innerText.includes({json.dumps(said)})")
    assert "already used" not in host_es.text()


def test_the_console_and_the_big_screen_wait_out_a_store_that_does_not_answer(
    screens: Screens, browser_redis: RedisServer
) -> None:
    """Coming back while the server cannot reach its store (Redis hung for a moment),
    the console and the big screen are refused with store/unavailable: they try again,
    as after a lost socket, instead of closing for good (the big screen has nobody at it
    to reload it)."""
    host, display, _ = open_party(screens)
    refusals: list[str] = []

    def watch(ws: WebSocket) -> None:
        ws.on("framereceived", lambda frame: refusals.append(str(frame)))

    for page, screen in ((host, "party-host"), (display, "party-display")):
        can_sleep(page)
        page.reload()
        page.wait_screen(screen)
        page.page.on("websocket", watch)
    with redis.Redis.from_url(browser_redis.url) as store:
        # hellos wait 1 s on the limiter, then 2 s (the reply deadline) on the party
        store.execute_command("CLIENT", "PAUSE", "4500", "ALL")
    for page in (host, display):
        page.page.evaluate("window.__ckSockets.forEach((s) => s.close())")
    for page, screen in ((host, "party-host"), (display, "party-display")):
        page.page.wait_for_selector(RECONNECTING, state="detached", timeout=20_000)
        page.wait_screen(screen)
    assert sum("store/unavailable" in frame for frame in refusals) >= 2, refusals
    host.page.click(ui(host, "lock"))  # and they work again
    display.page.wait_for_selector(ui(display, "locked"))
    no_page_errors(host, display)
