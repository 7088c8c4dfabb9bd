"""docs/views.md, "A daily space's view": its example has exactly the keys the engine's
view has (plus ``room``, which the shell adds), so the client's contract cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path

from game.daily import PassDay, TalkTonight, apply_daily, view
from tests.game.daily_helpers import at, couple

DOC = Path(__file__).resolve().parents[2] / "docs" / "views.md"


def documented() -> dict[str, object]:
    section = DOC.read_text(encoding="utf-8").split("## A daily space's view", 1)[1]
    block = re.search(r"```json\n(.*?)\n```", section, re.S)
    assert block is not None
    parsed: dict[str, object] = json.loads(block.group(1))
    return parsed


def test_the_documented_daily_view_has_the_engines_keys() -> None:
    space, now = couple(), at("2026-12-03 21:00")
    space = apply_daily(space, 0, PassDay(), now).space
    space = apply_daily(space, 1, PassDay(), now).space
    day = space.history[0].day
    space = apply_daily(space, 0, TalkTonight(day, "ABCDEF", "/#join=x"), now).space
    shown, doc = view(space, 0, now), documented()
    assert set(doc) == set(shown) | {"room"}
    history = doc["history"]
    assert isinstance(history, list)
    assert set(history[0]) == set(shown["history"][0])
    assert set(history[0]["card"]) == set(shown["history"][0]["card"])
    card = doc["card"]
    assert isinstance(card, dict) and set(card) == set(shown["history"][0]["card"])
