from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from deck_support import BUILTIN, REPO, SAMPLE

SCHEMA_PATH = REPO / "decks" / "schema.json"


def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def test_schema_passes_the_draft_2020_12_meta_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(_schema())


def test_schema_declares_its_draft_and_id_for_editors() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://")
    assert schema["additionalProperties"] is False


def test_every_object_in_the_schema_refuses_unknown_fields() -> None:
    objects = [_schema(), *(d for d in _schema()["$defs"].values() if "properties" in d)]
    assert all(obj["additionalProperties"] is False for obj in objects)


def test_every_deck_field_has_a_tooltip() -> None:
    for name, prop in _schema()["properties"].items():
        assert prop.get("description") or prop.get("$ref"), name
    for name, definition in _schema()["$defs"].items():
        assert definition.get("title"), name


def test_sample_deck_validates_with_jsonschema() -> None:
    jsonschema.validate(json.loads(SAMPLE.read_text(encoding="utf-8")), _schema())


def test_schema_rejects_an_unknown_field() -> None:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["colour"] = "blue"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, _schema())


def test_there_are_shipped_decks() -> None:
    names = ("closer", "mixer", "three-sets", "weekly-check-in", "far-apart", "after-an-argument")
    assert {p.name for p in BUILTIN} >= {f"{name}.json" for name in names}


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.name)
def test_shipped_deck_validates_with_jsonschema(path: Path) -> None:
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), _schema())
