"""Creating a daily space (issue 22): the start screen says plainly when the server keeps
daily spaces only until it restarts (the in-process store), and the space's day is the
browser's own time zone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import DailyPhones, create_space
from tests.support.servers import ServerProcess


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def test_the_create_screen_says_the_server_keeps_daily_spaces_until_it_restarts(
    phones: DailyPhones,
) -> None:
    ana = phones.open("ana", tz="Pacific/Auckland")
    ana.goto("/")
    line = ana.page.locator('[data-ui="daily-not-durable"]')
    line.wait_for()
    assert line.inner_text() == "This server keeps daily spaces until it restarts."
    create_space(ana)
    view = ana.wait("v.kind === 'daily'")
    assert view["tz"] == "Pacific/Auckland"  # the browser's, as Playwright set it
    assert view["day_start"] == 4
    assert len(view["room"]) == 7
    assert ana.page.locator('[data-ui="room-code"]').inner_text() == view["room"]
