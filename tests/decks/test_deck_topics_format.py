"""The deck format's new fields: tagged follow-ups, intensity, bands, habits, silences;
the validator's messages for them (with line and column) and `deck lint`'s listing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from deck_support import load_data

from decks.loader import LoadResult
from decks.report import lint_report
from decks.vocabulary import Vocabulary, parse_vocabulary, vocabulary
from game.deck import FollowUp
from server.cli import main

TOPICS = Path(__file__).parents[2] / "decks" / "topics.json"


def _line_of(result: LoadResult, needle: str, nth: int = 0) -> int:
    """The 1-based line where ``needle`` occurs (its ``nth`` occurrence) in the file as
    ``load_data`` wrote it, found by reading the text, not by the loader."""
    text = json.dumps(result.scanned.value if result.scanned else {}, indent=2, ensure_ascii=False)
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[nth]


def problems(result: LoadResult) -> list[tuple[str, str, int, int]]:
    return [(p.code, p.pointer, p.line, p.column) for p in result.errors]


def test_a_follow_up_may_be_plain_text_or_text_with_tags(sample: dict[str, Any]) -> None:
    sample["cards"][3]["follow_ups"].append({"text": {"en": "Who was there?"}, "tags": ["family"]})
    deck = load_data(sample).deck
    assert deck is not None
    assert deck.card("d1").follow_ups[1] == FollowUp(
        {"en": "Who was there?"}, frozenset({"family"})
    )
    assert "family" in [t.id for t in deck.tags]  # a vocabulary topic only a follow-up uses


def test_a_follow_ups_unknown_tag_is_an_error_at_its_line(sample: dict[str, Any]) -> None:
    sample["cards"][3]["follow_ups"] = [{"text": {"en": "Who?"}, "tags": ["pets"]}]
    result = load_data(sample)
    assert problems(result) == [
        ("follow_up/unknown_tag", "/cards/3/follow_ups/0/tags/0", _line_of(result, '"pets"'), 13)
    ]
    assert "unknown topic 'pets'" in result.errors[0].message


def test_a_tagged_follow_up_with_an_unknown_field_is_a_schema_error(
    sample: dict[str, Any],
) -> None:
    sample["cards"][3]["follow_ups"] = [{"text": {"en": "Who?"}, "topics": ["family"]}]
    result = load_data(sample)
    line = _line_of(result, '"topics"')
    assert problems(result) == [("schema/unknown_field", "/cards/3/follow_ups/0/topics", line, 11)]


def test_intensity_out_of_range_is_an_error_at_its_line(sample: dict[str, Any]) -> None:
    sample["cards"][0]["intensity"] = 12
    result = load_data(sample)
    assert problems(result) == [
        ("schema/out_of_range", "/cards/0/intensity", _line_of(result, '"intensity"'), 7)
    ]
    assert result.errors[0].message == "12 must be at most 9"


def test_band_width_must_be_an_integer(sample: dict[str, Any]) -> None:
    sample["levels"][0]["band_width"] = "wide"
    result = load_data(sample)
    assert problems(result) == [
        ("schema/wrong_type", "/levels/0/band_width", _line_of(result, '"band_width"'), 7)
    ]


def test_a_silence_needs_a_known_rule_and_a_reason(sample: dict[str, Any]) -> None:
    sample["cards"][0]["silence"] = [{"rule": "be_quiet", "reason": "Because it is fine here."}]
    result = load_data(sample)
    assert problems(result) == [
        ("silence/unknown_rule", "/cards/0/silence/0/rule", _line_of(result, '"be_quiet"'), 11)
    ]
    sample["cards"][0]["silence"] = [{"rule": "two_questions", "reason": "ok"}]
    assert [(p.code, p.pointer) for p in load_data(sample).errors] == [
        ("schema/too_short", "/cards/0/silence/0/reason")
    ]


def test_a_vocabulary_id_in_the_decks_own_tags_is_a_warning(sample: dict[str, Any]) -> None:
    sample["tags"].append({"id": "money", "label": {"en": "Cash", "de": "Bargeld"}})
    result = load_data(sample)
    assert result.deck is not None
    assert [(p.code, p.pointer) for p in result.warnings] == [("tag/in_vocabulary", "/tags/1")]
    assert all(t.id != "money" for t in result.deck.tags)  # unused, so not offered


def test_a_silence_covers_only_its_rule_and_is_listed(sample: dict[str, Any]) -> None:
    sample["cards"][1]["text"]["en"] = "Which film did you see last, and what stayed with you?"
    reason = "Kept as one card on purpose for this test of silences."
    sample["cards"][1]["silence"] = [{"rule": "two_questions", "reason": reason}]
    report = lint_report(load_data(sample))
    assert report.warnings == []
    [(silence, hits)] = report.silences
    assert silence.reason == reason and [h.code for h in hits] == ["lint/two_questions"]
    sample["cards"][1]["text"]["en"] = "Which film did you see last?"
    assert [w.code for w in lint_report(load_data(sample)).warnings] == ["lint/unused_silence"]


def test_a_topic_silence_leaves_other_topics_flagged(sample: dict[str, Any]) -> None:
    sample["cards"][1]["text"]["en"] = "How did your mother talk about money?"
    reason = "A test: family is silenced, money is not."
    sample["cards"][1]["silence"] = [
        {"rule": "untagged_topic", "topic": "family", "reason": reason}
    ]
    report = lint_report(load_data(sample))
    assert [(w.code, w.topic) for w in report.warnings] == [("lint/untagged_topic", "money")]


def test_deck_lint_lists_every_silence_with_its_reason(
    sample: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample["cards"][1]["text"]["en"] = "Which film did you see last, and what stayed with you?"
    reason = "Kept as one card on purpose for this test of silences."
    sample["cards"][1]["silence"] = [{"rule": "two_questions", "reason": reason}]
    path = tmp_path / "deck.json"
    path.write_text(json.dumps(sample, indent=2, ensure_ascii=False), encoding="utf-8")
    assert main(["deck", "lint", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"/cards/1/silence/0: silenced: 1 warning(s): two_questions: {reason}" in out
    assert out.endswith("no warnings (1 silenced with reasons, listed above)\n")


def test_deck_stats_counts_habits_and_both_share(
    sample: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample["cards"][0]["habit"] = "listening"
    path = tmp_path / "deck.json"
    path.write_text(json.dumps(sample), encoding="utf-8")
    assert main(["deck", "stats", "--json", str(path)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["habits"]["listening"] == 1 and stats["both_or_reveal"]["light"] == "67%"


def test_a_topic_on_a_silence_of_a_rule_about_no_topic_is_an_error_at_its_line(
    sample: dict[str, Any],
) -> None:
    reason = "Because it is fine here."
    sample["cards"][0]["silence"] = [{"rule": "two_questions", "topic": "family", "reason": reason}]
    result = load_data(sample)
    line = _line_of(result, '"topic"')
    assert problems(result) == [("silence/topic_not_allowed", "/cards/0/silence/0/topic", line, 11)]


def test_a_silence_for_an_unknown_topic_is_an_error_at_its_line(sample: dict[str, Any]) -> None:
    reason = "Because it is fine here."
    sample["cards"][0]["silence"] = [{"rule": "untagged_topic", "topic": "pets", "reason": reason}]
    result = load_data(sample)
    line = _line_of(result, '"pets"')
    assert problems(result) == [("silence/unknown_topic", "/cards/0/silence/0/topic", line, 11)]
    assert "unknown topic 'pets'" in result.errors[0].message


def test_the_same_rule_silenced_twice_on_a_card_is_an_error_at_the_second(
    sample: dict[str, Any],
) -> None:
    silence = {"rule": "two_questions", "reason": "Because it is fine here."}
    sample["cards"][0]["silence"] = [silence, dict(silence)]
    result = load_data(sample)
    line = _line_of(result, '"two_questions"', nth=1) - 1  # the item's opening brace
    assert problems(result) == [("silence/duplicate", "/cards/0/silence/1", line, 9)]


def test_an_unknown_habit_is_an_error_at_its_line(sample: dict[str, Any]) -> None:
    sample["cards"][0]["habit"] = "bravery"
    result = load_data(sample)
    assert problems(result) == [
        ("schema/not_allowed", "/cards/0/habit", _line_of(result, '"bravery"'), 7)
    ]


def test_a_used_topic_without_a_label_in_a_deck_language_is_a_warning(
    sample: dict[str, Any],
) -> None:
    sample["languages"].append("fr")
    sample["cards"][1]["tags"] = ["family"]
    result = load_data(sample)
    assert result.deck is not None
    [warning] = [p for p in result.warnings if p.code == "tag/missing_label"]
    assert (warning.pointer, warning.line, warning.column) == (
        "/languages",
        _line_of(result, '"languages"'),
        3,
    )
    assert "'family' has no label in 'fr'" in warning.message


def test_deck_lint_json_lists_every_silence_with_what_it_silenced(
    sample: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample["cards"][1]["text"]["en"] = "How did your mother talk about money?"
    reason = "A test: family is silenced, money is not."
    sample["cards"][1]["silence"] = [
        {"rule": "untagged_topic", "topic": "family", "reason": reason}
    ]
    path = tmp_path / "deck.json"
    path.write_text(json.dumps(sample, indent=2, ensure_ascii=False), encoding="utf-8")
    assert main(["deck", "lint", "--json", str(path)]) == 0
    [report] = json.loads(capsys.readouterr().out)["files"]
    assert report["silences"] == [
        {
            "pointer": "/cards/1/silence/0",
            "rule": "untagged_topic",
            "topic": "family",
            "reason": reason,
            "silenced": 1,
        }
    ]
    assert [(w["code"], w["pointer"]) for w in report["warnings"]] == [
        ("lint/untagged_topic", "/cards/1/text/en")
    ]


def vocabulary_gaps(words: Vocabulary) -> list[str]:
    """What a topic lacks in a language the vocabulary declares: a label, a cue entry, or
    (for a sensitive topic) strong cues; and any label or cues in an undeclared language."""
    declared = set(words.languages)
    gaps = []
    for topic in words.topics:
        for language in sorted(declared):
            if not topic.label.get(language, "").strip():
                gaps.append(f"{topic.id}: no label in {language!r}")
            cues = topic.cues.get(language)
            if cues is None:
                gaps.append(f"{topic.id}: no cues in {language!r}")
            elif topic.sensitive and cues.strong is None:
                gaps.append(f"{topic.id}: no strong cues in {language!r}")
        for language in sorted((set(topic.label) | set(topic.cues)) - declared):
            gaps.append(f"{topic.id}: {language!r} is not a declared language")
    return gaps


def test_every_topic_has_a_label_and_cues_in_every_declared_language() -> None:
    words = vocabulary()
    assert {"en", "de", "es"} <= set(words.languages)
    assert vocabulary_gaps(words) == []


def test_a_topic_missing_a_declared_language_is_a_gap() -> None:
    data = json.loads(TOPICS.read_text(encoding="utf-8"))
    family = next(t for t in data["topics"] if t["id"] == "family")
    money = next(t for t in data["topics"] if t["id"] == "money")
    future = next(t for t in data["topics"] if t["id"] == "future")
    del family["label"]["es"]
    money["cues"]["es"]["strong"] = []
    del future["cues"]["es"]
    future["label"]["fr"] = "Avenir"
    assert vocabulary_gaps(parse_vocabulary(json.dumps(data))) == [
        "family: no label in 'es'",
        "money: no strong cues in 'es'",
        "future: no cues in 'es'",
        "future: 'fr' is not a declared language",
    ]
