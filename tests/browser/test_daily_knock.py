"""Joining a daily space by its typed code (issue 22): a 7-character code goes to the
daily socket, the creator lets the partner in from the daily screen, the space's key is
handed over sealed, and both then read each other's revealed answers. The joiner's own
language (Spanish here) is the one their cards and screens come in. Then that browser loses its
storage: the invite link brings it back into its own seat (the space is full, so the page
asks which of the two this is), key and all, while the seat's other device keeps its own
token (one socket per seat: it steps aside until it is opened there again)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import DailyPhones, answer, create_space, revealed
from tests.browser.phone import Phone
from tests.support.servers import ServerProcess


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def test_a_typed_code_knocks_the_key_comes_with_the_admission_and_the_link_lets_a_lost_browser_back(
    phones: DailyPhones,
) -> None:
    ana, bo = phones.open("ana"), phones.open("bo", locale="es-ES")
    link = create_space(ana)
    code = ana.page.inner_text('[data-ui="room-code"]')
    assert len(code) == 7
    bo.goto("/")
    bo.page.wait_for_selector('[data-ui="knock"]')
    bo.page.fill("#join-code", code.lower())
    bo.page.fill("#join-name", "Bo")
    bo.page.click('[data-ui="knock"]')
    bo.wait_screen("knocking")
    ana.page.wait_for_selector('[data-ui="admit"]')
    assert "Bo wants to join" in ana.text()
    ana.page.click('[data-ui="admit"]')
    bo.wait_screen("daily")
    view = bo.wait("v.card !== null")
    assert view["you"] == 1 and view["seats"][1]["language"] == "es"
    assert bo.page.evaluate(f"localStorage.getItem('closeknit:key:{code}')")  # handed over
    assert "La carta de hoy" in bo.text()
    assert_spanish(bo)
    ana.page.wait_for_selector('[data-ui="daily-answer"]')
    answer(bo, "Me alegra lo de esta noche.")
    answer(ana, "So do I.")
    day = view["card"]["day"]
    both = ["Me alegra lo de esta noche.", "So do I."]
    for p in (ana, bo):
        assert sorted(revealed(p, day)) == both
    # Bo's browser forgets everything: the invite link takes it back to his own seat.
    fresh = phones.open("bo-again", locale="es-ES")
    fresh.goto(link)
    fresh.wait_screen("join-invite")
    fresh.page.fill("#invite-name", "Bo")
    fresh.page.click('[data-ui="join-invite"]')
    fresh.wait_screen("daily-rejoin")
    fresh.page.click('[data-ui="rejoin-1"]')
    fresh.wait_screen("daily")
    assert fresh.wait("v.seats[1].joined")["you"] == 1
    assert sorted(revealed(fresh, day)) == both  # the key came with the link
    # One socket per seat: Bo's old device was let go, and its own token takes it back.
    bo.wait_screen("stopped")
    bo.page.click('[data-ui="reopen"]')
    bo.wait_screen("daily")
    assert sorted(revealed(bo, day)) == both
    assert_spanish(bo)
    assert not ana.errors and not bo.errors and not fresh.errors


# English words of the daily screens that must never show on a Spanish page.
ENGLISH = ("Today’s card", "Your answer", "Pass today", "has answered", "Kept until",
           "Delete this space", "Menu", "Earlier days", "Your next card")  # fmt: skip


def assert_spanish(phone: Phone) -> None:
    text = phone.text()
    found = [w for w in ENGLISH if w in text]
    assert not found, f"English on a Spanish daily page: {found}"
