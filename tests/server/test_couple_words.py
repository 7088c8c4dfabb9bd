"""The couple-only part of the catalogue (web-client/src/couple-words.ts, issue 21) has
every key in every language with the same placeholders, like src/i18n.ts itself
(tests/server/test_party_words.py), and never a key the shared part has too."""

from __future__ import annotations

from tests.server.test_party_words import I18N, catalogue, languages, placeholders
from tests.support.servers import ROOT

COUPLE = ROOT / "web-client" / "src" / "couple-words.ts"


def test_the_couple_words_are_in_every_language_with_the_same_placeholders() -> None:
    source = COUPLE.read_text(encoding="utf-8")
    english = catalogue(source, "export const coupleEn = {")
    assert len(english) > 60 and "memory_forget" in english  # the reading works
    shared = catalogue(I18N.read_text(encoding="utf-8"), "const en = {")
    assert not set(english) & set(shared)
    for lang in (x for x in languages(I18N.read_text(encoding="utf-8")) if x != "en"):
        theirs = catalogue(source, f"const couple{lang.title()}: Record<")
        assert set(theirs) == set(english), f"{lang}: {sorted(set(english) ^ set(theirs))}"
        wrong = sorted(k for k in theirs if placeholders(theirs[k]) != placeholders(english[k]))
        assert not wrong, f"{lang}: other placeholders than English in {wrong}"


ONE_PHONE = ROOT / "web-client" / "src" / "onephone" / "words.ts"


def test_the_one_phone_words_are_in_every_language_with_the_same_placeholders() -> None:
    source = ONE_PHONE.read_text(encoding="utf-8")
    english = catalogue(source, "export const onePhoneEn = {")
    assert len(english) > 25 and "one_pass_to" in english  # the reading works
    shared = set(catalogue(I18N.read_text(encoding="utf-8"), "const en = {"))
    couple = set(catalogue(COUPLE.read_text(encoding="utf-8"), "export const coupleEn = {"))
    assert not set(english) & (shared | couple)
    for lang in (x for x in languages(I18N.read_text(encoding="utf-8")) if x != "en"):
        theirs = catalogue(source, f"const onePhone{lang.title()}: Record<")
        assert set(theirs) == set(english), f"{lang}: {sorted(set(english) ^ set(theirs))}"
        wrong = sorted(k for k in theirs if placeholders(theirs[k]) != placeholders(english[k]))
        assert not wrong, f"{lang}: other placeholders than English in {wrong}"
