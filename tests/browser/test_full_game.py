"""Two phones play a whole game through the real UI, against a real server on Redis."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Phones
from tests.browser.flows import (
    answer_card,
    check,
    completed,
    create_room,
    draw,
    draw_until,
    join_by_link,
    roles,
    speak_half,
    start_game,
)
from tests.browser.phone import Phone, in_sync

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def lobby_with_private_boundaries(a: Phone, b: Phone) -> None:
    a.tick("#b-money")
    a.settle()
    b.tick("#b-sex")
    b.settle()
    in_sync(a, b)
    assert a.view()["boundaries"] == ["money"]
    assert b.view()["boundaries"] == ["sex"]
    assert "sex" not in str(a.view()["boundaries"]) and "money" not in str(b.view()["boundaries"])
    check(a, b)
    a.shot("lobby-boundaries")  # the sheet is still open (README)


def first_card_typed_with_reaction_and_try_again(a: Phone, b: Phone) -> None:
    speaker, listener, card = draw_until(
        a, b, lambda c: c["mode"] == "one" and not c["tags"] and bool(c["text"])
    )
    assert card["text"] in listener.text()
    speaker.shot("play-shown-speaker")
    listener.shot("play-shown-listener")
    assert "You are speaking" in speaker.text() and "You are listening" in listener.text()
    speaker.act("answer")
    check(a, b)
    listener.act("react", key="react:heart")
    check(a, b)
    assert "Bo sent a heart" in speaker.text() or "Ana sent a heart" in speaker.text()
    assert "You sent a heart" in listener.text()
    # Talked first: a spoken turn's typing box waits behind "Type instead".
    assert speaker.page.locator('[data-ui="text-answer"]').count() == 0
    assert speaker.page.locator('[data-ui="type-answer"]').count() == 1
    speaker.type_into("text-answer", "A slow breakfast on the balcony.")
    listener.page.wait_for_selector('[data-ui="typing"]')
    speaker.shot("play-speaking-speaker")
    speaker.act("done_speaking")
    check(a, b)
    assert "A slow breakfast on the balcony." in listener.text()
    listener.type_into("text-reflect", "What I heard is: slow mornings matter.")
    listener.shot("play-reflecting-listener")
    listener.act("reflect")
    check(a, b)
    speaker.act("try_again")  # back to reflecting
    check(a, b)
    listener.wait('v.phase === "reflecting"')
    listener.act("reflect")
    check(a, b)
    speaker.shot("play-confirming-speaker")
    speaker.act("star")
    check(a, b)
    speaker.act("felt_heard")
    check(a, b)
    assert completed(a) == 1


def deeper_declined_then_accepted(a: Phone, b: Phone) -> None:
    proposer, partner = a, b
    proposer.act("propose_deeper")
    check(a, b)
    partner.wait("v.proposal !== null")
    assert partner.primaries() == ["accept_deeper"] and proposer.primaries() == []
    partner.shot("play-proposal")
    assert "would like to go deeper" in partner.text()
    # The pending proposal blocks the draw: no status line says "your turn to draw".
    for p in (proposer, partner):
        assert "draw" not in p.view()["legal"] and "turn to draw" not in p.text()
    assert "Waiting for Bo to answer" in proposer.text()
    partner.act("decline_deeper")
    check(a, b)
    assert proposer.view()["notice"] == "staying" and proposer.view()["level"] == 0
    assert "Staying here for now." in proposer.text()
    # one more completed card, then the proposal may come again
    speaker, listener, card = draw_until(a, b, lambda c: c["mode"] == "one")
    answer_card(speaker, listener, card)
    proposer.act("propose_deeper")
    check(a, b)
    partner.act("accept_deeper")
    check(a, b)
    assert a.view()["level"] == 1 and b.view()["level"] == 1
    for p in (a, b):  # a card of its own for the step deeper, on both phones
        assert "Deeper together" in p.text()
    a.shot("play-deeper")


def pass_with_avoid_topic(a: Phone, b: Phone) -> None:
    speaker, listener, card = draw_until(a, b, lambda c: c["mode"] == "one" and bool(c["tags"]))
    tags = {t["id"] for t in card["tags"]}
    before_listener = set(listener.view()["boundaries"])
    speaker.tick('[data-ui="avoid-topic"]')
    speaker.act("pass")
    check(a, b)
    assert listener.view()["notice"] == "passed"
    assert tags <= set(speaker.view()["boundaries"])
    assert set(listener.view()["boundaries"]) == before_listener  # never the partner's


def reveal_card(a: Phone, b: Phone) -> None:
    speaker, _, _ = draw_until(a, b, lambda c: c["mode"] == "reveal")
    speaker.act("answer")
    check(a, b)
    a.wait('v.phase === "writing"')
    a.type_into("text-reveal", "Ana's private words")
    a.act("write_reveal")
    check(a, b)
    b.shot("play-writing")
    assert "Ana's private words" not in b.text()
    b.type_into("text-reveal", "Bo's private words")
    b.act("write_reveal")
    check(a, b)
    for p in (a, b):
        p.wait("v.revealed !== null")
        assert "Ana's private words" in p.text() and "Bo's private words" in p.text()
    a.shot("play-revealed")


def pause_and_resume(a: Phone, b: Phone) -> None:
    b.act("pause")
    check(a, b)
    a.wait_screen("pause")
    b.wait_screen("pause")
    assert "paused the game" in a.text()
    a.shot("pause")
    assert set(a.view()["legal"]) <= {"resume", "end", "step_back", "mark_boundary",
                                      "unmark_boundary", "pause"}  # fmt: skip
    b.act("resume")
    check(a, b)
    a.wait_screen("play")


def offline_then_online_keeps_the_draft(a: Phone, b: Phone) -> None:
    speaker, listener, _ = draw_until(a, b, lambda c: c["mode"] == "one")
    speaker.act("answer")
    check(a, b)
    draft = "Half a thought, typed before the tunnel."
    speaker.type_into("text-answer", draft)
    speaker.go_offline()
    listener.page.wait_for_selector(".banner.calm")  # "... connection dropped"
    speaker.page.wait_for_selector(".banner.warn")  # "Reconnecting ..."
    assert "even if you reload the page" in speaker.text()
    speaker.shot("away-reconnecting")
    listener.shot("away-partner")
    speaker.go_online()
    speaker.page.wait_for_selector('#app[data-status="open"]', timeout=20_000)
    listener.page.wait_for_selector(".banner.ok")  # "... is back"
    assert speaker.page.input_value('[data-ui="text-answer"]') == draft
    speaker.act("done_speaking")
    check(a, b)
    assert draft in listener.text()
    listener.act("reflect")
    check(a, b)
    speaker.act("felt_heard")
    check(a, b)


def reload_mid_card_resumes(a: Phone, b: Phone) -> None:
    speaker, _, card = draw(a, b)
    version = a.view()["version"]
    reloader = a
    reloader.reload()
    reloader.wait(f'v.version >= {version} && v.card && v.card.id === "{card["id"]}"')
    stored = reloader.page.evaluate("Object.keys(localStorage)")
    assert len(stored) == 1 and stored[0].startswith("closeknit:seat:")
    check(a, b)
    speaker.act("skip")
    check(a, b)


def step_back(a: Phone, b: Phone) -> None:
    a.act("step_back", key="step_back:0")
    check(a, b)
    assert b.view()["level"] == 0 and b.view()["notice"] == "stepped_back"


def closing_card_and_summary(a: Phone, b: Phone) -> None:
    a.act("end")
    check(a, b)
    view = b.wait("v.card && v.card.closing")
    assert view["phase"] == "shown"
    speaker, listener = roles(a, b)
    speaker.shot("closing-card")
    speaker.act("answer")
    check(a, b)
    speak_half(speaker, listener)
    speak_half(listener, speaker)
    for p in (a, b):
        p.wait('v.phase === "ended"')
        p.wait_screen("end")
    summary = a.view()["summary"]
    assert summary["total"] == completed(a) or summary["total"] >= 5
    assert summary["completed"][1] >= 1
    # cards either partner starred, shown to both
    assert len(summary["starred"]) == 1 and summary == b.view()["summary"]
    assert summary["starred"][0]["text"] in a.text()
    check(a, b)
    a.shot("end-summary")


def test_two_phones_play_a_whole_game(phones: Phones) -> None:
    a, b = phones.open("ana"), phones.open("bo")
    link = create_room(a)
    a.shot("invite-lobby")
    join_by_link(b, link)
    check(a, b)
    lobby_with_private_boundaries(a, b)
    start_game(a, b)
    first_card_typed_with_reaction_and_try_again(a, b)
    speaker, listener, card = draw_until(a, b, lambda c: c["mode"] == "both")
    answer_card(speaker, listener, card)
    speaker, listener, card = draw_until(a, b, lambda c: c["mode"] == "one")
    answer_card(speaker, listener, card)
    assert completed(a) == 3
    deeper_declined_then_accepted(a, b)
    pass_with_avoid_topic(a, b)
    reveal_card(a, b)
    pause_and_resume(a, b)
    # Back to the first level before the last draws: every hunt above skips cards, and
    # the second level (34 cards, fewer after both boundaries and an avoided topic) can
    # run out by the reload's draw. Replayed with the engine over 1,000 seeds, this
    # flow ran out of cards 13 times, all at the offline hunt or the reload's draw
    # ("no card to draw"); stepping back first, never in 2,000.
    step_back(a, b)
    offline_then_online_keeps_the_draft(a, b)
    reload_mid_card_resumes(a, b)
    closing_card_and_summary(a, b)
    assert not a.errors and not b.errors, a.errors + b.errors
