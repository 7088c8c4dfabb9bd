"""Every code the party socket and its endpoints can answer has words on the party
pages (web-client/src/party/words.ts, or the couple pages' words in src/i18n.ts), so no
guest, console or display shows a raw code or nothing at all. Protocol codes (a
misbehaving client) share one generic sentence."""

from __future__ import annotations

import re

from game import party as p
from server.errors import ErrorCode
from tests.support.servers import ROOT

WORDS = ROOT / "web-client" / "src" / "party" / "words.ts"
I18N = ROOT / "web-client" / "src" / "i18n.ts"
SERVER = ROOT / "server"


def worded() -> set[str]:
    """The codes with words on the party pages: their own, and the couple pages' (the
    errors of src/i18n.ts, which the party pages fall back on)."""
    own = set(re.findall(r'^\s*"([a-z_]+/[a-z_]+)":', WORDS.read_text(), re.MULTILINE))
    source = I18N.read_text(encoding="utf-8")
    at = source.index("const errEn: Record<string, string> = {")
    couple = source[at : source.index("\n};", at)]
    return own | set(re.findall(r'^\s*"([a-z_]+/[a-z_]+)":', couple, re.MULTILINE))


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


# The party pages' words in every language: tests/server/test_words_complete.py ---------
PARTY = ROOT / "web-client" / "src" / "party"


def catalogue(source: str, start: str) -> set[str]:
    """The keys of the object literal that opens with ``start`` (a word or its plurals)."""
    at = source.index(start)
    body = source[at : source.index("\n}", at)]
    return set(re.findall(r"^  ([a-z_0-9]+):", body, re.MULTILINE))


def test_the_party_pages_take_every_word_from_the_catalogue() -> None:
    """Each key a party page asks for exists; no sentence is written into a page."""
    english = catalogue(I18N.read_text(encoding="utf-8"), "const en = {")
    for page in ("console.ts", "guest.ts", "main.ts"):
        source = (PARTY / page).read_text(encoding="utf-8")
        asked = set(re.findall(r'"(p_[a-z_0-9]+)"', source))
        assert asked, page
        assert not asked - english, f"{page}: {sorted(asked - english)} not in i18n.ts"
        # a text child of h(): a capitalised word then a space, in quotes
        literal = re.findall(r'h\("[a-z0-9]+", [^)]*?, "([A-Z][a-z]+ [^"]*)"\)', source)
        assert not literal, f"{page} writes {literal} itself"
