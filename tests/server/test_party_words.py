"""Every code the party socket and its endpoints can answer has words on the party
pages (web-client/src/party/words.ts), so no guest, console or display shows a raw code
or nothing at all. Protocol codes (a misbehaving client) share one generic sentence."""

from __future__ import annotations

import re

from game import party as p
from server.errors import ErrorCode
from tests.support.servers import ROOT

WORDS = ROOT / "web-client" / "src" / "party" / "words.ts"
SERVER = ROOT / "server"


def worded() -> set[str]:
    return set(re.findall(r'^\s*"([a-z_]+/[a-z_]+)":', WORDS.read_text(), re.MULTILINE))


def party_server_codes() -> set[str]:
    """The codes the party modules raise or send, by name, read from their source: the
    parties, the party socket and routes, and what they share (the socket loop and the
    error table)."""
    paths = [*SERVER.glob("parties/*.py"), *SERVER.glob("http/party*.py")]
    paths += [SERVER / "http" / "shell.py", SERVER / "errors.py"]
    names: set[str] = set()
    for path in paths:
        names |= set(re.findall(r"\bErrorCode\.([A-Z_]+)", path.read_text()))
    return {ErrorCode[name].value for name in names}


def test_every_party_code_has_words_on_the_party_pages() -> None:
    missing = {code.value for code in p.PartyCode} - worded()
    assert not missing, f"add words for {sorted(missing)} to {WORDS.name}"


def test_every_server_code_the_party_socket_sends_has_words_or_is_a_protocol_slip() -> None:
    codes = party_server_codes() | {"lobby/unknown_deck", "deck/invalid", "deck/too_large"}
    assert "join/failed" in codes and "store/unavailable" in codes  # the reading works
    missing = {c for c in codes if not c.startswith("protocol/")} - worded()
    assert not missing, f"add words for {sorted(missing)} to {WORDS.name}"
