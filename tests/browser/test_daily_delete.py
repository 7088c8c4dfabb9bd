"""Delete this space now (issue 22): one partner's confirmation ends a daily space for
both, with every answer in it; both pages say so, and the space cannot be opened again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import DailyPhones, answer, couple
from tests.support.servers import ServerProcess


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def test_delete_this_space_now_ends_it_for_both(phones: DailyPhones) -> None:
    ana, bo = couple(phones)
    answer(ana, "Something to keep between us")
    code = ana.view()["room"]
    ana.page.click('[data-ui="daily-delete"]')
    ana.page.wait_for_selector('dialog[data-sheet="daily-delete"][open]')
    ana.page.click('[data-ui="daily-keep"]')  # "Keep it" keeps it
    ana.page.wait_for_selector('dialog[data-sheet="daily-delete"][open]', state="detached")
    assert ana.screen() == "daily"
    ana.page.click('[data-ui="daily-delete"]')
    ana.page.click('[data-ui="daily-delete-yes"]')
    for p in (ana, bo):
        p.wait_screen("deleted")
        assert "Your daily space is deleted" in p.page.inner_text('[data-ui="day-deleted"]')
        assert p.page.evaluate(f"localStorage.getItem('closeknit:seat:{code}')") is None
        assert p.page.evaluate(f"localStorage.getItem('closeknit:key:{code}')") is None
    ana.goto(f"/#room={code}")
    ana.reload()
    ana.wait_screen("start")  # nothing left to go back to
    assert code not in ana.text()
