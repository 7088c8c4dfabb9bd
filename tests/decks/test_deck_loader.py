"""The loader builds exactly the engine's Deck, and refuses hostile files early."""

from __future__ import annotations

import json
from typing import Any

import pytest
from deck_support import SAMPLE, load_data

from decks import loader
from decks.jsonscan import MAX_CARDS, MAX_DEPTH
from decks.loader import MAX_BYTES, load_deck
from game.deck import Card, CardKind, CardMode, FollowUp


def test_valid_deck_loads_without_problems() -> None:
    result = load_deck(SAMPLE.read_bytes(), source="valid.json")
    assert result.errors == [] and result.warnings == []
    assert result.deck is not None and result.ok
    assert result.source == "valid.json"


def test_card_level_is_the_index_of_its_level(sample: dict[str, Any]) -> None:
    deck = load_data(sample).deck
    assert deck is not None
    assert [card.level for card in deck.cards] == [0, 0, 0, 1, 1, 1]


def test_closing_card_is_kept_apart_from_the_dealable_cards(sample: dict[str, Any]) -> None:
    deck = load_data(sample).deck
    assert deck is not None
    assert deck.closing == Card(
        id="end",
        level=None,
        kind=CardKind.CLOSING,
        mode=CardMode.BOTH,
        text={
            "en": "Name something you enjoyed about tonight.",
            "de": "Nenne etwas, das dir heute Abend gefallen hat.",
        },
    )
    assert "end" not in [card.id for card in deck.cards]
    assert deck.card("end") is deck.closing


def test_card_tags_and_follow_ups_have_the_engine_types(sample: dict[str, Any]) -> None:
    deck = load_data(sample).deck
    assert deck is not None
    assert deck.card("l1").tags == frozenset({"past"})
    follow_ups = deck.card("d1").follow_ups
    assert isinstance(follow_ups, tuple)
    assert follow_ups == (
        FollowUp(
            {"en": "When did you first notice it?", "de": "Wann hast du es zum ersten Mal bemerkt?"}
        ),
    )
    assert deck.card("l2").tags == frozenset() and deck.card("l2").follow_ups == ()


def test_deck_fields_are_copied_from_the_file(sample: dict[str, Any]) -> None:
    deck = load_data(sample).deck
    assert deck is not None
    assert (deck.id, deck.version, deck.license, deck.age_rating) == (
        "sample",
        "1.0.0",
        "CC0-1.0",
        "all",
    )
    assert deck.languages == ("en", "de") and deck.authors == ("Closeknit tests",)
    assert [level.id for level in deck.levels] == ["light", "deep"]
    assert deck.levels[0].min_cards == 2 and deck.levels[1].min_cards == 0
    assert [tag.id for tag in deck.tags] == ["past"]


def test_text_is_normalised_to_nfc(sample: dict[str, Any]) -> None:
    sample["cards"][0]["text"]["de"] = "Was macht dich glu\u0308cklich?"
    deck = load_data(sample).deck
    assert deck is not None
    assert deck.card("l1").text["de"] == "Was macht dich gl\u00fccklich?"


def test_text_length_is_counted_after_nfc(sample: dict[str, Any]) -> None:
    # 300 characters once composed, 400 code points as written.
    sample["cards"][0]["text"]["en"] = "u\u0308" * 100 + "x" * 200
    assert load_data(sample).errors == []
    sample["cards"][0]["text"]["en"] = "u\u0308" * 101 + "x" * 200
    assert [p.code for p in load_data(sample).errors] == ["text/too_long"]


def test_string_input_is_accepted(sample: dict[str, Any]) -> None:
    assert load_deck(json.dumps(sample)).deck is not None


def test_byte_order_mark_is_ignored() -> None:
    assert load_deck(b"\xef\xbb\xbf" + SAMPLE.read_bytes()).deck is not None


def test_string_with_unpaired_surrogate_is_refused() -> None:
    result = load_deck('{"id": "\ud800"}')
    assert [p.code for p in result.errors] == ["file/not_utf8"]


def test_file_over_one_mebibyte_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_scanning(*args: object, **kwargs: object) -> None:
        raise AssertionError("an oversized file must not be scanned")

    monkeypatch.setattr(loader, "scan", no_scanning)
    data = b"[" + b" " * MAX_BYTES + b"]"
    result = load_deck(data)
    assert [(p.code, p.message) for p in result.errors] == [
        ("file/too_large", f"file is {MAX_BYTES + 2} bytes; the limit is 1048576 bytes (1 MiB)")
    ]


def test_file_of_exactly_one_mebibyte_is_parsed() -> None:
    data = b"[" + b" " * (MAX_BYTES - 2) + b"]"
    assert [p.code for p in load_deck(data).errors] == ["schema/wrong_type"]


def test_more_than_two_thousand_cards_are_refused_while_scanning(sample: dict[str, Any]) -> None:
    card = sample["cards"][0]
    sample["cards"] = [dict(card, id=f"c{i}") for i in range(MAX_CARDS + 1)]
    result = load_data(sample)
    assert [(p.code, p.message, p.pointer) for p in result.errors] == [
        ("deck/too_many_cards", "a deck has at most 2000 cards", f"/cards/{MAX_CARDS}")
    ]


def test_two_thousand_cards_are_allowed(sample: dict[str, Any]) -> None:
    card = sample["cards"][3]
    sample["cards"] += [dict(card, id=f"c{i}") for i in range(MAX_CARDS - len(sample["cards"]))]
    result = load_data(sample)
    assert result.errors == [] and result.deck is not None
    assert len(result.deck.cards) == MAX_CARDS - 1


def test_nesting_at_the_depth_limit_is_parsed_and_one_deeper_is_refused() -> None:
    at_limit = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert [p.code for p in load_deck(at_limit).errors] == ["schema/wrong_type"]
    too_deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert [p.code for p in load_deck(too_deep).errors] == ["json/too_deep"]


def test_very_deep_nesting_does_not_recurse() -> None:
    assert [p.code for p in load_deck("[" * 500_000).errors] == ["json/too_deep"]


def test_long_unterminated_string_is_refused_as_such() -> None:
    result = load_deck('{"id": "' + "\\u00e9a" * 100_000)
    assert [(p.code, p.message) for p in result.errors] == [("json/syntax", "unterminated string")]


def test_syntax_error_position_is_line_and_column() -> None:
    result = load_deck('{\n  "id": "x",\n  "version": 1.0.0\n}')
    assert [(p.code, p.line, p.column) for p in result.errors] == [("json/syntax", 3, 17)]


def test_columns_count_characters_not_bytes() -> None:
    result = load_deck('{"title": "Näher", "bogus": true}')
    problem = next(p for p in result.errors if p.code == "schema/unknown_field")
    assert (problem.pointer, problem.line, problem.column) == ("/bogus", 1, 20)


def test_huge_integer_is_a_syntax_error_not_a_crash() -> None:
    assert [p.code for p in load_deck("9" * 5000).errors] == ["json/syntax"]


def test_pointer_escapes_slash_and_tilde(sample: dict[str, Any]) -> None:
    sample["a/b~c"] = 1
    assert ("schema/unknown_field", "/a~1b~0c") in [
        (p.code, p.pointer) for p in load_data(sample).errors
    ]


def test_min_cards_written_as_a_whole_float_becomes_an_int(sample: dict[str, Any]) -> None:
    sample["levels"][0]["min_cards"] = 2.0
    deck = load_data(sample).deck
    assert deck is not None
    assert type(deck.levels[0].min_cards) is int and deck.levels[0].min_cards == 2
