"""A couple's own deck in real Chromium (issue 21): a pasted deck with one mistake shows
the validator's error with its line, and the fixed deck, accepted by the partner, plays
and is gone from the server with "delete our room now"; the in-page editor's deck
validates (as a file too) and plays; either can remove it; another room never sees it,
and it goes with its room's TTL. (The bounds: tests/server/test_own_deck_upload.py, on
both stores.)"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser

from decks.loader import load_deck
from tests.browser.conftest import Phones
from tests.browser.flows import check, create_room, join_by_link, start_game
from tests.browser.phone import Phone
from tests.support.redis import RedisServer
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.browser
TITLE = "Ours <b>only</b>"
SEALED = b"ck1."  # a sealed text: in a room where nothing was typed, the deck's


def pasted_deck() -> dict[str, object]:
    return {
        "id": "ours", "version": "1.0.0", "title": {"en": TITLE},
        "description": {"en": "Questions we wrote."}, "default_language": "en",
        "languages": ["en"], "authors": ["Us"], "license": "CC0-1.0", "age_rating": "all",
        "levels": [{"id": "one", "name": {"en": "One"}, "description": {"en": ""}}],
        "cards": [{"id": f"q{i}", "level": "one", "kind": "question", "mode": "one",
                   "text": {"en": f"Pasted question {i}: <i>what</i> made today good?"}}
                  for i in range(3)],
    }  # fmt: skip


def couple(phones: Phones, bo_locale: str = "en-US") -> tuple[Phone, Phone]:
    ana, bo = phones.open("ana"), phones.open("bo", locale=bo_locale)
    join_by_link(bo, create_room(ana))
    check(ana, bo)
    return ana, bo


def accept_and_draw(ana: Phone, bo: Phone) -> dict[str, object]:
    bo.page.wait_for_selector('[data-ui="own-deck"] [data-action="accept_deck"]')
    bo.act("accept_deck")
    ana.wait('v.deck.id === "~own"')
    check(ana, bo)
    start_game(ana, bo)
    drawer = ana if ana.view()["speaker"] == ana.view()["you"] else bo
    drawer.act("draw")
    card = drawer.view()["card"]
    assert card is not None
    return dict(card)


def test_a_pasted_deck_with_a_mistake_shows_its_line_and_the_fixed_one_plays(
    phones: Phones, browser_redis: RedisServer
) -> None:
    ana, bo = couple(phones, bo_locale="es-ES")
    good = json.dumps(pasted_deck(), indent=2)
    broken = good.replace('"mode": "one"', '"mode": "uno"', 1)
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if '"uno"' in text)
    # each phone reads the problem in its own words, from its code (issue 24)
    for phone, said in ((bo, f"Línea {line}, columna"), (ana, f"Line {line}, column")):
        phone.open_sheet("own-deck")
        phone.page.click('[data-ui="own-tab-paste"]')
        phone.page.fill('[data-ui="own-json"]', broken)
        phone.page.click('[data-ui="own-upload"]')
        problems = phone.page.locator('[data-ui="own-problems"]')
        problems.wait_for()
        assert said in problems.inner_text()
    assert "no es uno de los que se admiten aquí" in bo.page.inner_text('[data-ui="own-problems"]')
    assert "isn’t one of those allowed here" in problems.inner_text()  # not the server's
    bo.page.click('[data-ui="own-tab-write"]')  # clears the refusal
    bo.page.keyboard.press("Escape")
    ana.shot("own-deck-problem")
    assert bo.view()["own_deck"] is None  # nothing reached the room
    ana.page.fill('[data-ui="own-json"]', good)
    ana.page.click('[data-ui="own-upload"]')
    ana.page.wait_for_selector('dialog[data-sheet="own-deck"][open]', state="detached")
    bo.wait("v.own_deck !== null")
    panel = bo.page.locator('[data-ui="own-deck"]')
    assert TITLE in panel.inner_text() and panel.locator("b").count() == 0  # text, not markup
    assert "3 cartas" in panel.inner_text()
    assert "Waiting for Bo" in ana.page.locator('[data-ui="own-deck"]').inner_text()
    bo.shot("own-deck-lobby")
    card = accept_and_draw(ana, bo)
    assert str(card["text"]).startswith("Pasted question")
    assert bo.page.locator(".card i").count() == 0 and ana.page.locator(".card i").count() == 0
    # "Delete our room now": the deck went with the room, from the server's Redis too
    room = str(ana.view()["room"])
    stored = redis_values(browser_redis.url, room)
    assert stored and not any(TITLE.encode() in value for value in stored)  # sealed (issue 20)
    ana.act("end")
    ana.wait_screen("end")
    ana.page.once("dialog", lambda dialog: dialog.accept())
    ana.tap('[data-ui="delete-room"]')
    bo.wait_screen("deleted")
    assert redis_values(browser_redis.url, room) == []


def paste(phone: Phone, deck: dict[str, object]) -> None:
    phone.open_sheet("own-deck")
    phone.page.click('[data-ui="own-tab-paste"]')
    phone.page.fill('[data-ui="own-json"]', json.dumps(deck, indent=2))
    phone.page.click('[data-ui="own-upload"]')
    phone.page.wait_for_selector('dialog[data-sheet="own-deck"][open]', state="detached")


def test_a_couples_deck_never_reaches_another_room_and_goes_with_its_rooms_ttl(
    browser: Browser, browser_redis: RedisServer, client_dist: Path, decks_dir: Path
) -> None:
    """Two couples on one server (with a 6-second room TTL): the second couple's pages,
    views and stored room never hold the first couple's deck; once the first room has
    been idle past its TTL, nothing the server's Redis holds has the deck in it."""
    env = {"REDIS_URL": browser_redis.url, "CLIENT_DIR": str(client_dist),
           "DECKS_DIR": str(decks_dir), "LOG_LEVEL": "warning", "CREATE_BURST": "1000",
           "JOIN_FAIL_BURST": "1000", "ROOM_TTL": "6"}  # fmt: skip
    with ServerProcess(env) as server:
        phones = Phones(browser, server.url)
        try:
            ana, bo = couple(phones)
            paste(ana, pasted_deck())
            bo.wait("v.own_deck !== null")
            room = str(ana.view()["room"])
            # Its texts are sealed (issue 20): the deck is what holds envelopes, in clear never.
            stored = redis_values(browser_redis.url, room)
            assert any(SEALED in v for v in stored) and not any(TITLE.encode() in v for v in stored)
            cleo, dev = couple(phones)
            other = str(cleo.view()["room"])
            for phone in (cleo, dev):
                assert phone.view()["own_deck"] is None
                assert (
                    "Ours" not in phone.page.content()
                    and "Pasted question" not in phone.page.content()
                )
            assert not any(SEALED in value for value in redis_values(browser_redis.url, other))
            # Nobody moves in the first room: past its TTL its deck is gone from Redis.
            deadline = time.monotonic() + 20
            while any(SEALED in v for v in redis_values(browser_redis.url, room)):
                assert time.monotonic() < deadline, "the deck outlived its room's TTL"
                time.sleep(0.5)
        finally:
            phones.close()


def redis_values(url: str, room: str) -> list[bytes]:
    """Every value the server's Redis holds under ``room``'s keys."""
    client = redis.Redis.from_url(url)
    try:
        out: list[bytes] = []
        for key in client.scan_iter(match=f"*{room}*"):
            kind = client.type(key)
            if kind == b"string":
                out.append(bytes(client.get(key) or b""))
            elif kind == b"hash":
                out.extend(bytes(v) for v in client.hvals(key))
            elif kind == b"list":
                out.extend(bytes(v) for v in client.lrange(key, 0, -1))
            elif kind == b"stream":
                out.extend(bytes(v) for _, f in client.xrange(key) for v in f.values())
        return out
    finally:
        client.close()


def test_the_editors_deck_validates_saves_as_a_file_plays_and_can_be_removed(
    phones: Phones, tmp_path: Path
) -> None:
    ana, bo = couple(phones)
    ana.open_sheet("own-deck")
    page = ana.page
    page.fill('[data-ui="own-title"]', "Sofa nights")
    page.fill('[data-ui="own-level-0"]', "What did you dream of as a child?\nWhich song is ours?")
    notes = page.locator('[data-ui="own-editor-notes"]')
    assert "Light needs at least 3 questions" in notes.inner_text()
    assert page.is_disabled('[data-ui="own-add-written"]')
    page.fill('[data-ui="own-level-0"]', "What did you dream of as a child?\nWhich song is ours?\n"
              "What would you buy with a surprise bonus? #money")  # fmt: skip
    page.wait_for_selector(
        '[data-ui="own-editor-notes"]:has-text("Ready: 3 questions on 1 level.")'
    )
    ana.shot("own-deck-editor")
    with page.expect_download() as got:
        page.click('[data-ui="own-save"]')
    saved = tmp_path / "our-own-deck.json"
    got.value.save_as(saved)
    result = load_deck(saved.read_bytes())
    assert result.ok, [p.as_dict() for p in result.errors]  # a file to load again later
    assert result.deck is not None and len(result.deck.cards) == 3
    page.click('[data-ui="own-add-written"]')
    bo.wait("v.own_deck !== null")
    assert "Money" in bo.view()["own_deck"]["topics"]
    bo.act("accept_deck")
    ana.wait('v.deck.id === "~own"')
    ana.act("remove_deck")  # either can take it out: the deck before comes back
    bo.wait('v.own_deck === null && v.deck.id === "closer"')
    check(ana, bo)
    ana.open_sheet("own-deck")  # what was written is still in this page: add it again
    page.click('[data-ui="own-add-written"]')
    card = accept_and_draw(ana, bo)
    assert "#money" not in str(card["text"])
    assert card["text"] in {"What did you dream of as a child?", "Which song is ours?",
                            "What would you buy with a surprise bonus?"}  # fmt: skip
