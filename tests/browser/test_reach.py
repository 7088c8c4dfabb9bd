"""Reaching each other: an invite link that names 127.0.0.1 cannot open on a partner's
phone, and the lobby says so (and how to fix it), while a link with a network address
gets no warning; a typed code that nobody answers is met kindly (the name kept, a hint
after a few seconds, cancelling at once, and never "your partner did not let you in"
when nobody said no)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Phones
from tests.browser.flows import create_room
from tests.browser.test_joining import knock
from tests.support.servers import HOST, ServerProcess, free_port

pytestmark = pytest.mark.browser
LAN = "192.168.1.20"
KNOCK_TIMEOUT = 9  # seconds: the client's hint comes at 6


@pytest.fixture(scope="module")
def lan_server(client_dist: object) -> Iterator[ServerProcess]:
    """A server whose PUBLIC_URL is a home network's address, reached by the browser at
    127.0.0.1 (allowed as a host and an origin besides it), knocks timing out soon."""
    port = free_port()
    server = ServerProcess(
        {
            "PUBLIC_URL": f"http://{LAN}:{port}",
            "ALLOWED_HOSTS": HOST,
            "ALLOWED_ORIGINS": f"http://{HOST}:{port}",
            "KNOCK_TIMEOUT": str(KNOCK_TIMEOUT),
            "CLIENT_DIR": str(client_dist),
            "LOG_LEVEL": "warning",
        },
        port=port,
    )
    server.start()
    yield server
    server.stop()
    server.cleanup()


@pytest.fixture
def lan_phones(browser: Browser, lan_server: ServerProcess) -> Iterator[Phones]:
    opened = Phones(browser, lan_server.url)
    yield opened
    opened.close()


def test_a_loopback_invite_link_warns_that_a_partners_phone_cannot_open_it(
    phones: Phones,
) -> None:
    ana = phones.open("ana")
    link = create_room(ana)
    assert link.startswith("http://127.0.0.1:")
    warning = ana.page.locator('[data-ui="local-only"]')
    assert warning.is_visible()
    text = warning.inner_text()
    assert "your partner's phone cannot open it" in text
    assert "HOST=0.0.0.0" in text and "PUBLIC_URL" in text and "127.0.0.1" in text
    ana.shot("lobby-local-only-warning")
    assert not ana.errors, ana.errors


def test_an_invite_link_with_a_network_address_gets_no_warning(lan_phones: Phones) -> None:
    ana = lan_phones.open("ana")
    link = create_room(ana)
    assert link.startswith(f"http://{LAN}:")
    assert ana.page.locator('[data-ui="local-only"]').count() == 0
    ana.shot("lobby-waiting", full_page=False)  # waiting for the partner (README)
    assert not ana.errors, ana.errors


def test_a_knock_can_be_cancelled_at_once_and_keeps_the_name(lan_phones: Phones) -> None:
    bo = lan_phones.open("bo")
    knock(bo, "ZZZZZZ", "Bo")
    bo.page.click('[data-ui="cancel-knock"]')
    bo.wait_screen("start")
    assert bo.page.input_value("#join-name") == "Bo"
    assert bo.page.input_value("#join-code") == "ZZZZZZ"
    assert not bo.errors, bo.errors


def test_an_unanswered_knock_gets_a_hint_then_never_says_the_partner_declined(
    lan_phones: Phones,
) -> None:
    ana, bo = lan_phones.open("ana"), lan_phones.open("bo")
    create_room(ana)
    code = ana.page.inner_text('[data-ui="room-code"]')
    knock(bo, code, "Bo")
    ana.page.wait_for_selector('[role="alertdialog"]')  # asked, and leaves it unanswered
    assert bo.page.locator('[data-ui="knock-slow"]').count() == 0
    hint = bo.page.wait_for_selector('[data-ui="knock-slow"]', timeout=8_000)
    assert hint is not None
    assert hint.inner_text() == (
        "No answer yet. Check the code with your partner, or use the invite link."
    )
    assert bo.page.locator('[data-ui="cancel-knock"]').is_enabled()
    bo.shot("knocking-no-answer-yet")
    bo.wait_screen("start")  # the server's knock timeout
    bo.page.wait_for_selector(".banner.error")
    assert "Nobody answered your knock" in bo.text()
    assert "did not let you in" not in bo.text()
    assert bo.page.input_value("#join-name") == "Bo"
    assert bo.page.input_value("#join-code") == code
    assert not ana.errors and not bo.errors, ana.errors + bo.errors
