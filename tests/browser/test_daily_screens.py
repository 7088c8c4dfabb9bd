"""A daily space's screens saved for a look (issue 22): tests/browser/screenshots/daily/,
on a phone (390 x 844) and a desktop (1280 x 800), light and dark; none counts days, and
axe-core finds no WCAG A/AA violation on them (on the phone, light and dark)."""

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
from tests.browser.test_accessibility import axe
from tests.support.servers import ServerProcess


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def save(name: str, *pages: Phone) -> None:
    for p in pages:
        p.settle()
        if p.label.endswith("phone"):
            axe(p, f"daily {name}")
        for scheme in ("light", "dark"):
            p.page.emulate_media(color_scheme=scheme)
            p.shot(f"daily/{name}-{p.label}-{scheme}")
        p.page.emulate_media(color_scheme="light")
    no_counting(*pages)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_daily_screens_in_light_and_dark(phones: DailyPhones, size: str) -> None:
    viewport = PHONE if size == "phone" else DESKTOP
    ana = phones.open(f"ana-{size}", viewport=viewport, inject_tools=True)
    bo = phones.open(
        f"bo-{size}", viewport=viewport, locale="de-DE", inject_tools=True
    )  # Bo reads German
    ana.goto("/")
    ana.page.wait_for_selector('[data-ui="daily-create"]:not([disabled])')
    save("start", ana)
    link = create_space(ana)
    save("invite", ana)
    join_space(bo, link)
    ana.page.wait_for_selector('[data-ui="daily-answer"]')
    save("today", ana, bo)
    answer(ana, "The walk along the river on Sunday, when nobody had to be anywhere.")
    partner_state(bo, "answered")
    save("answered", ana, bo)
    answer(bo, "Als wir im Regen gelacht haben, weil der Schirm nicht aufging.")
    revealed(ana, ana.view()["history"][0]["day"])
    save("reveal", ana, bo)
    phones.next_day(ana, bo)
    ana.wait("v.card !== null")
    pass_day(ana)
    partner_state(bo, "passed")
    answer(bo, "Heute nur ein kurzer Gedanke.")
    phones.next_day(ana, bo)
    ana.wait("v.card !== null")
    save("history", ana, bo)
    ana.open_sheet("menu")
    save("menu", ana)
    ana.page.keyboard.press("Escape")
    ana.open_sheet("daily-time")
    save("time", ana)
    ana.page.keyboard.press("Escape")
    ana.page.click('[data-ui="daily-delete"]')
    save("delete", ana)
    ana.page.click('[data-ui="daily-delete-yes"]')
    ana.wait_screen("deleted")
    save("deleted", ana)
