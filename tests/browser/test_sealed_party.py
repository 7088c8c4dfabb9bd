"""Sealed party tables (issue 20): a table's two guests, paired by a pair code (or by
the host's hand), agree on the table's key through the table's socket (X25519; the
server relays public keys only), see the same safety code, and read each other's
texts; the host console and the big screen hold no key: the typed canary never
reaches either, nor Redis, in clear."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import Phones, Screens
from tests.browser.flows import check, draw_until
from tests.browser.test_party import pair_with_a_code, paired_by_the_host, ui
from tests.browser.test_sealed_play import NO_SUBTLE, Wiretap, record_frames
from tests.support.redis import RedisServer

pytestmark = pytest.mark.browser
CANARY = "zq9partycanary"


@pytest.fixture
def tap(browser_redis: RedisServer) -> Iterator[Wiretap]:
    tap = Wiretap(browser_redis.url)
    yield tap
    tap.stop()


def test_a_party_tables_texts_are_sealed_for_the_host_console_and_the_display(
    screens: Screens, phones: Phones, tap: Wiretap
) -> None:
    host = screens.open("sealed-host")
    host_frames = record_frames(host)
    host.goto("/party")
    host.wait_screen("party-start")
    host.page.click(ui(host, "create-party"))
    host.wait_screen("party-host")
    code = host.page.locator(ui(host, "party-code")).inner_text().strip()
    display = screens.open("sealed-display")
    display_frames = record_frames(display)
    display.goto(str(host.page.locator(ui(host, "display-link")).get_attribute("href")))
    display.wait_screen("party-display")

    ana, ben = phones.open("sealed-ana"), phones.open("sealed-ben")
    ben.context.add_init_script(NO_SUBTLE)  # one guest on plain http: noble's X25519
    pair_with_a_code(ana, ben, code)
    for guest in (ana, ben):
        guest.page.wait_for_selector(ui(guest, "safety-code"))
    codes = [g.page.inner_text(ui(g, "safety-code")) for g in (ana, ben)]
    assert codes[0] == codes[1] and len(codes[0].replace(" ", "")) == 6, codes
    ana.shot("sealed-party-table")
    cleo, dev = phones.open("sealed-cleo"), phones.open("sealed-dev")
    paired_by_the_host(host, cleo, dev, code)  # another table, paired by the host's hand
    for guest in (cleo, dev):
        guest.page.wait_for_selector(ui(guest, "safety-code"))
    other = {g.page.inner_text(ui(g, "safety-code")) for g in (cleo, dev)}
    assert len(other) == 1 and other != {codes[0]}, (other, codes)  # a key of its own

    speaker, _, _ = draw_until(ana, ben, lambda c: c["mode"] == "reveal")
    speaker.act("answer")
    check(ana, ben)
    words = (f"{CANARY} Ana at the table", f"{CANARY} Ben at the table")
    for guest, text in zip((ana, ben), words, strict=True):
        guest.wait('v.phase === "writing"')
        guest.type_into("text-reveal", text)
        guest.act("write_reveal")
    for guest in (ana, ben):
        guest.wait("v.revealed !== null")
        assert all(w in guest.text() for w in words), guest.label
    assert not ana.errors and not ben.errors, ana.errors + ben.errors

    # The console and the big screen followed the table, and never got a word of it.
    host.page.wait_for_selector('[data-guest="Ben"]')
    assert host_frames and display_frames
    for frame in host_frames + display_frames:
        assert CANARY.encode() not in frame
    assert CANARY not in host.text() and CANARY not in display.text()
    stored = tap.everything_stored()
    assert b"ck1." in stored and CANARY.encode() not in stored
    assert not [m for m in tap.messages if CANARY.encode() in m]
