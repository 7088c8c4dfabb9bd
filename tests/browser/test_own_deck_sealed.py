"""A couple's own deck in a sealed room (issue 20), in real Chromium: Ana pastes a deck
whose card texts carry a canary, her page seals its texts before the upload, Bo accepts
it, a card of it is played and both phones read it in clear, while Redis (every key,
raw), every pub/sub message and every WebSocket frame either phone sent or received
hold it only sealed; a device without the key shows that it is sealed. (The server's
checks: tests/server/test_own_deck_sealed.py.)"""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import Phones
from tests.browser.flows import check, create_room, join_by_link
from tests.browser.test_own_deck import accept_and_draw, paste
from tests.browser.test_sealed_play import SEALED_WORDS, Wiretap, record_frames, wiretap  # noqa: F401

pytestmark = pytest.mark.browser
CANARY = "zq9deckcanary"


def canary_deck() -> dict[str, object]:
    return {
        "id": "ours", "version": "1.0.0", "title": {"en": f"{CANARY} title"},
        "description": {"en": f"{CANARY} description"}, "default_language": "en",
        "languages": ["en"], "authors": ["Us"], "license": "CC0-1.0", "age_rating": "all",
        "levels": [{"id": "one", "name": {"en": f"{CANARY} level"}, "description": {"en": ""}}],
        "cards": [{"id": f"q{i}", "level": "one", "kind": "question", "mode": "one",
                   "text": {"en": f"{CANARY} question {i}: what did we laugh about?"}}
                  for i in range(3)],
    }  # fmt: skip


def test_a_couples_own_deck_is_read_on_both_phones_and_never_reaches_the_server_in_clear(
    phones: Phones,
    wiretap: Wiretap,  # noqa: F811
) -> None:
    ana, bo = phones.open("deck-ana"), phones.open("deck-bo")
    ana_frames, bo_frames = record_frames(ana), record_frames(bo)
    join_by_link(bo, create_room(ana))
    check(ana, bo)
    paste(ana, canary_deck())
    bo.wait("v.own_deck !== null")
    assert f"{CANARY} title" in bo.page.locator('[data-ui="own-deck"]').inner_text()
    card = accept_and_draw(ana, bo)
    text = str(card["text"])
    assert text.startswith(f"{CANARY} question")
    for phone in (ana, bo):
        phone.wait(f"v.card !== null && v.card.text === {json.dumps(text)}")
        assert text in phone.text(), phone.label
    ana.shot("own-deck-sealed-card")

    # A device without the key (its site data for the key cleared) shows it is sealed.
    bo.page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('closeknit:key:'))"
                     ".forEach((k) => localStorage.removeItem(k))")  # fmt: skip
    bo.reload()
    bo.wait("v.card !== null")
    assert CANARY not in bo.text() and SEALED_WORDS in bo.text()
    assert not ana.errors and not bo.errors, ana.errors + bo.errors

    stored = wiretap.everything_stored()
    assert b"ck1." in stored and CANARY.encode() not in stored
    assert wiretap.messages and not [m for m in wiretap.messages if CANARY.encode() in m]
    assert ana_frames and bo_frames
    for frame in ana_frames + bo_frames:
        assert CANARY.encode() not in frame
