"""The invite: its QR code decodes (with a real decoder) to the invite link, and the
invite stays reachable during the game."""

from __future__ import annotations

import base64

import pytest

from tests.browser.conftest import Phones
from tests.browser.flows import create_room, join_by_link, start_game
from tests.browser.phone import Phone
from tests.support.servers import ROOT

pytestmark = pytest.mark.browser

JSQR = ROOT / "web-client" / "node_modules" / "jsqr" / "dist" / "jsQR.js"

DECODE_JS = """async (dataUrl) => {
  const img = new Image();
  img.src = dataUrl;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const code = window.jsQR(pixels.data, canvas.width, canvas.height);
  return code ? code.data : null;
}"""


def decode_qr_on_screen(phone: Phone) -> str | None:
    """Screenshots the QR code as drawn and decodes those pixels with jsQR."""
    qr = phone.page.locator(".invite .qr")
    # In the middle of the screen, clear of the bottom bar (as a partner would scan it).
    qr.evaluate("e => e.scrollIntoView({block: 'center'})")
    png = qr.screenshot()
    phone.page.add_script_tag(path=str(JSQR))
    data_url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    result = phone.page.evaluate(DECODE_JS, data_url)
    return None if result is None else str(result)


def test_qr_code_decodes_to_the_invite_link(phones: Phones) -> None:
    assert JSQR.is_file(), "jsqr is a dev dependency of web-client (npm ci)"
    ana = phones.open("ana", inject_tools=True)
    link = create_room(ana)
    assert "#join=" in link
    ana.shot("invite")
    assert decode_qr_on_screen(ana) == link


def test_invite_stays_reachable_during_the_game(phones: Phones) -> None:
    ana, bo = phones.open("ana", inject_tools=True), phones.open("bo")
    link = create_room(ana)
    join_by_link(bo, link)
    start_game(ana, bo)
    ana.tap('[data-ui="toggle-invite"]')
    ana.page.wait_for_selector(".invite .qr")
    assert ana.page.input_value('[data-ui="invite-link"]') == link
    assert decode_qr_on_screen(ana) == link
    ana.shot("invite-during-game")
    ana.tap('[data-ui="close-invite"]')
    assert not ana.page.locator(".invite").count()


def test_after_a_reload_the_creator_still_has_the_invite_link(phones: Phones) -> None:
    ana, bo = phones.open("ana", inject_tools=True), phones.open("bo")
    link_before = create_room(ana)
    room = ana.view()["room"]
    ana.reload()  # the page forgot the link; the server's welcome brings the invite back
    ana.wait_screen("lobby")
    ana.page.wait_for_function(
        "document.querySelector('[data-ui=\"invite-link\"]')?.value.includes('#join=')"
    )
    link = ana.page.input_value('[data-ui="invite-link"]')
    assert link == link_before and link.startswith(f"{ana.base_url}/#join={room}.")
    assert decode_qr_on_screen(ana) == link
    join_by_link(bo, link)  # following it joins directly, no admission needed
    ana.wait("v.seats[1].joined")
