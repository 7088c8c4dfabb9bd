"""Any input yields a deck or errors: never an exception, never a hang."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

from deck_support import sample_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decks.loader import LoadResult, load_deck

FUZZ = settings(
    max_examples=300,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=10), children, max_size=6)
    ),
    max_leaves=40,
)


def assert_deck_or_errors(result: LoadResult) -> None:
    assert (result.deck is None) == bool(result.errors)
    for problem in [*result.errors, *result.warnings]:
        assert problem.code and problem.message
        assert problem.line >= 1 and problem.column >= 1
        assert problem.pointer == "" or problem.pointer.startswith("/")


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_deck_or_errors(data: bytes) -> None:
    assert_deck_or_errors(load_deck(data))


@FUZZ
@given(st.text(max_size=500))
def test_arbitrary_text_gives_a_deck_or_errors(text: str) -> None:
    assert_deck_or_errors(load_deck(text))


@FUZZ
@given(json_values)
def test_arbitrary_json_values_give_a_deck_or_errors(value: Any) -> None:
    assert_deck_or_errors(load_deck(json.dumps(value)))


@FUZZ
@given(st.text(alphabet='{}[]:,"\\ 0123456789.eE-+tfnrulasx\n', max_size=300))
def test_json_like_noise_gives_a_deck_or_errors(text: str) -> None:
    assert_deck_or_errors(load_deck(text))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*path, index))
    return found


@st.composite
def mutated_decks(draw: st.DrawFn) -> Any:
    deck: Any = copy.deepcopy(sample_data())
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(deck) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = deck
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return deck


@FUZZ
@given(mutated_decks())
def test_mutated_valid_decks_give_a_deck_or_errors(deck: Any) -> None:
    assert_deck_or_errors(load_deck(json.dumps(deck, indent=1)))


@FUZZ
@given(mutated_decks(), st.data())
def test_truncated_decks_give_errors(deck: Any, data: st.DataObject) -> None:
    text = json.dumps(deck)
    cut = data.draw(st.integers(0, len(text) - 1))
    result = load_deck(text[:cut])
    assert result.deck is None and result.errors
