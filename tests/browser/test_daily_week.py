"""A week of a daily space (issue 22, "A card a day") on two phones, the server's clock
moved a day at a time: answers, an edit before the partner answered, a pass, a late
partner, reveals with "kept until", never a count of days on any page; then going deeper
by consent and a step back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import (
    DailyPhones,
    answer,
    couple,
    no_counting,
    partner_state,
    pass_day,
    revealed,
)
from tests.browser.phone import Phone
from tests.support.servers import ServerProcess


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def test_a_week_of_cards_answered_passed_edited_and_revealed(phones: DailyPhones) -> None:
    ana, bo = couple(phones)
    # Day 1: Ana answers, then changes her answer before Bo has answered.
    day1 = ana.view()["card"]["day"]
    answer(ana, "A first thought")
    partner_state(bo, "answered")
    ana.page.click('[data-ui="daily-edit"]')
    answer(ana, "A second thought, kinder")
    assert ana.page.inner_text('[data-ui="daily-my-text"]') == "A second thought, kinder"
    seen = str(bo.page.evaluate("JSON.stringify(window.__closeknitView)"))
    assert "thought" not in seen and "ck1." not in seen  # not even sealed: only the state
    assert "thought" not in bo.text()
    answer(bo, "Bo on day one")
    for p in (ana, bo):
        assert sorted(revealed(p, day1)) == ["A second thought, kinder", "Bo on day one"]
        assert p.page.locator(f'[data-key="day-{day1}"] [data-ui="kept-until"]').inner_text()
        p.page.wait_for_selector('[data-ui="next-card"]')
    no_counting(ana, bo)

    # Day 2: Ana passes; Bo reads "passed today" in the calm words of every state.
    phones.next_day(ana, bo)
    day2 = ana.wait(f"v.card && v.card.day !== '{day1}'")["card"]["day"]
    pass_day(ana)
    assert "passed today" in partner_state(bo, "passed")
    answer(bo, "Bo on day two")
    assert "Passed today" in revealed(ana, day2)

    # Day 3: Bo is late. Ana's next card waits for him, across the turn of the day.
    phones.next_day(ana, bo)
    card3 = ana.wait(f"v.card && v.card.day !== '{day2}'")["card"]
    answer(ana, "Ana on day three")
    assert "once you both have answered" in ana.page.inner_text('[data-ui="next-card"]')
    phones.next_day(ana, bo)
    late = bo.wait("v.card !== null")["card"]
    assert late["id"] == card3["id"]  # the same card, a day later: no card is skipped
    assert bo.page.inner_text('[data-ui="day-label"]').startswith("The card from")
    answer(bo, "Bo, late but here")
    revealed(ana, card3["day"])

    # Days 4 to 7: one card a day, both answer.
    for n in range(4, 8):
        phones.next_day(ana, bo)
        last = ana.view()["history"][0]["day"]
        ana.wait(f"v.card && v.card.day !== '{last}'")
        answer(ana, f"Ana, card {n}")
        answer(bo, f"Bo, card {n}")
        revealed(bo, ana.view()["history"][0]["day"])
    for p in (ana, bo):
        view = p.view()
        now = p.page.evaluate("Date.now() / 1000") + phones.ahead
        assert view["history"], "the revealed days are kept"
        assert all(d["kept_until"] > now for d in view["history"])  # none past its time
        days = [d["day"] for d in view["history"]]
        assert days == sorted(days, reverse=True)  # newest first
    no_counting(ana, bo)

    deeper_then_step_back(ana, bo)
    assert not ana.errors and not bo.errors, ana.errors + bo.errors


def deeper_then_step_back(ana: Phone, bo: Phone) -> None:
    """Shared days at this level: going deeper is offered, asked and agreed; then Ana
    steps back alone, one level lighter."""
    ana.act("propose_deeper")
    assert "Bo decides when it suits them" in ana.page.inner_text('[data-ui="deeper"]')
    asked = bo.page.locator('[data-ui="deeper"]')
    asked.locator('[data-action="answer_deeper"]').first.wait_for()
    assert "Ana would like to go a little deeper." in asked.inner_text()
    bo.act("answer_deeper", "deeper:yes")
    ana.wait("v.level === 1 && v.proposal === null")
    ana.act("step_back")
    bo.wait("v.level === 0")
