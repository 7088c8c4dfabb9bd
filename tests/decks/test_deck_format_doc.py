"""docs/deck-format.md says which fields are required, and says it as the schema does."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("level", "tag", "card")


def documented() -> dict[tuple[str, str], str]:
    """(part, field) -> the table's "required" cell; part is "deck" for top-level."""
    rows: dict[tuple[str, str], str] = {}
    for line in (ROOT / "docs/deck-format.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or "`" not in cells[0]:
            continue
        for part in cells[0].split(","):
            words = part.split()
            owner = words[0] if len(words) > 1 else "deck"
            rows[(owner, words[-1].strip("`"))] = cells[1]
    return rows


def test_the_deck_format_marks_required_exactly_the_fields_the_schema_requires() -> None:
    schema = json.loads((ROOT / "decks/schema.json").read_text())
    defs = schema.get("$defs") or schema["definitions"]
    required = {"deck": set(schema["required"])}
    required |= {part: set(defs[part].get("required", [])) for part in PARTS}
    rows = documented()
    assert rows[("level", "description")] == "required"  # the one the docs used to miss
    for (owner, name), cell in rows.items():
        if name in required[owner]:
            assert cell == "required", (owner, name, cell)
        else:
            assert cell.startswith("optional") or "except" in cell, (owner, name, cell)
    for owner, names in required.items():
        assert {(owner, n) for n in names} <= set(rows), owner  # every one is listed
