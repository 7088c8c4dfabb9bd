"""Boundaries hold in every shipped deck: one vocabulary, tagged cards and follow-ups, and
a linter that would have caught the leaks found in the decks before issue 15."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from deck_support import BUILTIN, HERE

from decks.cli import load_file
from decks.report import lint_report
from decks.sensitivity import boundary_problems
from decks.vocabulary import vocabulary
from game.deck import APART_TAGS, Card, CardKind, CardMode, FollowUp

# The cards as they shipped before this issue, with the topic a careful reader found
# missing and where ("card" or "follow-up").
LEAKS: list[dict[str, Any]] = json.loads(
    (HERE / "samples" / "leaks-before-15.json").read_text(encoding="utf-8")
)["cards"]


@pytest.mark.parametrize("leak", LEAKS, ids=lambda leak: str(leak["id"]))
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_linter_would_have_caught_each_leak_found_before_issue_15(
    leak: dict[str, Any], language: str
) -> None:
    cid, topic, where = leak["id"], leak["missing_topic"], leak["where"]
    card = Card(
        id=cid,
        level=0,
        kind=CardKind(leak["kind"]),
        mode=CardMode.BOTH,
        text=leak["text"],
        tags=frozenset(leak["tags"]),
        follow_ups=tuple(FollowUp(f) for f in leak["follow_ups"]),
    )
    found = [
        p
        for p in boundary_problems(card, "/cards/0")
        if p.topic == topic and f"({language})" in p.message
    ]
    on_card = [p for p in found if "/follow_ups/" not in p.pointer]
    assert found, f"{cid} ({language}) not flagged for {topic}"
    # A follow-up's leak is reported on the follow-up, not blamed on its card.
    assert bool(on_card) == (where == "card")


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.name)
def test_every_topic_a_shipped_deck_uses_is_in_the_vocabulary_with_a_label_per_language(
    path: Path,
) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    shared = vocabulary().by_id
    used = {t for c in data["cards"] for t in c.get("tags", [])}
    used |= {t for c in data["cards"] for f in c.get("follow_ups", []) for t in f.get("tags", [])}
    assert used and used <= set(shared), used - set(shared)
    for topic in used:
        assert set(data["languages"]) <= set(shared[topic].label), topic
    assert "tags" not in data or data["tags"] == []  # nothing of its own shadows the list


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.name)
def test_the_lobby_offers_exactly_the_vocabulary_topics_a_shipped_deck_uses(path: Path) -> None:
    result = load_file(str(path))
    assert result.deck is not None
    offered = [t.id for t in result.deck.tags]
    used = {t for c in result.deck.cards for t in c.tags}
    used |= {t for c in result.deck.cards for f in c.follow_ups for t in f.tags}
    assert set(offered) == used
    order = [t.id for t in vocabulary().topics]
    assert offered == sorted(offered, key=order.index)
    labels = {t.id: t.label for t in result.deck.tags}
    assert all(labels[t] == vocabulary().by_id[t].label for t in offered)


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.name)
def test_shipped_deck_lints_clean_apart_from_silences_that_give_reasons(path: Path) -> None:
    report = lint_report(load_file(str(path)))
    assert [f"{w.line}:{w.column} {w.pointer}: {w.message}" for w in report.warnings] == []
    for silence, silenced in report.silences:
        assert silenced, silence  # an unused silence would be a warning too
        assert len(silence.reason) >= 40, silence


def test_apart_tonight_withholds_a_topic_of_the_vocabulary() -> None:
    assert set(vocabulary().by_id) >= APART_TAGS


def test_the_vocabulary_holds_the_topics_the_deck_guide_names() -> None:
    named = {
        "family", "past-relationships", "sex", "body", "touch", "money", "work", "health",
        "mental-health", "faith", "politics", "children", "loss", "conflict",
    }  # fmt: skip
    assert named <= set(vocabulary().by_id)
