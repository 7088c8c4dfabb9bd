"""Run decks/schema.json over parsed data and turn its errors into stable Problems.

jsonschema's own messages are fine for developers but unstable across versions and
sometimes point at the parent object; here each keyword gets a code, a plain message
and the most precise pointer we can give (the unknown key, the duplicate item).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from decks.problems import Problem, join_pointer

_HINTS = {
    "identifier": "use lowercase letters, digits, '.', '_' and '-', starting with a letter "
    "or digit, at most 64 characters",
    "version": "use MAJOR.MINOR.PATCH, e.g. 1.0.0",
    "language code": "use a code such as en, de or pt-BR",
    "license": "use an SPDX identifier such as CC-BY-4.0",
}


@cache
def schema() -> dict[str, Any]:
    text = resources.files("decks").joinpath("schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    names = {dict: "object", list: "array", str: "string", int: "integer", float: "number"}
    return names.get(type(value), "null")


def show(value: object, limit: int = 40) -> str:
    """A short, safe rendering of a value for a message."""
    shown = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def schema_problems(data: Any) -> list[Problem]:
    """Every schema violation in ``data`` (positions are filled in by the loader)."""
    found: dict[tuple[str, str, str], Problem] = {}
    for error in _validator().iter_errors(data):
        if _is_text_length(error):
            continue  # text length is counted after NFC by decks.checks
        for problem in _convert(error):
            found.setdefault((problem.code, problem.pointer, problem.message), problem)
    return list(found.values())


def _is_text_length(error: ValidationError) -> bool:
    # Only localised text uses a non-boolean additionalProperties schema with maxLength.
    return error.validator == "maxLength" and "additionalProperties" in error.schema_path


def _convert(error: ValidationError) -> Iterator[Problem]:
    pointer = "".join(join_pointer("", token) for token in error.absolute_path)
    keyword = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    if keyword == "required":
        for name in value:
            if isinstance(instance, dict) and name not in instance:
                yield Problem("schema/missing_field", f"missing required field {name!r}", pointer)
    elif keyword == "additionalProperties":
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        for name in instance:
            if name not in known:
                yield Problem(
                    "schema/unknown_field", f"unknown field {name!r}", join_pointer(pointer, name)
                )
    elif keyword == "type":
        message = f"expected {value}, found {json_type(instance)}"
        yield Problem("schema/wrong_type", message, pointer)
    elif keyword == "uniqueItems":
        yield _duplicate_item(instance, pointer)
    else:
        yield _simple(error, pointer)


def _duplicate_item(items: list[Any], pointer: str) -> Problem:
    seen: list[Any] = []
    for index, item in enumerate(items):
        if item in seen:
            return Problem(
                "schema/duplicate_item",
                f"{show(item)} is listed twice",
                join_pointer(pointer, index),
            )
        seen.append(item)
    return Problem("schema/duplicate_item", "an item is listed twice", pointer)


def _simple(error: ValidationError, pointer: str) -> Problem:
    keyword = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    sub = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "pattern":
        if "propertyNames" in error.schema_path:
            pointer = join_pointer(pointer, str(instance))
        title = str(sub.get("title", "value"))
        hint = _HINTS.get(title)
        message = f"{show(instance)} is not a valid {title}" + (f": {hint}" if hint else "")
        return Problem("schema/bad_format", message, pointer)
    if keyword == "enum":
        allowed = ", ".join(repr(v) for v in value)
        return Problem("schema/not_allowed", f"{show(instance)} is not one of {allowed}", pointer)
    if keyword in ("minLength", "maxLength"):
        if keyword == "minLength":
            return Problem("schema/too_short", "must not be empty", pointer)
        message = f"is {len(instance)} characters long; at most {value} are allowed"
        return Problem("schema/too_long", message, pointer)
    if keyword in ("minItems", "minProperties"):
        message = f"has {len(instance)} entries; at least {value} are needed"
        return Problem("schema/too_few", message, pointer)
    if keyword in ("maxItems", "maxProperties"):
        message = f"has {len(instance)} entries; at most {value} are allowed"
        return Problem("schema/too_many", message, pointer)
    if keyword in ("minimum", "maximum"):
        bound = "at least" if keyword == "minimum" else "at most"
        return Problem("schema/out_of_range", f"{show(instance)} must be {bound} {value}", pointer)
    return Problem(f"schema/{keyword}", error.message[:200], pointer)
