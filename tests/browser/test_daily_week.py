"""A week of a daily space (issue 22, "A card a day") on two phones, the server's clock
moved a day at a time: answers, an edit before the partner answered, a pass, a late
partner, reveals with "kept until", never a count of days on any page; the tab title and
the installed app's badge say the partner has answered while the page is away; going
deeper by consent and a step back; "Your day" changes the time for both; no push row on
a server without VAPID keys; then "delete this space now" ends it for both.

One flow, so the couple is set up once (the issue's tests have 60 s in all). Its screens
are saved on the way (tests/browser/screenshots/daily/, phone light and dark with axe-core
finding no WCAG A/AA violation, and the reveal on a desktop)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import (
    DESKTOP,
    PHONE,
    DailyPhones,
    answer,
    create_space,
    join_space,
    no_counting,
    partner_state,
    pass_day,
    revealed,
)
from tests.browser.phone import Phone
from tests.browser.platform_stubs import STUBS_JS, set_hidden, tab
from tests.browser.test_accessibility import axe
from tests.support.servers import ServerProcess

# navigator.setAppBadge / clearAppBadge, logged (headless Chromium has no installed app).
BADGE_JS = """(() => {
  window.__badge = [];
  navigator.setAppBadge = (n) => { window.__badge.push(n ?? 'dot'); return Promise.resolve(); };
  navigator.clearAppBadge = () => { window.__badge.push('clear'); return Promise.resolve(); };
})();"""


def save(name: str, *pages: Phone) -> None:
    """The page as it is, light and dark, after axe-core found nothing on it."""
    for p in pages:
        p.settle()
        axe(p, f"daily {name}")
        for scheme in ("light", "dark"):
            p.page.emulate_media(color_scheme=scheme)
            p.shot(f"daily/{name}-{p.label}-phone-{scheme}")
        p.page.emulate_media(color_scheme="light")
    no_counting(*pages)


def on_desktop(name: str, phone: Phone) -> None:
    phone.page.set_viewport_size(DESKTOP)
    for scheme in ("light", "dark"):
        phone.page.emulate_media(color_scheme=scheme)
        phone.shot(f"daily/{name}-{phone.label}-desktop-{scheme}")
    phone.page.emulate_media(color_scheme="light")
    phone.page.set_viewport_size(PHONE)


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def test_a_week_of_cards_answered_passed_edited_and_revealed(phones: DailyPhones) -> None:
    ana = phones.open("ana", stubs=STUBS_JS + BADGE_JS, inject_tools=True)
    bo = phones.open("bo", stubs=STUBS_JS + BADGE_JS, inject_tools=True, locale="de-DE")
    link = create_space(ana)
    save("invite", ana)
    join_space(bo, link)
    for p in (ana, bo):
        p.wait("v.card !== null && v.seats[1].joined")
        p.page.wait_for_selector('[data-ui="daily-answer"]')
    save("today", ana, bo)
    day1 = day_one(ana, bo)
    later_days(phones, ana, bo, day1)
    deeper_then_step_back(ana, bo)
    your_day(ana, bo)
    delete_now(ana, bo)
    assert not ana.errors and not bo.errors, ana.errors + bo.errors


def day_one(ana: Phone, bo: Phone) -> str:
    """Ana answers while Bo's page is away: his title and badge say so; she edits, he
    answers while hers is away; both see both answers."""
    day1: str = ana.view()["card"]["day"]
    assert tab(bo)["title"] == "Closeknit"
    set_hidden(bo, True)
    answer(ana, "A first thought")
    bo.page.wait_for_function("() => document.title.startsWith('Ana hat geantwortet')")
    assert tab(bo)["icon"].endswith("favicon-turn.png")
    assert bo.page.evaluate("window.__badge") == [1]
    set_hidden(bo, False)
    bo.page.wait_for_function("() => document.title === 'Closeknit'")
    assert tab(bo)["icon"].endswith("favicon.png")
    assert bo.page.evaluate("window.__badge") == [1, "clear"]
    partner_state(bo, "answered")
    # She changes her answer before Bo has answered; none of it reaches his page.
    ana.page.click('[data-ui="daily-edit"]')
    answer(ana, "A second thought, kinder")
    assert ana.page.inner_text('[data-ui="daily-my-text"]') == "A second thought, kinder"
    seen = str(bo.page.evaluate("JSON.stringify(window.__closeknitView)"))
    assert "thought" not in seen and "ck1." not in seen  # not even sealed: only the state
    assert "thought" not in bo.text()
    save("answered", ana, bo)
    # Bo answers while Ana's page is away: hers says the answers are here.
    set_hidden(ana, True)
    answer(bo, "Bo on day one")
    ana.page.wait_for_function("() => document.title.startsWith('Your answers are here')")
    assert ana.page.evaluate("window.__badge") == [1]
    set_hidden(ana, False)
    ana.page.wait_for_function("() => document.title === 'Closeknit'")
    assert ana.page.evaluate("window.__badge") == [1, "clear"]
    for p in (ana, bo):
        assert sorted(revealed(p, day1)) == ["A second thought, kinder", "Bo on day one"]
        assert p.page.locator(f'[data-key="day-{day1}"] [data-ui="kept-until"]').inner_text()
        p.page.wait_for_selector('[data-ui="next-card"]')
    save("reveal", ana, bo)
    on_desktop("reveal", ana)
    no_counting(ana, bo)
    return day1


def later_days(phones: DailyPhones, ana: Phone, bo: Phone, day1: str) -> None:
    # Day 2: Ana passes; Bo reads "passed today" in the calm words of every state.
    phones.next_day(ana, bo)
    day2 = ana.wait(f"v.card && v.card.day !== '{day1}'")["card"]["day"]
    pass_day(ana)
    assert "heute gepasst" in partner_state(bo, "passed")
    answer(bo, "Bo on day two")
    assert "Passed today" in revealed(ana, day2)
    assert "Heute gepasst" in revealed(bo, day2)

    # Day 3: Bo is late. Ana's next card waits for him, across the turn of the day.
    phones.next_day(ana, bo)
    card3 = ana.wait(f"v.card && v.card.day !== '{day2}'")["card"]
    answer(ana, "Ana on day three")
    assert "once you both have answered" in ana.page.inner_text('[data-ui="next-card"]')
    phones.next_day(ana, bo)
    late = bo.wait("v.card !== null")["card"]
    assert late["id"] == card3["id"]  # the same card, a day later: no card is skipped
    assert bo.page.inner_text('[data-ui="day-label"]').startswith("Die Karte vom")
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
        if n == 4:
            save("history", ana)
    for p in (ana, bo):
        view = p.view()
        now = p.page.evaluate("Date.now() / 1000") + phones.ahead
        assert view["history"], "the revealed days are kept"
        assert all(d["kept_until"] > now for d in view["history"])  # none past its time
        days = [d["day"] for d in view["history"]]
        assert days == sorted(days, reverse=True)  # newest first
    no_counting(ana, bo)


def your_day(ana: Phone, bo: Phone) -> None:
    """Bo sets the couple's time zone and day start; both see it. The menu has no push
    row on a server without VAPID keys."""
    ana.open_sheet("menu")
    ana.page.wait_for_selector('[data-ui="menu-daily-time"]')
    assert not ana.page.locator('[data-ui="push-on"], [data-ui="push-off"]').count()
    save("menu", ana)
    ana.page.keyboard.press("Escape")
    bo.open_sheet("daily-time")
    zone = bo.page.locator('[data-ui="daily-tz"]')
    assert zone.input_value() == "Europe/Berlin"
    assert bo.page.locator('[data-ui="daily-tz"] option[value="America/New_York"]').count() == 1
    assert bo.page.locator('[data-ui="daily-start"] option').count() == 24
    assert bo.page.locator('[data-ui="daily-start"]').input_value() == "4"
    save("time", bo)
    zone.select_option("America/New_York")
    bo.page.select_option('[data-ui="daily-start"]', "6")
    bo.page.click('[data-ui="daily-time-save"]')
    bo.page.wait_for_selector('dialog[data-sheet="daily-time"][open]', state="detached")
    for p in (ana, bo):
        p.wait("v.tz === 'America/New_York' && v.day_start === 6")
    ana.open_sheet("daily-time")
    assert ana.page.locator('[data-ui="daily-tz"]').input_value() == "America/New_York"
    assert ana.page.locator('[data-ui="daily-start"]').input_value() == "6"
    ana.page.keyboard.press("Escape")


def delete_now(ana: Phone, bo: Phone) -> None:
    """ "Keep it" keeps it; "Yes, delete it now" ends the space for both, and nothing of
    it is left on either device."""
    code = ana.view()["room"]
    ana.page.click('[data-ui="daily-delete"]')
    ana.page.wait_for_selector('dialog[data-sheet="daily-delete"][open]')
    save("delete", ana)
    ana.page.click('[data-ui="daily-keep"]')
    ana.page.wait_for_selector('dialog[data-sheet="daily-delete"][open]', state="detached")
    assert ana.screen() == "daily"
    ana.page.click('[data-ui="daily-delete"]')
    ana.page.click('[data-ui="daily-delete-yes"]')
    for p in (ana, bo):
        p.wait_screen("deleted")
        assert p.page.locator('[data-ui="day-deleted"]').inner_text()
        assert p.page.evaluate(f"localStorage.getItem('closeknit:seat:{code}')") is None
        assert p.page.evaluate(f"localStorage.getItem('closeknit:key:{code}')") is None
    assert "Your daily space is deleted" in ana.page.inner_text('[data-ui="day-deleted"]')
    save("deleted", ana)
    ana.goto(f"/#room={code}")
    ana.reload()
    ana.wait_screen("start")  # nothing left to go back to
    assert code not in ana.text()


def deeper_then_step_back(ana: Phone, bo: Phone) -> None:
    """Shared days at this level: going deeper is offered, asked and agreed; then Ana
    steps back alone, one level lighter."""
    ana.act("propose_deeper")
    assert "Bo decides when it suits them" in ana.page.inner_text('[data-ui="deeper"]')
    asked = bo.page.locator('[data-ui="deeper"]')
    asked.locator('[data-action="answer_deeper"]').first.wait_for()
    assert "Ana möchte ein wenig tiefer gehen." in asked.inner_text()  # Bo reads German
    bo.act("answer_deeper", "deeper:yes")
    ana.wait("v.level === 1 && v.proposal === null")
    ana.act("step_back")
    bo.wait("v.level === 0")
