"""One phone, side by side (issue 21): a whole game on one phone, both seats on one
page. The screen says whose moment it is; the phone is passed with a hand-over screen;
boundaries and a reveal card's answers are written behind hand-over screens the other is
asked to look away from, and the first answer is not in the page while the second is
written; pause; the summary never says who passed."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import Phones
from tests.browser.phone import PRIMARIES_JS, Phone
from tests.browser.test_accessibility import axe

ANA_SECRET = "The green door I never opened"
BO_SECRET = "Saltwater and a borrowed bicycle"
MAX_STEPS = 60
# The seat tokens this page keeps: its own seat's, and on one phone the second seat's.
SEAT_KEYS_JS = "Object.keys(localStorage).filter((k) => /:(seat|second):/.test(k))"


def hand_over(phone: Phone, to: int, private: str = "", shot: str = "") -> None:
    """The hand-over screen to seat ``to`` (private: the other is asked to look away)."""
    phone.wait_screen("hand-over")
    screen = phone.page.locator("div.hand-over")
    assert screen.get_attribute("data-to") == str(to)
    assert screen.get_attribute("data-private") == private
    if private:  # "Bo, please look away now."
        assert phone.page.locator(".look-away").is_visible()
    if shot:
        phone.shot(shot, full_page=False)
    phone.page.click('[data-ui="take-phone"]')
    phone.page.wait_for_selector('#app:not([data-screen="hand-over"])')
    phone.settle()


def front(phone: Phone) -> int:
    return int(phone.view()["you"])


def moment(phone: Phone) -> str:
    return phone.page.locator('[data-ui="moment"]').inner_text()


def _wait_for_a_next_step(phone: Phone, done: str) -> None:
    try:
        phone.page.wait_for_function(
            f"""() => {{
              const v = window.__closeknitView;
              return document.getElementById('app').dataset.screen === 'hand-over'
                || ({PRIMARIES_JS})().length > 0 || (!!v && ({done}));
            }}"""
        )
    except PlaywrightTimeout:
        phase = phone.view()["phase"]
        raise AssertionError(f"nothing to do on {phone.screen()}: {phase}") from None


def play_until(phone: Phone, done: str, typed: dict[int, str] | None = None) -> list[int]:
    """Plays whatever the seat in front may do next (its primary action, a hand-over)
    until ``done`` holds over the view; returns the seats the phone was handed to."""
    handed: list[int] = []
    for _ in range(MAX_STEPS):
        phone.settle()
        if phone.screen() != "hand-over" and phone.page.evaluate(
            f"() => {{ const v = window.__closeknitView; return !!v && ({done}); }}"
        ):
            return handed
        if phone.screen() == "hand-over":
            to = int(phone.page.locator("div.hand-over").get_attribute("data-to") or 0)
            handed.append(to)
            phone.page.click('[data-ui="take-phone"]')
            continue
        prim = phone.primaries()
        if not prim:
            # One phone holds a socket per seat: the seat in front may be told of the
            # other's move a moment after its own reply (seen on a loaded machine).
            # Something to do, a hand-over or the end wanted must follow.
            _wait_for_a_next_step(phone, done)
            continue
        if prim[0] == "talked":
            phone.page.click('[data-ui="talked"]')
            continue
        phone.act(prim[0])
    raise AssertionError(f"{done} never came")


def draw_until(phone: Phone, wanted: str) -> dict[str, Any]:
    """The seat in front draws (after any hand-over), skipping until a wanted card."""
    for _ in range(30):
        play_until(phone, 'v.legal.includes("draw")')
        phone.act("draw")
        card = phone.view()["card"]
        if phone.page.evaluate(f"(c) => {wanted}", card):
            return dict(card)
        phone.act("skip")
    raise AssertionError("no wanted card")


def boundaries_on_hand_over(phone: Phone) -> None:
    # Ana first: her own hand-over screen, Bo asked to look away.
    phone.page.wait_for_selector("div.hand-over")
    assert "Bo, please look away now." in phone.text()
    hand_over(phone, 0, "boundaries")
    phone.wait_screen("one-boundaries")
    assert phone.view()["you"] == 0
    boxes = phone.page.locator('[data-action="mark_boundary"]')
    tag = boxes.first.get_attribute("id")
    label = phone.page.locator(f'label[for="{tag}"]').inner_text()
    boxes.first.check()
    phone.settle()
    phone.wait("v.boundaries.length === 1")
    phone.shot("one-phone-boundaries")
    phone.page.click('[data-ui="boundaries-done"]')
    phone.wait_screen("lobby")
    # Never shown again after "done": not on the lobby, not in the menu.
    assert not phone.page.locator('[data-opens="boundaries"]').count()
    assert "Ana gets ready" in moment(phone)
    phone.shot("one-phone-lobby", full_page=False)
    phone.act("ready")
    hand_over(phone, 1, "boundaries")
    # Nothing of Ana's choice on Bo's screen: his own list, nothing ticked.
    assert (
        label in phone.text() and not phone.page.locator('[data-action="unmark_boundary"]').count()
    )
    assert phone.view()["you"] == 1 and phone.view()["boundaries"] == []
    phone.page.click('[data-ui="boundaries-done"]')
    phone.wait_screen("lobby")
    phone.act("ready")
    phone.wait('v.phase === "between"')


def both_card(phone: Phone) -> None:
    card = draw_until(phone, 'c.mode === "both" || c.both')
    speaker = int(phone.view()["speaker"])
    names = ["Ana", "Bo"]
    assert moment(phone) == f"{names[speaker]} is speaking, {names[1 - speaker]} is listening"
    phone.shot("one-phone-speaking", full_page=False)
    # Ana's boundary is nowhere in the page during play, not even in a closed sheet.
    assert not phone.page.locator('[data-action="unmark_boundary"]').count()
    handed = play_until(phone, 'v.phase === "between"')
    assert handed[:1] == [1 - speaker]  # the listener takes the phone to say what they heard
    assert len(handed) >= 3 and phone.view()["progress"]["total"] >= 1, (card, handed)


def reveal_card(phone: Phone) -> None:
    draw_until(phone, 'c.mode === "reveal"')
    phone.act("answer")
    phone.wait('v.phase === "writing"')
    first = front(phone)
    hand_over(phone, first, "reveal")  # even the seat in front writes behind a hand-over
    words = [ANA_SECRET, BO_SECRET]
    phone.type_into("text-reveal", words[first])
    phone.act("write_reveal")
    hand_over(phone, 1 - first, "reveal", shot="one-phone-pass-private")
    phone.wait_screen("play")
    # The second answer is written: nothing of the first is in the page.
    html = phone.page.content()
    assert words[first] not in html and words[first] not in phone.text()
    assert words[first] not in json.dumps(phone.view())
    assert phone.page.locator('[data-ui="text-reveal"]').input_value() == ""
    phone.shot("one-phone-writing-second", full_page=False)
    phone.type_into("text-reveal", words[1 - first])
    html = phone.page.content()
    assert words[first] not in html
    phone.act("write_reveal")
    phone.wait("v.revealed !== null")
    text = phone.text()
    assert ANA_SECRET in text and BO_SECRET in text  # sealed, and opened with the room key
    phone.shot("one-phone-revealed")
    phone.page.click('[data-ui="talked"]')


def pause_pass_and_summary(phone: Phone) -> None:
    play_until(phone, 'v.phase === "between" && v.legal.includes("draw")')
    phone.act("pause")
    phone.wait_screen("pause")
    assert moment(phone) == "A break for you both"
    phone.shot("one-phone-pause", full_page=False)
    phone.act("resume")
    draw_until(phone, 'c.mode === "one"')
    phone.act("pass")
    phone.wait('v.notice === "passed"')
    play_until(phone, 'v.legal.includes("end")')
    phone.act("end")
    play_until(phone, 'v.phase === "ended"')
    phone.wait_screen("end")
    summary = phone.page.locator('[data-ui="summary"]').inner_text()
    assert "pass" not in summary.lower() and "Ana" not in summary and "Bo" not in summary
    phone.shot("one-phone-summary")
    # "Delete our room now" from one seat: the page (both seats) says it is gone.
    phone.page.once("dialog", lambda dialog: dialog.accept())
    phone.tap('[data-ui="delete-room"]')
    phone.wait_screen("deleted")
    assert phone.page.evaluate(SEAT_KEYS_JS) == []


def start_one_phone(phone: Phone, audit: bool = False) -> None:
    page = phone.page
    phone.goto("/")
    page.wait_for_selector('[data-ui="one-phone"]:not([disabled])')
    page.fill("#create-name", "Ana")
    page.select_option("#deck", "closer")
    page.click('[data-ui="one-phone"]')
    phone.wait_screen("one-phone")
    cannot = page.locator('[data-ui="one-cannot"]').inner_text()
    assert "over your shoulder" in cannot and "using this phone later" in cannot
    page.fill("#one-partner", "Bo")
    phone.shot("one-phone-intro")
    if audit:
        axe(phone, "one-phone intro")
    page.click('[data-ui="one-start"]')


def test_a_whole_game_on_one_phone(phones: Phones) -> None:
    phone = phones.open("sofa")
    page = phone.page
    sent: list[bytes | str] = []  # every frame either socket of the page sends
    keep = sent.append  # (Playwright takes no builtin method as a handler: a lambda)

    def frames(ws: Any) -> None:
        ws.on("framesent", lambda frame: keep(frame))  # noqa: PLW0108

    page.on("websocket", frames)
    start_one_phone(phone)
    page.wait_for_selector('[data-screen="hand-over"]')
    phone.shot("one-phone-hand-over", full_page=False)
    # Two sockets, one per seat: the page holds both seats' tokens, apart.
    stored = page.evaluate(SEAT_KEYS_JS)
    assert len(stored) == 2, stored
    boundaries_on_hand_over(phone)
    both_card(phone)
    reveal_card(phone)
    # Changing boundaries later: only behind the owner's own hand-over screen.
    phone.open_sheet("menu")
    page.click('[data-ui="change-boundaries-1"]')
    hand_over(phone, 1, "boundaries")
    phone.wait_screen("one-boundaries")
    assert phone.view()["you"] == 1
    page.click('[data-ui="boundaries-done"]')
    pause_pass_and_summary(phone)
    # Both sockets sealed what they sent: no typed word ever left the page as itself.
    assert len({f for f in sent if isinstance(f, bytes)}) > 20
    for secret in (ANA_SECRET, BO_SECRET):
        assert not any(secret.encode() in (f if isinstance(f, bytes) else f.encode()) for f in sent)
    assert not phone.errors, phone.errors


def seat_keys(phone: Phone) -> list[str]:
    return sorted(phone.page.evaluate(SEAT_KEYS_JS))


def test_one_phone_becomes_two_phones_and_back_without_losing_the_game(phones: Phones) -> None:
    sofa = phones.open("sofa", inject_tools=True)  # axe on the one-phone screens
    start_one_phone(sofa, audit=True)
    sofa.page.wait_for_selector("div.hand-over")
    axe(sofa, "one-phone hand-over")
    for seat in (0, 1):
        hand_over(sofa, seat, "boundaries")
        if seat == 0:
            axe(sofa, "one-phone boundaries")
        sofa.page.click('[data-ui="boundaries-done"]')
        sofa.wait_screen("lobby")
        sofa.act("ready")
    draw_until(sofa, "true")
    axe(sofa, "one-phone play")  # whose moment it is, over the card
    version, card = sofa.view()["version"], sofa.view()["card"]
    # Bo goes on his own phone: he opens the link (its QR code) of his seat there.
    sofa.open_sheet("menu")
    sofa.page.click('[data-ui="to-two-1"]')
    sofa.page.wait_for_selector('dialog[data-sheet="seat-link"][open] .qr')
    link = sofa.page.input_value('[data-ui="seat-link"]')
    assert "#seat=" in link and "key=" in link
    sofa.page.keyboard.press("Escape")
    bo = phones.open("bo")
    bo.goto(link)
    view = bo.wait(f"v.you === 1 && v.version >= {version}")
    assert view["version"] == version and view["card"] == card
    assert "seat=" not in bo.page.evaluate("location.href")  # the token left the address
    # The first phone keeps Ana's seat alone, as a two-phone page; the game goes on.
    sofa.wait(f"v.you === 0 && v.version >= {version}")
    sofa.page.wait_for_selector('#app[data-status="open"]')
    assert len(seat_keys(sofa)) == 1 and not sofa.page.locator('[data-ui="moment"]').count()
    speaker = sofa if "answer" in sofa.view()["legal"] else bo
    speaker.act("answer")
    version = speaker.view()["version"]
    for p in (sofa, bo):
        p.wait(f"v.version >= {version}")
    sofa.shot("one-phone-two-phones", full_page=False)
    # ...and back to one phone: Bo's phone shows his seat's link, Ana's phone opens it.
    bo.open_sheet("menu")
    bo.page.click('[data-ui="to-one-phone"]')
    bo.page.wait_for_selector('dialog[data-sheet="one-phone"][open]')
    back = bo.page.input_value('[data-ui="seat-link"]')
    bo.page.keyboard.press("Escape")
    sofa.goto(back)
    sofa.page.wait_for_selector('[data-ui="moment"], div.hand-over')
    assert len(seat_keys(sofa)) == 2
    bo.wait_screen("stopped")  # Bo's phone let go of the seat
    view = sofa.view()
    assert view["version"] == version and view["card"]["id"] == card["id"]
    # A reload keeps both seats on this phone.
    sofa.reload()
    sofa.page.wait_for_selector('[data-ui="moment"], div.hand-over')
    assert sofa.view()["version"] == version and len(seat_keys(sofa)) == 2
    assert not sofa.errors, sofa.errors
