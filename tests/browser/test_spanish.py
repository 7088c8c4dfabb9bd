"""A third language (issue 24): an English phone and a Spanish one play a couple's game,
each seeing the interface and the card in their own language, the Spanish words fetched
as their own chunk; and the start screen switches language at runtime. The card texts
come from a test deck with Spanish (tests/browser/testdeck.py) until the built-in decks
carry it."""

from __future__ import annotations

from tests.browser.conftest import Phones
from tests.browser.flows import check, create_room, draw, join_by_link, start_game
from tests.browser.testdeck import TWO_TONGUES_ID, two_tongues_deck


def test_an_english_and_a_spanish_phone_each_play_in_their_own_language(phones: Phones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo", locale="es-ES")
    link = create_room(ana, deck=TWO_TONGUES_ID, language="en")
    join_by_link(bo, link, language="es")
    bo.wait('v.seats[v.you].language === "es"')
    ana.wait('v.seats[1].language === "es"')
    check(ana, bo)
    assert "Before you start" in ana.text()
    assert "Antes de empezar" in bo.text() and "español" in bo.text()
    bo.shot("lobby-es")
    bo.open_sheet("boundaries")
    assert "Tus límites privados" in bo.text() and "Casa" in bo.text()
    bo.page.keyboard.press("Escape")
    start_game(ana, bo)
    _, _, card = draw(ana, bo)
    texts = {c["id"]: c["text"] for c in two_tongues_deck()["cards"]}  # type: ignore[index]
    assert ana.page.inner_text('[data-ui="card-text"]') == texts[card["id"]]["en"]
    assert bo.page.inner_text('[data-ui="card-text"]') == texts[card["id"]]["es"]
    assert bo.page.evaluate("document.documentElement.lang") == "es"
    assert ("Hablas tú" in bo.text()) or ("Tú escuchas" in bo.text())
    assert ("You are speaking" in ana.text()) or ("You are listening" in ana.text())
    bo.shot("play-shown-es")
    assert "You are" not in bo.text() and "Draw" not in bo.text()


def test_the_start_screen_switches_to_spanish_and_back_without_showing_a_key(
    phones: Phones,
) -> None:
    ana = phones.open("ana")
    ana.goto("/")
    ana.page.wait_for_selector('[data-ui="create"]:not([disabled])')
    names = ana.page.eval_on_selector_all("#ui-lang option", "os => os.map(o => o.textContent)")
    assert names == ["English", "Deutsch", "español"]
    ana.page.select_option("#ui-lang", "es")
    ana.page.wait_for_selector('text="Crear nuestra sala"')
    assert ana.page.evaluate("document.documentElement.lang") == "es"
    assert "create_room" not in ana.text() and "Create our room" not in ana.text()
    ana.shot("start-es")
    ana.page.select_option("#ui-lang", "en")
    ana.page.wait_for_selector('text="Create our room"')
