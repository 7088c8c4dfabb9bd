"""The deck picker (issue 21): each deck in the list says its cards and time, and the
chosen one shows its title, description, age rating, languages, cards and levels and
the estimated time of a game, in the page's language, as text."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Phones
from tests.browser.testdeck import HOSTILE_ID, TINY_ID

pytestmark = pytest.mark.browser


def test_the_picker_describes_each_deck(phones: Phones) -> None:
    ana = phones.open("ana")
    ana.goto("/")
    page = ana.page
    page.wait_for_selector('[data-ui="create"]:not([disabled])')
    decks = {d["id"]: d for d in page.evaluate("fetch('api/decks').then((r) => r.json())")}
    closer = decks["closer"]
    page.select_option("#deck", "closer")
    about = page.locator('[data-ui="deck-about"]')
    text = about.inner_text()
    levels = " → ".join(lv["name"]["en"] for lv in closer["levels"])
    for words in (closer["title"]["en"], closer["description"]["en"], "16 and over",
                  "English, German", f"{sum(closer['cards'])} cards on 3 levels",
                  f"About {closer['minutes']} min a game", f"Levels: {levels}"):  # fmt: skip
        assert words in text, words
    option = page.locator('#deck option[value="closer"]').inner_text()
    assert option == f"Closer · {sum(closer['cards'])} cards · {closer['minutes']} min"
    ana.shot("deck-picker-en")

    page.select_option("#deck", TINY_ID)
    text = about.inner_text()
    assert "For everyone" in text and "4 cards on 1 level" in text and "Tiny evenings" in text
    page.select_option("#deck", HOSTILE_ID)  # markup in a deck's words stays text
    assert "<b>bold</b>" in about.inner_text() and about.locator("b, script, img").count() == 0

    page.select_option("#ui-lang", "de")
    page.select_option("#deck", "closer")
    text = page.locator('[data-ui="deck-about"]').inner_text()
    assert "Ab 16" in text and "Karten auf 3 Stufen" in text and "Englisch, Deutsch" in text
    ana.shot("deck-picker-de")
