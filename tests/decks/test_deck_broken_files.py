"""Every file in broken/ fails with exactly the expected problem, at the expected place."""

from __future__ import annotations

import pytest
from deck_support import BROKEN

from decks.loader import load_deck

# file -> (code, message, pointer, line, column); line/column written down by reading
# the files, not by running the loader.
EXPECTED: dict[str, tuple[str, str, str, int, int]] = {
    "duplicate-card-id.json": (
        "card/duplicate_id",
        "card id 'l1' is already used by /cards/0",
        "/cards/2/id",
        82,
        7,
    ),
    "duplicate-level-id.json": (
        "level/duplicate_id",
        "level id 'light' is already used by /levels/0",
        "/levels/1/id",
        37,
        7,
    ),
    "duplicate-tag-id.json": (
        "tag/duplicate_id",
        "tag id 'past' is already used by /tags/0",
        "/tags/1/id",
        57,
        7,
    ),
    "unknown-level.json": (
        "card/unknown_level",
        "unknown level 'medium'",
        "/cards/6/level",
        129,
        7,
    ),
    "unknown-tag.json": (
        "card/unknown_tag",
        "unknown topic 'childhood': not in the shared vocabulary (decks/topics.json) "
        "nor in this deck's tags",
        "/cards/0/tags/0",
        68,
        9,
    ),
    "two-closing-cards.json": (
        "card/second_closing",
        "a deck has at most one closing card; the first is /cards/6",
        "/cards/7",
        136,
        5,
    ),
    "closing-card-with-level.json": (
        "card/closing_has_level",
        "the closing card has no level",
        "/cards/6/level",
        135,
        7,
    ),
    "closing-card-with-tags.json": (
        "card/closing_has_tags",
        "the closing card has no tags",
        "/cards/6/tags",
        135,
        7,
    ),
    "text-too-long.json": (
        "text/too_long",
        "text is 341 characters long; the limit is 300",
        "/cards/1/text/de",
        78,
        9,
    ),
    "missing-default-language.json": (
        "text/missing_default_language",
        "missing the default language 'en'",
        "/cards/3/text",
        96,
        7,
    ),
    "unknown-language-in-text.json": (
        "text/unknown_language",
        "language 'fr' is not listed in languages",
        "/cards/4/text/fr",
        115,
        9,
    ),
    "control-character.json": (
        "text/control_character",
        "text contains the control character U+0009",
        "/cards/2/text/en",
        87,
        9,
    ),
    "too-few-cards-in-level.json": (
        "level/too_few_cards",
        "level 'deep' has 2 cards; at least 3 are needed",
        "/levels/1",
        36,
        5,
    ),
    "min-cards-unreachable.json": (
        "level/min_cards_unreachable",
        "level 'light' asks for 5 completed cards but has only 3",
        "/levels/0/min_cards",
        34,
        7,
    ),
    "default-language-not-listed.json": (
        "deck/default_language_not_listed",
        "default language 'fr' is not in languages",
        "/default_language",
        13,
        3,
    ),
    "bad-id-pattern.json": (
        "schema/bad_format",
        "'Sample Deck' is not a valid identifier: use lowercase letters, digits, '.', '_' "
        "and '-', starting with a letter or digit, at most 64 characters",
        "/id",
        3,
        3,
    ),
    "bad-version.json": (
        "schema/bad_format",
        "'1.0' is not a valid version: use MAJOR.MINOR.PATCH, e.g. 1.0.0",
        "/version",
        4,
        3,
    ),
    "wrong-type.json": (
        "schema/wrong_type",
        "expected integer, found string",
        "/levels/0/min_cards",
        34,
        7,
    ),
    "unknown-field.json": (
        "schema/unknown_field",
        "unknown field 'colour'",
        "/cards/0/colour",
        70,
        7,
    ),
    "missing-field.json": ("schema/missing_field", "missing required field 'license'", "", 1, 1),
    "unknown-kind.json": (
        "schema/not_allowed",
        "'quiz' is not one of 'question', 'action', 'appreciation', 'closing'",
        "/cards/3/kind",
        94,
        7,
    ),
    "repeated-card-tag.json": (
        "schema/duplicate_item",
        "'past' is listed twice",
        "/cards/0/tags/1",
        69,
        9,
    ),
    "not-an-object.json": ("schema/wrong_type", "expected object, found array", "", 1, 1),
    "duplicate-json-key.json": (
        "json/duplicate_key",
        "duplicate key 'id' (first at line 3, column 3)",
        "/id",
        5,
        3,
    ),
    "trailing-comma.json": (
        "json/syntax",
        "expected a property name in double quotes, found ','",
        "",
        21,
        24,
    ),
    "too-deep.json": (
        "json/too_deep",
        "nested deeper than 20 levels",
        "/authors" + "/0" * 19,
        18,
        33,
    ),
    "invalid-utf8.bin": (
        "file/not_utf8",
        "not valid UTF-8: byte 0xff at offset 134",
        "",
        7,
        17,
    ),
}


def test_broken_folder_holds_at_least_fifteen_distinct_faults() -> None:
    files = {path.name for path in BROKEN.iterdir()}
    assert files == set(EXPECTED)
    assert len({code for code, *_ in EXPECTED.values()}) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_deck_fails_with_expected_problem_and_place(name: str) -> None:
    result = load_deck((BROKEN / name).read_bytes(), source=name)
    assert result.deck is None
    found = [(p.code, p.message, p.pointer, p.line, p.column) for p in result.errors]
    assert found == [EXPECTED[name]]
