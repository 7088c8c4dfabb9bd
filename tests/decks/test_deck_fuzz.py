"""Any input yields a deck or errors: never an exception, never a hang."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest
from deck_support import sample_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decks.jsonscan import scan
from decks.loader import LoadResult, load_deck

FUZZ = settings(
    max_examples=300,
    deadline=timedelta(seconds=10),  # a bound against hangs, loose for a noisy machine
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


def _reference(text: str) -> tuple[bool, Any]:
    """What the standard library's parser says, with our stricter rules applied on top."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({key for key, _ in pairs}) != len(pairs):
            raise ValueError("duplicate key")
        return dict(pairs)

    def refuse(name: str) -> None:
        raise ValueError(name)

    try:
        value = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=refuse)
        _encode_strict(value)  # unpaired surrogate escapes and 1e999 are refused too
    except (ValueError, RecursionError, UnicodeEncodeError):
        return False, None
    return True, value


def _encode_strict(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            item.encode("utf-8")
        elif isinstance(item, float) and item in (float("inf"), float("-inf")):
            raise ValueError("out of range")
        elif isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            stack += item


@FUZZ
@given(st.text(alphabet='{}[]:,"\\ 0123456789.eE-+tfnrulasxud\n', max_size=80))
def test_scanner_agrees_with_the_standard_parser(text: str) -> None:
    # (Raw unpaired surrogates never reach the scanner: load_deck refuses them first.)
    ok, value = _reference(text)
    result = scan(text)
    assert (not result.errors) == ok, (text, result.errors)
    if ok:
        assert result.value == value


@pytest.mark.parametrize("text", ["0E", "0.", "0.:", "1e", "-2E+", "3.e5", "[0E]", "4.5e+"])
def test_a_number_cut_short_is_an_invalid_number(text: str) -> None:
    # Found on Python 3.11.2, whose possessive optional groups matched "0E" whole.
    result = scan(text)
    assert [p.code for p in result.errors] == ["json/syntax"], result.errors


@FUZZ
@given(json_values, st.sampled_from([None, 0, 2]), st.booleans())
def test_scanner_reads_what_json_dumps_writes(value: Any, indent: int | None, ascii: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii)
    result = scan(text)
    assert result.errors == []
    assert result.value == json.loads(text)
