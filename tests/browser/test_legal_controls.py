"""The page offers exactly the view's legal actions, in a light-mode game (no reflecting
or confirming), with both partners paused, and after the game ended."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Phones
from tests.browser.flows import check, draw_until, join_by_link, roles
from tests.browser.phone import Phone

pytestmark = pytest.mark.browser


def create_light_room(phone: Phone) -> str:
    phone.goto("/")
    phone.page.wait_for_selector('[data-ui="create"]:not([disabled])')
    phone.page.fill("#create-name", "Ana")
    phone.page.check("#light")
    phone.page.click('[data-ui="create"]')
    phone.wait_screen("lobby")
    return phone.page.input_value('[data-ui="invite-link"]')


def test_light_mode_game_offers_exactly_the_legal_actions(phones: Phones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    join_by_link(bo, create_light_room(ana))
    assert ana.view()["light_mode"] is True
    check(ana, bo)
    ana.act("ready")
    check(ana, bo)
    ana.act("unready")
    check(ana, bo)
    for p in (ana, bo):
        p.act("ready")
    check(ana, bo)
    speaker, listener, _ = draw_until(ana, bo, lambda c: c["mode"] == "one")
    speaker.act("answer")
    check(ana, bo)
    speaker.act("done_speaking")  # light mode: no reflecting, no confirming
    check(ana, bo)
    assert ana.view()["phase"] == "between" and ana.view()["progress"]["total"] == 1
    drawer, _ = roles(ana, bo)
    assert drawer is listener  # the partner draws next
    for _ in range(2):  # the warm-up asks for three completed cards before going deeper
        speaker, listener, _ = draw_until(ana, bo, lambda c: c["mode"] == "one")
        speaker.act("answer")
        speaker.act("done_speaking")
        check(ana, bo)
    bo.act("propose_deeper")
    check(ana, bo)
    assert "Would you like that too?" in ana.text()
    bo.act("withdraw_proposal")
    check(ana, bo)
    assert ana.view()["notice"] == "withdrawn" and ana.view()["proposal"] is None
    ana.act("pause")
    bo.act("pause")  # stacked: both must resume
    check(ana, bo)
    ana.act("resume")
    check(ana, bo)
    assert bo.screen() == "pause" and ana.screen() == "pause"
    assert "resume" not in ana.view()["legal"]
    bo.act("resume")
    check(ana, bo)
    ana.wait_screen("play")
    bo.act("end")
    check(ana, bo)
    ana.act("skip_closing")
    check(ana, bo)
    ana.wait_screen("end")
    ana.act("play_again")
    check(ana, bo)
    assert bo.view()["phase"] == "between"


def test_a_second_tab_takes_the_seat_over(phones: Phones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    join_by_link(bo, create_light_room(ana))
    second = ana.context.new_page()
    second.goto(ana.page.url)  # same room, same stored seat token
    second.wait_for_selector('#app[data-screen="lobby"]')
    ana.wait_screen("stopped")
    assert "opened in another tab" in ana.text()
    ana.shot("replaced")
    ana.page.click('[data-ui="reopen"]')
    ana.wait_screen("lobby")
    second.wait_for_selector('#app[data-screen="stopped"]')
    check(ana, bo)


def test_a_refused_action_is_explained_in_words_and_nothing_stays_frozen(
    phones: Phones,
) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    join_by_link(bo, create_light_room(ana))
    for p in (ana, bo):
        p.act("ready")
    check(ana, bo)
    drawer, _ = roles(ana, bo)
    drawer.act("draw")
    check(ana, bo)
    # Ana's skip waits offline while Bo's skip takes the card off the table.
    ana.context.set_offline(True)
    ana.page.wait_for_selector(".banner.warn")
    ana.tap('[data-action="skip"]')  # from the menu, which closes on the way
    assert ana.page.locator('[data-action="skip"][aria-busy="true"]').count() == 1
    assert "Sending" in str(ana.control("skip").first.text_content())
    bo.act("skip")
    ana.context.set_offline(False)  # the skip is sent again, and refused
    error = ana.page.locator(".banner.error")
    error.wait_for()
    assert "/" not in error.inner_text() and len(error.inner_text()) > 10
    ana.settle()
    ana.shot("error-in-words")
    check(ana, bo)  # nothing pending, exactly the legal actions enabled again
