"""One test per validator rule (docs/deck-format.md), each with its passing counterpart."""

from __future__ import annotations

from typing import Any

from deck_support import codes, load_data


def test_sample_deck_breaks_no_rule(sample: dict[str, Any]) -> None:
    assert load_data(sample).errors == []


def test_card_ids_must_be_unique(sample: dict[str, Any]) -> None:
    sample["cards"][4]["id"] = "d1"
    assert codes(load_data(sample)) == [("card/duplicate_id", "/cards/4/id")]


def test_level_ids_must_be_unique(sample: dict[str, Any]) -> None:
    sample["levels"].append(dict(sample["levels"][1]))
    assert ("level/duplicate_id", "/levels/2/id") in codes(load_data(sample))


def test_tag_ids_must_be_unique(sample: dict[str, Any]) -> None:
    sample["tags"].append(dict(sample["tags"][0]))
    assert codes(load_data(sample)) == [("tag/duplicate_id", "/tags/1/id")]


def test_card_level_must_exist(sample: dict[str, Any]) -> None:
    sample["cards"].append(dict(sample["cards"][0], id="x", level="middle", tags=[]))
    assert codes(load_data(sample)) == [("card/unknown_level", "/cards/7/level")]


def test_card_tags_must_exist(sample: dict[str, Any]) -> None:
    sample["cards"][0]["tags"] = ["past", "pets"]
    assert codes(load_data(sample)) == [("card/unknown_tag", "/cards/0/tags/1")]


def test_cards_other_than_closing_need_a_level(sample: dict[str, Any]) -> None:
    del sample["cards"][0]["level"]
    result = load_data(sample)
    assert [(p.code, p.message, p.pointer) for p in result.errors] == [
        ("schema/missing_field", "missing required field 'level'", "/cards/0")
    ]


def test_default_language_must_be_listed(sample: dict[str, Any]) -> None:
    sample["languages"] = ["de"]
    assert ("deck/default_language_not_listed", "/default_language") in codes(load_data(sample))


def test_each_level_needs_three_dealable_cards(sample: dict[str, Any]) -> None:
    sample["cards"][5]["level"] = "light"
    assert codes(load_data(sample)) == [("level/too_few_cards", "/levels/1")]


def test_closing_card_does_not_count_towards_a_level(sample: dict[str, Any]) -> None:
    del sample["cards"][5]
    sample["cards"][5]["level"] = "deep"  # the closing card, now (illegally) in a level
    found = codes(load_data(sample))
    assert ("level/too_few_cards", "/levels/1") in found


def test_level_needs_at_least_its_min_cards(sample: dict[str, Any]) -> None:
    sample["levels"][1]["min_cards"] = 4
    assert codes(load_data(sample)) == [("level/min_cards_unreachable", "/levels/1/min_cards")]
    sample["levels"][1]["min_cards"] = 3
    assert codes(load_data(sample)) == []


def test_deck_has_at_most_one_closing_card(sample: dict[str, Any]) -> None:
    sample["cards"].append(dict(sample["cards"][6], id="end2"))
    assert codes(load_data(sample)) == [("card/second_closing", "/cards/7")]


def test_deck_may_have_no_closing_card(sample: dict[str, Any]) -> None:
    del sample["cards"][6]
    result = load_data(sample)
    assert result.deck is not None and result.deck.closing is None


def test_closing_card_has_no_level(sample: dict[str, Any]) -> None:
    sample["cards"][6]["level"] = "light"
    assert codes(load_data(sample)) == [("card/closing_has_level", "/cards/6/level")]


def test_closing_card_has_no_tags(sample: dict[str, Any]) -> None:
    sample["cards"][6]["tags"] = ["past"]
    assert codes(load_data(sample)) == [("card/closing_has_tags", "/cards/6/tags")]
    sample["cards"][6]["tags"] = []
    assert codes(load_data(sample)) == []


def test_card_text_is_at_most_300_characters(sample: dict[str, Any]) -> None:
    sample["cards"][0]["text"]["en"] = "a" * 300
    assert codes(load_data(sample)) == []
    sample["cards"][0]["text"]["en"] = "a" * 301
    assert codes(load_data(sample)) == [("text/too_long", "/cards/0/text/en")]


def test_every_localised_field_has_its_own_limit(sample: dict[str, Any]) -> None:
    sample["title"]["en"] = "t" * 81
    sample["levels"][0]["name"]["de"] = "n" * 41
    sample["tags"][0]["label"]["en"] = "l" * 41
    sample["cards"][3]["follow_ups"][0]["en"] = "f" * 201
    assert codes(load_data(sample)) == [
        ("text/too_long", "/title/en"),
        ("text/too_long", "/levels/0/name/de"),
        ("text/too_long", "/tags/0/label/en"),
        ("text/too_long", "/cards/3/follow_ups/0/en"),
    ]


def test_text_must_not_be_empty(sample: dict[str, Any]) -> None:
    sample["cards"][0]["text"]["en"] = ""
    assert codes(load_data(sample)) == [("schema/too_short", "/cards/0/text/en")]


def test_text_has_no_control_characters(sample: dict[str, Any]) -> None:
    sample["cards"][0]["text"]["de"] = "Zeile eins\nZeile zwei"
    assert codes(load_data(sample)) == [("text/control_character", "/cards/0/text/de")]


def test_text_in_an_unlisted_language_is_an_error(sample: dict[str, Any]) -> None:
    sample["levels"][0]["name"]["it"] = "Leggero"
    assert codes(load_data(sample)) == [("text/unknown_language", "/levels/0/name/it")]


def test_text_missing_the_default_language_is_an_error(sample: dict[str, Any]) -> None:
    del sample["tags"][0]["label"]["en"]
    assert codes(load_data(sample)) == [("text/missing_default_language", "/tags/0/label")]


def test_missing_translation_is_only_a_warning(sample: dict[str, Any]) -> None:
    del sample["cards"][2]["text"]["de"]
    result = load_data(sample)
    assert result.errors == [] and result.deck is not None
    assert [(p.code, p.message, p.pointer, p.severity) for p in result.warnings] == [
        ("text/missing_translation", "no translation for 'de'", "/cards/2/text", "warning")
    ]


def test_language_code_keys_must_look_like_language_codes(sample: dict[str, Any]) -> None:
    sample["cards"][0]["text"]["English"] = "Hello"
    assert ("schema/bad_format", "/cards/0/text/English") in codes(load_data(sample))


def test_problems_come_in_file_order(sample: dict[str, Any]) -> None:
    sample["cards"][5]["tags"] = ["nope"]
    sample["cards"][1]["tags"] = ["nope"]
    lines = [p.line for p in load_data(sample).errors]
    assert len(lines) == 2 and lines == sorted(lines)
