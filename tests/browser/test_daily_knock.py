"""Joining a daily space by its typed code (issue 22): a 7-character code goes to the
daily socket, the creator lets the partner in from the daily screen, the space's key is
handed over sealed, and both then read each other's revealed answers. The joiner's own
language (German here) is the one their cards come in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import DailyPhones, answer, create_space, revealed
from tests.support.servers import ServerProcess


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def test_a_typed_daily_code_knocks_and_the_space_key_comes_with_the_admission(
    phones: DailyPhones,
) -> None:
    ana, bo = phones.open("ana"), phones.open("bo", locale="de-DE")
    create_space(ana)
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
    assert view["you"] == 1 and view["seats"][1]["language"] == "de"
    assert bo.page.evaluate(f"localStorage.getItem('closeknit:key:{code}')")  # handed over
    assert "Die Karte für heute" in bo.text()
    ana.page.wait_for_selector('[data-ui="daily-answer"]')
    answer(bo, "Ich freue mich auf heute Abend.")
    answer(ana, "So do I.")
    for p in (ana, bo):
        assert sorted(revealed(p, view["card"]["day"])) == [
            "Ich freue mich auf heute Abend.",
            "So do I.",
        ]
    assert not ana.errors and not bo.errors, ana.errors + bo.errors
