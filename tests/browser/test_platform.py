"""The phone around the game: the screen stays on while a room is in play, a turn that
comes while the page is hidden shows in the tab (title, icon, a buzz), and unsent text
survives a reload of the tab (sessionStorage), gone once sent or when the game ends; a
party guest's table is a room like any other."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Phones, Screens
from tests.browser.flows import check, create_room, draw_until, join_by_link, roles, start_game
from tests.browser.phone import Phone
from tests.browser.platform_stubs import install, set_hidden, tab, wait_wake_log, wake_log
from tests.browser.test_party import (
    draw_a_spoken_card,
    no_page_errors,
    open_party,
    pair_with_a_code,
)
from tests.browser.test_party_night import drawer_of

pytestmark = pytest.mark.browser
DRAFTS_JS = "Object.keys(sessionStorage).filter((k) => k.startsWith('closeknit:draft:'))"


def couple(phones: Phones) -> tuple[Phone, Phone]:
    a, b = install(phones.open("ana")), install(phones.open("bo"))
    join_by_link(b, create_room(a))
    return a, b


def test_the_screen_stays_on_in_play_and_is_let_go_on_pause_and_end(phones: Phones) -> None:
    a, b = couple(phones)
    assert wake_log(a) == [] and wake_log(b) == []  # the lobby does not hold the screen
    start_game(a, b)
    for p in (a, b):
        wait_wake_log(p, ["request"])
    b.act("pause")
    check(a, b)
    for p in (a, b):
        wait_wake_log(p, ["request", "release"])
    b.act("resume")
    check(a, b)
    wait_wake_log(a, ["request", "release", "request"])
    set_hidden(a, True)  # the phone locked: the browser let the lock go
    wait_wake_log(a, ["request", "release", "request", "lost"])
    set_hidden(a, False)  # back: asked for again
    wait_wake_log(a, ["request", "release", "request", "lost", "request"])
    a.act("end")  # the closing card is still play
    check(a, b)
    a.act("skip_closing")
    for p in (a, b):
        p.wait('v.phase === "ended"')
    wait_wake_log(a, ["request", "release", "request", "lost", "request", "release"])
    wait_wake_log(b, ["request", "release", "request", "release"])
    assert not a.errors and not b.errors, a.errors + b.errors


def test_a_turn_that_comes_while_hidden_shows_in_the_tab_until_seen(phones: Phones) -> None:
    a, b = couple(phones)
    start_game(a, b)
    speaker, listener, _ = draw_until(a, b, lambda c: c["mode"] == "one")
    normal = tab(listener)
    assert normal["icon"] == "assets/icons/favicon.png" and "Your turn" not in normal["title"]
    set_hidden(listener, True)
    speaker.act("answer")  # the speaker's move: nothing for the listener to do yet
    check(a, b)
    assert tab(listener) == normal
    speaker.act("done_speaking")  # now the listener reflects: their turn
    listener.page.wait_for_function("() => document.title.includes('Your turn')")
    cued = tab(listener)
    assert cued["icon"] == "assets/icons/favicon-turn.png" and cued["buzz"] == [120]
    assert "Your turn" not in tab(speaker)["title"]  # the visible page gets no cue
    set_hidden(listener, False)
    listener.page.wait_for_function("() => !document.title.includes('Your turn')")
    assert tab(listener) == {**normal, "buzz": [120]}
    assert roles(a, b) == (speaker, listener)
    assert not a.errors and not b.errors, a.errors + b.errors


def test_unsent_text_survives_a_reload_and_goes_once_sent_or_ended(phones: Phones) -> None:
    a, b = couple(phones)
    start_game(a, b)
    speaker, listener, _ = draw_until(a, b, lambda c: c["mode"] == "one")
    speaker.act("answer")
    check(a, b)
    draft = "A half-finished thought about Sunday mornings."
    speaker.type_into("text-answer", draft)
    speaker.reload()
    speaker.wait('v.phase === "speaking"')
    assert speaker.page.input_value('[data-ui="text-answer"]') == draft
    assert len(speaker.page.evaluate(DRAFTS_JS)) == 1
    assert speaker.page.evaluate("Object.keys(localStorage).length") == 2  # seat, room key
    speaker.act("done_speaking")
    check(a, b)
    assert draft in listener.text()
    assert speaker.page.evaluate(DRAFTS_JS) == []  # sent: forgotten
    listener.wait('v.phase === "reflecting"')
    listener.type_into("text-reflect", "What I heard is: slow Sundays.")
    assert len(listener.page.evaluate(DRAFTS_JS)) == 1
    listener.act("pause")
    listener.act("end")  # while paused: the game ends at once
    listener.wait('v.phase === "ended"')
    assert listener.page.evaluate(DRAFTS_JS) == []  # the game is over: nothing kept
    assert not a.errors and not b.errors, a.errors + b.errors


def test_a_party_table_holds_the_screen_and_leaving_it_lets_go_with_its_drafts(
    screens: Screens, phones: Phones
) -> None:
    host, display, code = open_party(screens)
    ana, ben = install(phones.open("ana")), install(phones.open("ben"))
    pair_with_a_code(ana, ben, code)
    for p in (ana, ben):
        wait_wake_log(p, ["request"])
    speaker, listener = drawer_of(ana, ben)
    draw_a_spoken_card(speaker)  # a reveal card first (1 deal in ~10) has no spoken turn
    speaker.act("answer")
    speaker.wait("v.phase === 'speaking'")
    speaker.type_into("text-answer", "Something half said.")
    assert len(speaker.page.evaluate(DRAFTS_JS)) == 1
    speaker.page.click('[data-ui="leave-table"]')
    speaker.page.click('[data-ui="yes-leave-table"]')
    speaker.wait_screen("party-lobby")
    wait_wake_log(speaker, ["request", "release"])
    assert speaker.page.evaluate(DRAFTS_JS) == []
    listener.wait_screen("party-lobby")
    wait_wake_log(listener, ["request", "release"])
    no_page_errors(host, display, ana, ben)
