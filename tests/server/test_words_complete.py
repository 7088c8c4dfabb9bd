"""Every words table of the web client (each file under web-client/src that calls
``addWords("name", en, {de, es})``, found, not listed) has every key in every UI
language, the same placeholders and plural forms as English, no key another table has,
and no German or Spanish word left the same as the English one unless listed below as
meant to be the same (issue 24). The tables come from web-client/words-export.mjs,
which bundles them with esbuild and loads every language's chunk in node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import pytest

from tests.support.servers import ROOT

CLIENT = ROOT / "web-client"

# Words that are rightly the same in a language as in English: names, numbers and
# formats, or words both languages share. Keyed by language, then table.
SAME: dict[str, dict[str, set[str]]] = {
    "de": {"core": {"app_name", "pause", "summary_level", "p_party_code_title", "p_deck"}},
    "es": {"core": {"app_name", "summary_level"}},
}

Message = str | dict[str, str]


@pytest.fixture(scope="module")
def exported() -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (CLIENT / "node_modules" / "esbuild").exists():
        pytest.skip("node and web-client/node_modules are needed (scripts/build-client.sh)")
    out = subprocess.run(
        [node, "words-export.mjs"],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    words: dict[str, Any] = json.loads(out)
    return words


def forms(message: Message) -> dict[str, str]:
    return (
        {"other": message}
        if isinstance(message, str)
        else {k: v for k, v in message.items() if k != "count"}
    )


def placeholders(message: Message) -> set[str]:
    return {p for text in forms(message).values() for p in re.findall(r"\{([a-z]+)\}", text)}


def test_the_export_finds_every_table(exported: dict[str, Any]) -> None:
    tables = exported["tables"]
    assert {"core", "errors", "couple", "onephone", "party"} <= set(tables)  # the reading works
    assert len(tables["core"]["en"]) > 300
    assert set(exported["plurals"]) == {"en", "de", "es"}


def test_every_table_has_every_key_in_every_language(exported: dict[str, Any]) -> None:
    gaps = []
    for name, langs in exported["tables"].items():
        english = set(langs["en"])
        for lang, words in langs.items():
            if lang != "en" and set(words) != english:
                missing, extra = sorted(english - set(words)), sorted(set(words) - english)
                gaps.append(f"{name}/{lang}: missing {missing}, not in English {extra}")
    assert not gaps, "\n".join(gaps)


def test_every_translation_has_the_placeholders_and_plural_forms_of_english(
    exported: dict[str, Any],
) -> None:
    wrong = []
    for name, langs in exported["tables"].items():
        for lang, words in langs.items():
            categories = set(exported["plurals"][lang])
            for key, message in words.items():
                english = langs["en"].get(key)
                if english is None:
                    continue
                if placeholders(message) != placeholders(english):
                    wrong.append(f"{name}/{lang}/{key}: placeholders")
                if isinstance(english, dict) != isinstance(message, dict):
                    wrong.append(f"{name}/{lang}/{key}: plural in one language only")
                elif isinstance(message, dict):
                    need = {"other"} | (set(english) & categories - {"count"})
                    if not need <= set(message) or message.get("count") != english.get("count"):
                        wrong.append(f"{name}/{lang}/{key}: plural forms {sorted(need)}")
    assert not wrong, "\n".join(wrong)


def test_no_key_is_in_two_tables(exported: dict[str, Any]) -> None:
    seen: dict[str, str] = {}
    twice = []
    for name, langs in exported["tables"].items():
        for key in langs["en"]:
            if key in seen:
                twice.append(f"{key}: {seen[key]} and {name}")
            seen[key] = name
    assert not twice, twice


def test_no_translation_is_left_in_english_unless_meant(exported: dict[str, Any]) -> None:
    untranslated = []
    for name, langs in exported["tables"].items():
        for lang, words in langs.items():
            if lang == "en":
                continue
            meant = SAME.get(lang, {}).get(name, set())
            for key, message in words.items():
                same = forms(message) == forms(langs["en"].get(key, ""))
                if same and key not in meant:
                    untranslated.append(f"{name}/{lang}/{key}: {message!r}")
                if not same and key in meant:
                    untranslated.append(f"{name}/{lang}/{key} is listed as the same: unlist it")
    assert not untranslated, "\n".join(untranslated)


# Codes a daily space never shows a person: a seat the socket does not have, the server's
# own ticks (answered by the server to itself), a seat-taken invite (the rejoin screen).
DAILY_INTERNAL = {"daily/not_seated", "daily/not_system", "daily/nothing_due"}


def test_every_refusal_of_a_daily_space_has_words_in_every_language(
    exported: dict[str, Any],
) -> None:
    """The daily socket's refusals (the engine's DailyCode, push, a tonight room's first
    card) read in the page's language, never the server's English (issue 24)."""
    from game.daily import DailyCode
    from server.errors import ErrorCode

    codes = {c.value for c in DailyCode} - DAILY_INTERNAL
    codes |= {ErrorCode.PUSH_OFF.value, ErrorCode.PUSH_INVALID.value, "lobby/unknown_card"}
    for lang in ("en", "de", "es"):
        known: set[str] = set()
        for table in exported["tables"].values():
            known |= set(table.get(lang) or {})
        missing = sorted(codes - known)
        assert not missing, f"no {lang} words for {missing}"


# Codes the couple page answers with a screen of its own, or that are a client's bug
# (protocol/*), or the server's own ticks; party/* codes have the party page's table.
COUPLE_OWN_SCREENS = {"join/failed", "join/seat_taken", "tick/nothing_due"}


def test_every_refusal_the_couple_page_can_meet_has_words_in_every_language(
    exported: dict[str, Any],
) -> None:
    """The server's and the live engine's error codes read in the page's language on the
    couple page (its tables: core, errors, couple), never the server's English (issue 24)."""
    from game.errors import ErrorCode as GameCode
    from server.errors import ErrorCode

    codes = {c.value for c in ErrorCode} | {c.value for c in GameCode}
    codes = {c for c in codes if not c.startswith(("protocol/", "party/", "push/"))}
    codes -= COUPLE_OWN_SCREENS
    tables = exported["tables"]
    for lang in ("en", "de", "es"):
        known: set[str] = set()
        for name in ("core", "errors", "couple"):
            known |= set(tables[name].get(lang) or {})
        missing = sorted(codes - known)
        assert not missing, f"no {lang} words for {missing}"
