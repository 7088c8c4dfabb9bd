"""Let's talk about this tonight (issue 22): from a revealed day, one partner opens a
live room whose first card is that day's card; the other joins it from the daily
screen; both then play it on their phones (the live room reads with the space's key)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.daily_flows import DailyPhones, answer, couple, revealed
from tests.browser.flows import draw, start_game
from tests.support.servers import ServerProcess


@pytest.fixture
def phones(browser: Browser, daily_server: tuple[ServerProcess, Path]) -> Iterator[DailyPhones]:
    opened = DailyPhones(browser, *daily_server)
    yield opened
    opened.close()


def test_talk_about_it_tonight_opens_a_live_room_with_that_card_on_both_phones(
    phones: DailyPhones,
) -> None:
    ana, bo = couple(phones)
    card = ana.view()["card"]
    answer(ana, "I would like more evenings like this")
    answer(bo, "Me too, and with less phone")
    revealed(ana, card["day"])
    space = ana.view()["room"]
    ana.page.click('[data-ui="tonight"]')
    ana.wait_screen("lobby")  # the live room, opened on this page
    live = ana.view()["room"]
    assert len(live) == 6 and live != space
    assert ana.page.evaluate(f"localStorage.getItem('closeknit:key:{live}')") == ana.page.evaluate(
        f"localStorage.getItem('closeknit:key:{space}')"
    )  # the live room reads with the space's key
    # Bo's daily page says so under that day, and joins with one tap (and his name).
    invite = bo.page.locator('[data-ui="tonight-invite"]')
    invite.wait_for()
    assert "Ana would like to talk about this card tonight." in invite.inner_text()
    tonight = bo.view()["history"][0]["tonight"]
    assert tonight["room"] == live
    assert "key" not in tonight["invite"] and "#" not in tonight["invite"]  # the secret only
    bo.page.click('[data-ui="tonight-join"]')
    bo.wait_screen("join-invite")
    bo.page.fill("#invite-name", "Bo")
    bo.page.click('[data-ui="join-invite"]')
    bo.wait_screen("lobby")
    assert bo.view()["room"] == live
    start_game(ana, bo)
    _, _, first = draw(ana, bo)
    assert first["id"] == card["id"]
    for p in (ana, bo):
        assert p.page.inner_text('[data-ui="card-text"]') == card["text"]
    assert not ana.errors and not bo.errors, ana.errors + bo.errors
