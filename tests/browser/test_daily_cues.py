"""A daily space's cues while the page is away (issue 22): the tab's title says the
partner has answered, and an installed app's badge shows it; both go when it is seen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import DailyPhones, answer, create_space, join_space
from tests.browser.platform_stubs import STUBS_JS, set_hidden, tab
from tests.support.servers import ServerProcess

# navigator.setAppBadge / clearAppBadge, logged (headless Chromium has no installed app).
BADGE_JS = """(() => {
  window.__badge = [];
  navigator.setAppBadge = (n) => { window.__badge.push(n ?? 'dot'); return Promise.resolve(); };
  navigator.clearAppBadge = () => { window.__badge.push('clear'); return Promise.resolve(); };
})();"""


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def test_the_title_and_badge_say_the_partner_has_answered(phones: DailyPhones) -> None:
    ana = phones.open("ana", stubs=STUBS_JS + BADGE_JS)
    bo = phones.open("bo", stubs=STUBS_JS + BADGE_JS)
    join_space(bo, create_space(ana))
    bo.page.wait_for_selector('[data-ui="daily-answer"]')
    ana.page.wait_for_selector('[data-ui="daily-answer"]')
    assert tab(bo)["title"] == "Closeknit"
    set_hidden(bo, True)
    answer(ana, "Something I noticed today")
    bo.page.wait_for_function("() => document.title.startsWith('Ana has answered')")
    seen = tab(bo)
    assert seen["icon"].endswith("favicon-turn.png")
    assert bo.page.evaluate("window.__badge") == [1]
    set_hidden(bo, False)
    bo.page.wait_for_function("() => document.title === 'Closeknit'")
    assert tab(bo)["icon"].endswith("favicon.png")
    assert bo.page.evaluate("window.__badge") == [1, "clear"]
    # Ana away when Bo answers: her page says the answers are here, until she looks.
    set_hidden(ana, True)
    answer(bo, "And something I noticed")
    ana.page.wait_for_function("() => document.title.startsWith('Your answers are here')")
    assert ana.page.evaluate("window.__badge") == [1]
    set_hidden(ana, False)
    ana.page.wait_for_function("() => document.title === 'Closeknit'")
    assert ana.page.evaluate("window.__badge") == [1, "clear"]
