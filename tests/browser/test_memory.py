"""Memory without accounts (issue 21), in real Chromium: a browser that was told to
remember deals a second room on the same deck no completed card until the deck is played
through; "Forget this device" clears it (and the resumable seats); a fresh profile
remembers nothing; starred cards go out as text and JSON and come in on another device."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Phones
from tests.browser.flows import check, join_by_link, roles
from tests.browser.phone import Phone, in_sync
from tests.browser.testdeck import TINY_ID

pytestmark = pytest.mark.browser
KEY = "closeknit:memory"


def create(phone: Phone, *, remember: bool | None = None) -> str:
    """A light-mode room on the tiny deck; ``remember`` ticks or unticks the switch."""
    page = phone.page
    phone.goto("/")
    page.wait_for_selector('[data-ui="create"]:not([disabled])')
    page.fill("#create-name", "Ana")
    page.select_option("#deck", TINY_ID)
    page.check("#light")
    if remember is not None:
        page.set_checked("#create-remember", remember)
    page.click('[data-ui="create"]')
    phone.wait_screen("lobby")
    return page.input_value('[data-ui="invite-link"]')


def join(bo: Phone, link: str) -> None:
    bo.goto("about:blank")  # from one room's address to the next invite: a fresh load
    join_by_link(bo, link)


def start(ana: Phone, bo: Phone) -> None:
    ana.act("ready")
    bo.act("ready")
    ana.wait('v.phase === "between"')
    check(ana, bo)


def play_one(ana: Phone, bo: Phone, *, skip: bool = False) -> dict[str, Any]:
    """Draws a card and plays it (light mode: answer, done) or skips it."""
    drawer, other = roles(ana, bo)
    drawer.act("draw")
    card = drawer.view()["card"]
    if skip:
        in_sync(ana, bo)
        other.act("skip")
    else:
        drawer.act("answer")
        drawer.act("done_speaking")
    ana.wait('v.phase === "between"')
    in_sync(ana, bo)  # the controls' match with `legal` is other tests' (flows.check)
    return dict(card)


def stored(phone: Phone) -> Any:
    raw = phone.page.evaluate(f"localStorage.getItem({KEY!r})")
    return None if raw is None else json.loads(raw)


def test_a_second_room_deals_new_cards_first_and_forget_clears_it(phones: Phones) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    join(bo, create(ana, remember=True))
    start(ana, bo)
    first, second = play_one(ana, bo), play_one(ana, bo)
    skipped = play_one(ana, bo, skip=True)
    ana.act("star")  # the last card played (not the skipped one) keeps its printed text
    memory = stored(ana)["decks"][f"{TINY_ID}@1.0.0"]
    assert set(memory) == {"deck", "version", "title", "completed", "skipped", "starred"}
    assert sorted(memory["completed"]) == sorted([first["id"], second["id"]])
    assert memory["skipped"] == [skipped["id"]]
    assert memory["starred"] == [{"id": second["id"], "text": second["text"]}]
    assert stored(bo) is None  # the partner's browser played too, but was not asked

    join(bo, create(ana))  # the switch stays on: remembered by this browser
    start(ana, bo)
    fresh = play_one(ana, bo)
    assert fresh["id"] not in {first["id"], second["id"], skipped["id"]}
    view = ana.wait('v.played_through === "deck"')
    ana.page.wait_for_selector('[data-ui="played-through"]')
    ana.shot("memory-played-through")
    again = play_one(ana, bo)  # played through: the cards come round again
    assert again["id"] in {first["id"], second["id"], skipped["id"]}
    assert view["played"]["completed"] == [fresh["id"]]
    done = {first["id"], second["id"], fresh["id"], again["id"]}
    line = f"Tiny evenings: {len(done)} played, {4 - len(done)} didn’t fit you, 1 starred."

    ana.goto("/")
    ana.page.wait_for_selector('[data-ui="resume-room"]')
    ana.open_sheet("memory")
    sheet = ana.page.locator('dialog[data-sheet="memory"]')
    text = sheet.inner_text()
    assert line in text
    assert "Nothing of it is stored on the server." in text and second["text"] in text
    ana.shot("memory-sheet")
    ana.page.once("dialog", lambda d: d.accept())
    sheet.locator('[data-ui="forget-device"]').click()
    ana.page.wait_for_selector('[data-ui="memory-status"]:text("remembers nothing now")')
    assert stored(ana) is None
    seat_keys = "Object.keys(localStorage).filter((k) => k.startsWith('closeknit:seat:'))"
    assert ana.page.evaluate(seat_keys) == []
    ana.page.keyboard.press("Escape")
    assert ana.page.locator('[data-ui="resume-room"]').count() == 0
    assert not ana.page.is_checked("#create-remember")  # off again until asked

    create(ana)  # forgotten: the new room is told nothing (it would say "deck" at once)
    assert ana.view()["played_through"] is None
    assert stored(ana) is None


def test_starred_cards_export_as_text_and_json_and_import_on_a_fresh_profile(
    phones: Phones, tmp_path: Path
) -> None:
    ana, bo = phones.open("ana"), phones.open("bo")
    join(bo, create(ana, remember=True))
    start(ana, bo)
    card = play_one(ana, bo)
    ana.act("star")
    ana.open_sheet("memory")  # from the room's menu
    sheet = ana.page.locator('dialog[data-sheet="memory"]')
    files = {}
    for kind in ("text", "json"):
        with ana.page.expect_download() as got:
            sheet.locator(f'[data-ui="export-{kind}"]').click()
        path = tmp_path / got.value.suggested_filename
        got.value.save_as(path)
        files[kind] = path
    assert files["text"].name == "closeknit-starred.txt"
    assert f"• {card['text']}" in files["text"].read_text(encoding="utf-8")
    exported = json.loads(files["json"].read_text(encoding="utf-8"))
    assert exported["format"] == "closeknit-starred"
    assert exported["decks"][0]["starred"] == [{"id": card["id"], "text": card["text"]}]

    cleo = phones.open("cleo")  # another device: a fresh profile remembers nothing
    cleo.goto("/")
    cleo.page.wait_for_selector('[data-ui="create"]')
    assert stored(cleo) is None and not cleo.page.is_checked("#create-remember")
    cleo.open_sheet("memory")
    sheet = cleo.page.locator('dialog[data-sheet="memory"]')
    assert "This device remembers nothing." in sheet.inner_text()
    bad = tmp_path / "not-ours.json"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    sheet.locator('[data-ui="import-starred"]').set_input_files(str(bad))
    cleo.page.wait_for_selector('[data-ui="memory-status"]:text("isn’t a file of starred cards")')
    assert stored(cleo) is None
    sheet.locator('[data-ui="import-starred"]').set_input_files(str(files["json"]))
    cleo.page.wait_for_selector('[data-ui="memory-status"]:text("Added 1 starred card.")')
    assert card["text"] in sheet.locator('[data-ui="memory-stars"]').inner_text()
    cleo.shot("memory-imported")
    assert stored(cleo)["on"] is True
