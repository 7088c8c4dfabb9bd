"""The linter warns deck designers; each warning kind with a positive and a negative case."""

from __future__ import annotations

from typing import Any

import pytest
from deck_support import declare_language, load_data

from decks.lint import jaccard, lint_deck, words
from decks.problems import Problem


def lint(data: dict[str, Any]) -> list[Problem]:
    result = load_data(data)
    assert result.deck is not None, result.errors
    return lint_deck(result.deck, card_pointers=result.card_pointers)


def found(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.code, p.pointer) for p in lint(data)]


def set_text(data: dict[str, Any], index: int, language: str, text: str) -> None:
    declare_language(data, language)
    data["cards"][index]["text"][language] = text


def test_sample_deck_lints_clean(sample: dict[str, Any]) -> None:
    assert lint(sample) == []


def test_lint_findings_are_warnings(sample: dict[str, Any]) -> None:
    set_text(sample, 1, "en", "What does your wife cook best?")
    assert [p.severity for p in lint(sample)] == ["warning"]


@pytest.mark.parametrize(
    ("language", "text", "code"),
    [
        ("en", "What would your husband say about this?", "lint/assumes_gender"),
        ("en", "When did she last make you laugh?", "lint/assumes_gender"),
        ("en", "Where do you think he's happiest?", "lint/assumes_gender"),
        ("de", "Was würde dein Freund dazu sagen?", "lint/assumes_gender"),
        ("de", "Wann hat er dich zuletzt überrascht?", "lint/assumes_gender"),
        ("en", "What do you remember about your wedding day?", "lint/assumes_marriage"),
        ("de", "Was bedeutet dir die Ehe?", "lint/assumes_marriage"),
        ("en", "What do the kids need most right now?", "lint/assumes_children"),
        ("de", "Was brauchen die Kinder gerade am meisten?", "lint/assumes_children"),
        ("en", "What would you change in our home?", "lint/assumes_living_together"),
        ("de", "Was würdest du in unsere Wohnung stellen?", "lint/assumes_living_together"),
        ("es", "¿Qué diría tu marido de esto?", "lint/assumes_gender"),
        ("es", "¿Cuándo te hizo reír ella por última vez?", "lint/assumes_gender"),
        ("es", "¿Qué recuerdas del día de tu boda?", "lint/assumes_marriage"),
        ("es", "¿Qué necesitan más ahora mismo los niños?", "lint/assumes_children"),
        ("es", "¿Qué cambiarías de nuestra casa?", "lint/assumes_living_together"),
    ],
)
def test_card_assuming_a_life_situation_is_flagged(
    sample: dict[str, Any], language: str, text: str, code: str
) -> None:
    set_text(sample, 1, language, text)
    # (the sensitivity rule also says such a card is about children: see its own tests)
    assumed = [f for f in found(sample) if f[0] != "lint/untagged_topic"]
    assert assumed == [(code, f"/cards/1/text/{language}")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Which theatre show, teacher or helper shaped you?"),  # "he" inside words
        ("en", "What did you love to do as a child?"),  # about the player's own past
        ("de", "Was hast du als Kind am liebsten gespielt?"),
        ("de", "Wie würden sie dich beschreiben, deine Freunde?"),  # "sie" is also "they"
        ("en", "What makes a place feel like home to you?"),
        ("de", "Was macht eine Wohnung für dich gemütlich?"),
        ("es", "¿A qué jugabas de niños con tus amigos?"),  # about the player's own past
        ("es", "¿Qué hace que un lugar se sienta como un hogar para ti?"),
        ("es", "¿Qué canción eliges para el momento de cocinar?"),  # "el", not "él"
    ],
)
def test_inclusive_card_is_not_flagged(sample: dict[str, Any], language: str, text: str) -> None:
    set_text(sample, 1, language, text)
    assert found(sample) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Do you like surprises?"),
        ("en", "Would you travel back in time?"),
        ("de", "Magst du Überraschungen?"),
        ("de", "Würdest du in der Zeit zurückreisen?"),
        ("es", "¿Te gustan las sorpresas?"),
        ("es", "¿Harías un viaje en el tiempo?"),
    ],
)
def test_yes_no_question_is_flagged(sample: dict[str, Any], language: str, text: str) -> None:
    set_text(sample, 2, language, text)
    assert found(sample) == [("lint/yes_no_question", f"/cards/2/text/{language}")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "What surprises you most about yourself?"),
        ("en", "Would you rather travel by night train or by plane?"),  # a choice
        ("en", "Do something kind for each other."),  # an action, not a question
        ("de", "Welche Überraschung hat dich zuletzt gefreut?"),
        ("de", "Würdest du lieber im Zug oder im Flugzeug reisen?"),
        ("es", "¿Qué te sorprende más de ti?"),
        ("es", "¿Prefieres viajar en tren nocturno o en avión?"),  # a choice
    ],
)
def test_open_question_is_not_flagged(sample: dict[str, Any], language: str, text: str) -> None:
    set_text(sample, 2, language, text)
    assert found(sample) == []


def test_exact_duplicate_card_is_flagged(sample: dict[str, Any]) -> None:
    sample["cards"][4]["text"] = dict(sample["cards"][5]["text"])
    warnings = lint(sample)
    assert [(p.code, p.pointer) for p in warnings] == [("lint/duplicate_card", "/cards/5/text/en")]
    assert warnings[0].message == "card 'd3' is a duplicate of card 'd2' (en, similarity 1.00)"


def test_near_duplicate_card_is_flagged(sample: dict[str, Any]) -> None:
    set_text(sample, 4, "en", "What lesson took you the longest to learn?")
    assert found(sample) == [("lint/near_duplicate_card", "/cards/5/text/en")]


def test_similar_cards_below_the_threshold_are_not_flagged(sample: dict[str, Any]) -> None:
    set_text(sample, 4, "en", "Which lesson took you far too long?")
    assert found(sample) == []


def test_duplicates_are_compared_within_one_language(sample: dict[str, Any]) -> None:
    set_text(sample, 4, "de", "What lesson took you longest to learn?")  # en text of d3
    assert "lint/duplicate_card" not in [code for code, _ in found(sample)]


def test_jaccard_is_shared_words_over_all_words() -> None:
    assert jaccard(frozenset(["a", "b", "c"]), frozenset(["b", "c", "d"])) == 0.5
    assert words("Don't STOP, now!") == ["don't", "stop", "now"]


def test_level_with_far_fewer_cards_is_flagged(sample: dict[str, Any]) -> None:
    extra = [
        dict(sample["cards"][0], id=f"x{i}", tags=[], text={"en": f"Prompt {i}: {w}?"})
        for i, w in enumerate(["colours", "songs", "smells"])
    ]
    sample["cards"][3:3] = extra  # light: 6 cards, deep: 3 (50%)
    warnings = lint(sample)
    assert [(p.code, p.pointer) for p in warnings] == [("lint/level_imbalance", "/levels/1")]
    assert warnings[0].message == (
        "level 'deep' has 3 cards, fewer than 60% of the 6 in level 'light'"
    )


def test_level_at_sixty_percent_is_balanced(sample: dict[str, Any]) -> None:
    extra = [
        dict(sample["cards"][0], id=f"x{i}", tags=[], text={"en": f"Card {i}?"}) for i in range(2)
    ]
    sample["cards"][3:3] = extra  # light: 5 cards, deep: 3 (exactly 60%)
    assert [code for code, _ in found(sample)] == []
