"""A daily space's moves (issue 22, "A card a day"), made through the real pages of two
phones against a server whose clock the test moves (``daily_server`` in conftest.py).
A new couple's day: the clock moves a day on and each page reloads (a resume, which
fires what is due: the next card)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

from tests.browser.conftest import SHOTS
from tests.browser.phone import Phone
from tests.support.clocked import move_clock
from tests.support.servers import ServerProcess

DAY = 86_400.0
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# A phrase that counts days ("3 days", "day 5", "5 Tage", "Tag 2"): never on a daily page.
COUNTING = re.compile(r"\b\d+\s*(days?|Tage?n?)\b|\b(day|Tag)\s*\d+", re.IGNORECASE)


class DailyPhones:
    """Phone-sized (or desktop-sized) pages of one daily server, each in its own context."""

    def __init__(self, browser: Browser, server: ServerProcess, clock: Path) -> None:
        self.browser = browser
        self.server = server
        self.clock = clock
        self.opened: list[Phone] = []
        self.ahead = 0.0

    def open(self, label: str, *, tz: str = "Europe/Berlin", viewport: dict[str, int] = PHONE,
             locale: str = "en-US", stubs: str | None = None, inject_tools: bool = False,
             ) -> Phone:  # fmt: skip
        """``inject_tools``: the test may add axe-core (CSP bypassed for that context only)."""
        context = self.browser.new_context(
            viewport=viewport, locale=locale, timezone_id=tz, reduced_motion="reduce",
            base_url=self.server.url, bypass_csp=inject_tools,
        )  # fmt: skip
        if stubs:
            context.add_init_script(stubs)
        phone = Phone(context, label, self.server.url, SHOTS)
        self.opened.append(phone)
        return phone

    def next_day(self, *phones: Phone, days: float = 1.0) -> None:
        """The couple's day turns: the server's clock a day on, each page back in."""
        move_clock(self.clock, days * DAY)
        self.ahead += days * DAY
        for phone in phones:
            phone.reload()
            phone.page.wait_for_selector('#app[data-status="open"]')
            phone.wait("v.kind === 'daily'")

    def close(self) -> None:
        for phone in self.opened:
            phone.close()


def create_space(phone: Phone, name: str = "Ana", deck: str = "closer") -> str:
    """A daily space from the start screen; returns the invite link it shows."""
    page = phone.page
    phone.goto("/")
    page.wait_for_selector('[data-ui="daily-create"]:not([disabled])')
    page.fill("#create-name", name)
    page.select_option("#deck", deck)
    page.click('[data-ui="daily-create"]')
    phone.wait_screen("daily")
    return page.input_value('[data-ui="invite-link"]')


def join_space(phone: Phone, link: str, name: str = "Bo") -> None:
    phone.goto(link)
    phone.wait_screen("join-invite")
    phone.page.fill("#invite-name", name)
    phone.page.click('[data-ui="join-invite"]')
    phone.wait_screen("daily")
    phone.wait("v.seats[1].joined")


def couple(phones: DailyPhones) -> tuple[Phone, Phone]:
    """Ana creates a space, Bo joins with its invite link; both see today's card."""
    ana, bo = phones.open("ana"), phones.open("bo")
    join_space(bo, create_space(ana))
    for p in (ana, bo):
        p.wait("v.card !== null && v.seats[1].joined")
        p.page.wait_for_selector('[data-ui="daily-answer"]')
    return ana, bo


def answer(phone: Phone, text: str) -> dict[str, Any]:
    before = phone.view()["version"]
    phone.page.fill('[data-ui="daily-answer"]', text)
    phone.page.click('[data-ui="daily-send"]')
    phone.settle()
    assert not phone.error_shown(), phone.error_shown()
    return phone.wait(f"v.version > {before}")


def pass_day(phone: Phone) -> dict[str, Any]:
    return phone.act("pass_day")


def partner_state(phone: Phone, state: str) -> str:
    line = phone.page.locator(f'[data-ui="partner-state"][data-state="{state}"]')
    line.wait_for()
    return line.inner_text()


def revealed(phone: Phone, day: str) -> list[str]:
    """The texts of the revealed answers of ``day`` the page shows (newest first)."""
    phone.wait(f"v.history.some((d) => d.day === '{day}')")
    box = phone.page.locator(f'[data-key="day-{day}"] [data-ui="day-answer"] .text')
    box.first.wait_for()
    return [t.strip() for t in box.all_inner_texts()]


def no_counting(*phones: Phone) -> None:
    for phone in phones:
        found = COUNTING.search(phone.text())
        assert found is None, f"{phone.label} counts days: {found.group(0)!r}"
