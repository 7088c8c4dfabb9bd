"""Joining by typed code (the creator admits or declines), a mixed-language couple, and
deleting the room."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import Phones
from tests.browser.flows import check, create_room, draw, join_by_link, start_game
from tests.browser.phone import Phone
from tests.support.servers import ROOT

pytestmark = pytest.mark.browser


def knock(phone: Phone, code: str, name: str) -> None:
    phone.goto("/")
    phone.page.wait_for_selector('[data-ui="knock"]')
    phone.page.fill("#join-code", code)
    phone.page.fill("#join-name", name)
    phone.page.click('[data-ui="knock"]')
    phone.wait_screen("knocking")


def test_join_by_typed_code_waits_for_admission(phones: Phones) -> None:
    ana, stranger, bo = phones.open("ana"), phones.open("stranger"), phones.open("bo")
    create_room(ana)
    code = ana.page.inner_text('[data-ui="room-code"]')
    assert len(code) >= 6

    knock(stranger, code.lower(), "Stranger")  # typed in lower case: still the code
    assert "Waiting for your partner to let you in" in stranger.text()
    stranger.shot("knocking")
    ana.page.wait_for_selector('[role="alertdialog"]')
    assert "Stranger wants to join" in ana.text()
    ana.shot("admit-prompt")
    ana.page.click('[data-ui="decline-knock"]')
    stranger.wait_screen("start")
    stranger.page.wait_for_selector(".banner.error")
    assert "did not let you in" in stranger.text()

    knock(bo, code, "Bo")
    ana.page.wait_for_selector('[role="alertdialog"]')
    assert "Bo wants to join" in ana.text()
    ana.page.click('[data-ui="admit"]')
    bo.wait_screen("lobby")
    view = bo.wait("v.seats[1].joined")
    assert view["you"] == 1 and view["seats"][1]["name"] == "Bo"
    ana.wait('v.seats[1].joined && v.seats[1].name === "Bo"')
    check(ana, bo)
    assert not ana.page.locator('[role="alertdialog"]').count()


def deck_texts(deck_id: str, language: str) -> dict[str, str]:
    deck = json.loads((ROOT / "decks" / "builtin" / f"{deck_id}.json").read_text("utf-8"))
    return {card["id"]: card["text"][language] for card in deck["cards"]}


def test_mixed_language_couple_each_sees_their_own_language(phones: Phones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo", locale="de-DE")
    link = create_room(ana, language="en")
    join_by_link(bo, link, language="de")
    bo.wait('v.seats[v.you].language === "de"')
    ana.wait('v.seats[1].language === "de"')
    check(ana, bo)
    assert "Before you start" in ana.text()
    assert "Bevor ihr beginnt" in bo.text()
    bo.shot("lobby-de")
    bo.open_sheet("boundaries")  # the topics have their own sheet
    assert "Deine privaten Grenzen" in bo.text() and "Familie" in bo.text()
    bo.shot("lobby-boundaries-de")
    bo.page.keyboard.press("Escape")
    start_game(ana, bo)
    speaker, _, card = draw(ana, bo)
    en, de = deck_texts("closer", "en"), deck_texts("closer", "de")
    ana_card = ana.page.inner_text('[data-ui="card-text"]')
    bo_card = bo.page.inner_text('[data-ui="card-text"]')
    assert ana_card == en[card["id"]]
    assert bo_card == de[card["id"]] != ana_card
    assert bo.page.evaluate("document.documentElement.lang") == "de"
    assert ("Du sprichst" in bo.text()) or ("Du hörst zu" in bo.text())
    assert ("You are speaking" in ana.text()) or ("You are listening" in ana.text())
    bo.shot("play-shown-de")
    speaker.act("skip")
    check(ana, bo)
    assert "Übersprungen" in bo.text() and "Skipped" in ana.text()


def test_delete_our_room_now_ends_it_for_both(phones: Phones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    join_by_link(bo, create_room(ana))
    start_game(ana, bo)
    ana.act("end")
    check(ana, bo)
    bo.act("skip_closing")
    check(ana, bo)
    ana.wait_screen("end")
    ana.page.once("dialog", lambda dialog: dialog.accept())
    ana.tap('[data-ui="delete-room"]')
    ana.wait_screen("deleted")
    bo.wait_screen("deleted")
    assert "Nothing of it is kept" in bo.text()
    bo.shot("deleted")
    assert ana.page.evaluate("Object.keys(localStorage).length") == 0
    ana.reload()  # the address names a room that is gone: back to the start
    ana.page.wait_for_selector('#app[data-screen="start"]')


def test_blank_name_and_a_wrong_invite_are_explained_in_words(phones: Phones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    link = create_room(ana)
    bo.goto(link)
    bo.wait_screen("join-invite")
    bo.page.fill("#invite-name", "   ")
    bo.page.click('[data-ui="join-invite"]')
    bo.page.wait_for_selector(".banner.error")
    assert "name of 1 to 40 characters" in bo.text()
    assert bo.screen() == "join-invite"
    wrong = link.rsplit(".", 1)[0] + ".AAAAAAAAAAAAAAAAAAAAAA"
    stranger = phones.open("stranger")
    stranger.goto(wrong)
    stranger.page.fill("#invite-name", "Eve")
    stranger.page.click('[data-ui="join-invite"]')
    stranger.wait_screen("stopped")
    assert "not valid any more" in stranger.text()
    stranger.shot("invite-invalid")
    ana.wait("!v.seats[1].joined")


def test_start_screen_leads_back_to_the_room_this_browser_has_a_seat_in(phones: Phones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    join_by_link(bo, create_room(ana))
    room = ana.view()["room"]
    ana.goto("/")
    ana.page.wait_for_selector(f'[data-ui="resume-room"][data-key="{room}"]')
    ana.shot("start-resume")
    ana.page.click(f'[data-ui="resume-room"][data-key="{room}"]')
    ana.wait_screen("lobby")
    view = ana.wait(f'v.room === "{room}"')
    assert view["you"] == 0 and view["seats"][1]["name"] == "Bo"
    check(ana, bo)
