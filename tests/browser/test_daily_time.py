"""Your day (issue 22): either partner changes the space's time zone and the hour a new
day starts, from a sheet that lists the browser's zones and names the hours in the
page's language; both partners' spaces follow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import DailyPhones, couple
from tests.support.servers import ServerProcess


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def test_your_day_sets_the_time_zone_and_day_start_for_both(phones: DailyPhones) -> None:
    ana, bo = couple(phones)
    bo.open_sheet("daily-time")
    zone = bo.page.locator('[data-ui="daily-tz"]')
    assert zone.input_value() == "Europe/Berlin"
    assert bo.page.locator('[data-ui="daily-tz"] option[value="America/New_York"]').count() == 1
    assert bo.page.locator('[data-ui="daily-start"] option').count() == 24
    assert bo.page.locator('[data-ui="daily-start"]').input_value() == "4"
    zone.select_option("America/New_York")
    bo.page.select_option('[data-ui="daily-start"]', "6")
    bo.page.click('[data-ui="daily-time-save"]')
    bo.page.wait_for_selector('dialog[data-sheet="daily-time"][open]', state="detached")
    for p in (ana, bo):
        p.wait("v.tz === 'America/New_York' && v.day_start === 6")
    ana.open_sheet("daily-time")
    assert ana.page.locator('[data-ui="daily-tz"]').input_value() == "America/New_York"
    assert ana.page.locator('[data-ui="daily-start"]').input_value() == "6"
    assert not ana.errors and not bo.errors, ana.errors + bo.errors
