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


def test_a_party_in_spanish_console_big_screen_and_guest(phones: Phones) -> None:
    host = phones.open("host", locale="es-ES")
    host.goto("/party")
    host.wait_screen("party-start")
    assert "Organizar una fiesta" in host.text()
    host.page.click('[data-ui="create-party"]')
    host.wait_screen("party-host")
    code = host.page.locator('[data-ui="party-code"]').inner_text().strip()
    assert "0 invitados · 0 mesas" in host.text() and "Terminar la fiesta" in host.text()
    host.shot("party-console-es")
    href = str(host.page.locator('[data-ui="display-link"]').get_attribute("href"))
    assert href.endswith("&lang=es"), href
    display = phones.open("display")  # an English browser: the host's language wins
    display.goto(href)
    display.wait_screen("party-display")
    display.page.wait_for_selector(':text("Únete con tu teléfono")')
    assert display.page.evaluate("document.documentElement.lang") == "es"
    display.shot("party-display-es")
    bea = phones.open("bea", locale="es-MX")
    bea.goto(f"/party#join={code}")
    bea.wait_screen("party-join")
    assert f"Unirme a la fiesta {code}" in bea.text()
    bea.type_into("guest-name", "Bea")
    bea.page.click('[data-ui="join-party"]')
    bea.wait_screen("party-lobby")
    assert "Hola, Bea" in bea.text() and "Búscame pareja" in bea.text()
    bea.shot("party-guest-es")


def test_one_phone_fetches_its_own_spanish_words_when_it_opens(phones: Phones) -> None:
    """The one-phone page's words are their own table in their own chunk, fetched with
    it: the page opens in Spanish, never in English first."""
    ana = phones.open("ana", locale="es-ES")
    ana.goto("/")
    ana.page.wait_for_selector('[data-ui="one-phone"]:not([disabled])')
    ana.page.click('[data-ui="one-phone"]')
    ana.page.wait_for_selector('[data-ui="one-start"]')
    assert "Un teléfono, uno al lado del otro" in ana.text()
    assert "side by side" not in ana.text()
    ana.shot("one-phone-es")
