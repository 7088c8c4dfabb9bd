"""Moves of a couple's game, made through the real UI of two phones.

Cards are dealt at random (seeded per room), so flows read the view to learn which card
came and skip cards until one of the wanted kind shows up; skipping is itself a rule
under test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.browser.phone import Phone, in_sync

Card = dict[str, Any]
MAX_SKIPS = 40


def create_room(
    phone: Phone, name: str = "Ana", *, deck: str = "closer", language: str | None = None
) -> str:
    """Creates a room from the start screen; returns the invite link shown in the lobby."""
    page = phone.page
    phone.goto("/")
    page.wait_for_selector('[data-ui="create"]:not([disabled])')
    if language:
        page.select_option("#ui-lang", language)
    page.fill("#create-name", name)
    page.select_option("#deck", deck)
    page.click('[data-ui="create"]')
    phone.wait_screen("lobby")
    return page.input_value('[data-ui="invite-link"]')


def join_by_link(phone: Phone, link: str, name: str = "Bo", language: str | None = None) -> None:
    page = phone.page
    phone.goto(link)
    phone.wait_screen("join-invite")
    if language:
        page.select_option("#ui-lang", language)
    page.fill("#invite-name", name)
    page.click('[data-ui="join-invite"]')
    phone.wait_screen("lobby")


def share_key(creator: Phone, partner: Phone) -> None:
    """A partner let in by typed code has no room key (issue 20): the creator opens the
    invite from the menu and the partner opens its link on the same phone."""
    creator.open_sheet("menu")
    creator.tap('[data-ui="toggle-invite"]')
    link = creator.page.input_value('[data-ui="invite-link"]')
    assert "key=" in link
    creator.page.keyboard.press("Escape")
    partner.goto(link)
    partner.page.wait_for_selector('#app[data-status="open"]')
    partner.settle()
    assert "key=" not in partner.page.evaluate("location.href")
    assert not partner.page.locator('[data-ui="no-key"]').count()


def check(*phones: Phone) -> None:
    """Both phones agree on the version and offer exactly their legal actions."""
    in_sync(*phones)
    for p in phones:
        p.assert_controls_match_legal()


def start_game(a: Phone, b: Phone) -> None:
    a.act("ready")
    b.act("ready")
    in_sync(a, b)
    a.wait('v.phase === "between"')
    b.wait('v.phase === "between"')
    check(a, b)


def roles(a: Phone, b: Phone) -> tuple[Phone, Phone]:
    """(speaker, listener) now; between cards, (drawer, partner)."""
    view = a.view()
    return (a, b) if view["speaker"] == view["you"] else (b, a)


def draw(a: Phone, b: Phone) -> tuple[Phone, Phone, Card]:
    drawer, other = roles(a, b)
    view = drawer.view()
    # Skipping removes cards: a hunt for a kind can empty a level. Say so, rather than
    # wait for a Draw button that cannot come.
    assert "draw" in view["legal"], f"no card to draw (exhausted: {view['exhausted']})"
    drawer.act("draw")
    check(a, b)
    card = drawer.view()["card"]
    assert card is not None
    return drawer, other, card


def draw_until(a: Phone, b: Phone, wanted: Callable[[Card], bool]) -> tuple[Phone, Phone, Card]:
    """Draws, skipping cards (alternately by either partner) until a wanted one shows."""
    for i in range(MAX_SKIPS):
        speaker, listener, card = draw(a, b)
        if wanted(card):
            return speaker, listener, card
        skipper = listener if i % 2 == 0 else speaker
        skipper.act("skip")
        check(a, b)
        view = skipper.view()
        assert view["notice"] == "skipped" and view["phase"] == "between"
        # the same speaker draws again
        assert roles(a, b)[0] is speaker
    raise AssertionError("no wanted card turned up")


def speak_half(
    speaker: Phone, listener: Phone, *, answer: str | None = None, reflection: str | None = None
) -> None:
    """One speaking / reflecting / confirming round, the speaker already speaking."""
    speaker.wait('v.phase === "speaking" && v.role === "speaker"')
    if answer is not None:
        speaker.type_into("text-answer", answer)
        listener.page.wait_for_selector('[data-ui="typing"]')  # "writing..." only
        assert answer not in listener.text()
    speaker.act("done_speaking")
    check(speaker, listener)
    view = listener.wait('v.phase === "reflecting"')
    if answer is not None:
        assert answer in listener.text()
    if view["card"]["follow_ups"]:
        assert view["card"]["follow_ups"][0] in listener.text()
    if reflection is not None:
        listener.type_into("text-reflect", reflection)
    listener.act("reflect")
    check(speaker, listener)
    speaker.wait('v.phase === "confirming"')
    if reflection is not None:
        assert reflection in speaker.text()
    speaker.act("felt_heard")
    check(speaker, listener)


def answer_card(speaker: Phone, listener: Phone, card: Card) -> None:
    """Plays a drawn "one" or "both" card to its end."""
    speaker.act("answer")
    check(speaker, listener)
    speak_half(speaker, listener)
    if card["both"] or card["mode"] == "both":
        # the second half: roles swap
        listener.wait('v.phase === "speaking" && v.role === "speaker"')
        speak_half(listener, speaker)
    speaker.wait('v.phase === "between"')


def completed(phone: Phone) -> int:
    return int(phone.view()["progress"]["total"])
