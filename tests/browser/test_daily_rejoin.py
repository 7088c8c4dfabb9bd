"""A browser that lost its storage comes back into its own seat of a daily space with
the invite link (issue 22): the space is full, so the page asks whether this is the
person who started it or the one invited, and goes back into that seat, key and all,
while the seat's other device keeps its own token (one socket per seat: it steps aside
until it is opened there again)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import DailyPhones, answer, create_space, join_space, revealed
from tests.support.servers import ServerProcess


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def test_the_invite_link_takes_a_lost_browser_back_to_its_own_seat(phones: DailyPhones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    link = create_space(ana)
    join_space(bo, link)
    ana.page.wait_for_selector('[data-ui="daily-answer"]')
    answer(ana, "Written before Bo's phone forgot everything")
    fresh = phones.open("bo-again")  # Bo's browser, its storage gone: only the link is left
    fresh.goto(link)
    fresh.wait_screen("join-invite")
    fresh.page.fill("#invite-name", "Bo")
    fresh.page.click('[data-ui="join-invite"]')
    fresh.wait_screen("daily-rejoin")
    assert "already has both of you" in fresh.text()
    fresh.page.click('[data-ui="rejoin-1"]')
    fresh.wait_screen("daily")
    view = fresh.wait("v.card !== null")
    assert view["you"] == 1 and view["partner"]["state"] == "answered"
    answer(fresh, "Back on my own seat")
    day = view["card"]["day"]
    both = ["Back on my own seat", "Written before Bo's phone forgot everything"]
    assert sorted(revealed(fresh, day)) == both  # the key came with the link
    # One socket per seat: Bo's old device was let go, and its own token takes it back.
    bo.wait_screen("stopped")
    bo.page.click('[data-ui="reopen"]')
    bo.wait_screen("daily")
    for p in (ana, bo):
        assert sorted(revealed(p, day)) == both
    assert not ana.errors and not bo.errors and not fresh.errors
