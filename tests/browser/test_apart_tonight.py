""" "Apart tonight" in the lobby: one partner switches it on, both see the notice (in their
own language), and the toggle is gone once play starts."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Phones
from tests.browser.flows import check, create_room, draw, join_by_link

pytestmark = pytest.mark.browser


def test_apart_tonight_is_switched_in_the_lobby_and_both_are_told(phones: Phones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    join_by_link(bo, create_room(ana), language="de")
    check(ana, bo)
    assert not ana.page.is_visible('[data-key="apart-notice"]')
    ana.act("set_apart")  # a click on the checkbox; it shows the view's state
    ana.wait("v.apart === true")
    bo.wait("v.apart === true")
    check(ana, bo)
    assert "cards that need touch are left out" in ana.text()
    assert "Karten, die Berührung brauchen, bleiben für euch beide draußen" in bo.text()
    ana.shot("lobby-apart-en")
    bo.shot("lobby-apart-de")
    for phone in (ana, bo):
        phone.act("ready")
    ana.wait('v.phase === "between"')
    assert ana.page.locator("#lobby-apart").count() == 0
    _, _, card = draw(ana, bo)
    assert "touch" not in [t["id"] for t in card["tags"]]  # the engine's tests cover all
