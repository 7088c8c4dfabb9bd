"""Each lint rule issue 15 added, with a case it flags and a case it leaves alone: two
questions on a card, the both/reveal share past the first level, touch actions without the
touch tag, over-tagging and the closing card (the topic rules on cards and follow-ups are
measured in test_sensitivity_measured and test_deck_boundaries)."""

from __future__ import annotations

from typing import Any

import pytest
from deck_support import declare_language, load_data

from decks.report import lint_report

CARD_L2, CARD_L3, CARD_D1, CLOSING = 1, 2, 3, 6  # positions in samples/valid.json


def warnings(data: dict[str, Any]) -> list[tuple[str, str]]:
    report = lint_report(load_data(data))
    return [(w.code, w.pointer) for w in report.warnings]


def set_text(data: dict[str, Any], index: int, language: str, text: str) -> None:
    declare_language(data, language)
    data["cards"][index]["text"][language] = text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "What did you eat today? Who cooked it?"),
        ("en", "Which film did you see last, and what stayed with you?"),
        ("de", "Was hast du heute gegessen? Wer hat gekocht?"),
        ("de", "Welcher Film hat dich bewegt, und was ist geblieben?"),
        ("es", "¿Qué comiste hoy? ¿Quién lo cocinó?"),
        ("es", "¿Qué película viste la última vez, y qué se te quedó?"),
    ],
)
def test_a_card_with_two_questions_is_flagged(
    sample: dict[str, Any], language: str, text: str
) -> None:
    set_text(sample, CARD_L2, language, text)
    assert warnings(sample) == [("lint/two_questions", f"/cards/1/text/{language}")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Which film moved you most, and why?"),
        ("de", "Welcher Film hat dich bewegt, und warum?"),
        ("es", "¿Qué película te conmovió más, y por qué?"),
    ],
)
def test_and_why_asks_about_the_same_answer_and_is_one_question(
    sample: dict[str, Any], language: str, text: str
) -> None:
    set_text(sample, CARD_L2, language, text)
    assert warnings(sample) == []


def test_a_level_past_the_first_under_a_quarter_both_or_reveal_is_flagged(
    sample: dict[str, Any],
) -> None:
    sample["cards"][CARD_D1]["mode"] = "one"  # deep: 0 of 3 answered by both
    assert warnings(sample) == [("lint/low_reciprocity", "/levels/1")]


def test_a_quarter_both_or_reveal_is_enough(sample: dict[str, Any]) -> None:
    extra = {
        "id": "d4",
        "level": "deep",
        "kind": "question",
        "mode": "one",
        "text": {
            "en": "Which habit of yours took longest to form?",
            "de": "Welche deiner Gewohnheiten hat am längsten gebraucht?",
        },
    }
    sample["cards"].insert(CLOSING, extra)  # deep: 1 (the reveal card) of 4
    assert warnings(sample) == []


def test_the_first_level_may_be_answered_by_one(sample: dict[str, Any]) -> None:
    sample["cards"][CARD_L2]["mode"] = "one"
    sample["cards"][CARD_L3].update(kind="question", mode="one")
    set_text(sample, CARD_L3, "en", "Which tune do you hum without noticing?")
    set_text(sample, CARD_L3, "de", "Welche Melodie summst du, ohne es zu merken?")
    assert warnings(sample) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Hold your partner's hands for one quiet minute."),
        ("en", "Sit face to face and say one kind thing each."),
        ("de", "Halte eine stille Minute lang die Hände deines Gegenübers."),
        ("de", "Setzt euch gegenüber und sagt einander etwas Freundliches."),
    ],
)
def test_a_touch_action_without_the_touch_tag_is_flagged_and_the_tag_quiets_it(
    sample: dict[str, Any], language: str, text: str
) -> None:
    set_text(sample, CARD_L3, language, text)
    assert warnings(sample) == [("lint/touch_action_untagged", f"/cards/2/text/{language}")]
    sample["cards"][CARD_L3]["tags"] = ["touch"]
    assert warnings(sample) == []


def test_more_than_three_topics_on_a_card_is_flagged(sample: dict[str, Any]) -> None:
    sample["cards"][CARD_L2]["tags"] = ["family", "money", "work"]
    assert warnings(sample) == []
    sample["cards"][CARD_L2]["tags"].append("past")
    assert warnings(sample) == [("lint/too_many_topics", "/cards/1/tags")]


def test_a_closing_card_that_touches_a_sensitive_topic_is_flagged(sample: dict[str, Any]) -> None:
    set_text(sample, CLOSING, "en", "Name one thing about your family you are grateful for.")
    assert warnings(sample) == [("lint/closing_touches_topic", "/cards/6/text/en")]
