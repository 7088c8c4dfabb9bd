"""Silences: a deck file may turn off one lint rule for one card or level, with a reason.

A silence is written next to what it silences (``"silence": [{"rule": ..., "reason":
...}]`` on a card or a level; for the topic rules also ``"topic"``). It covers warnings
about that card's text and follow-ups, or that level. ``closeknit deck lint`` lists every
silence with its reason, and warns about a silence that silences nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from decks.problems import Problem

# Every rule of ``decks.lint`` a silence may name (codes without the ``lint/`` prefix).
TOPIC_RULES = frozenset({"untagged_topic", "untagged_follow_up", "closing_touches_topic"})
RULES = TOPIC_RULES | {
    "assumes_gender",
    "assumes_marriage",
    "assumes_children",
    "assumes_living_together",
    "yes_no_question",
    "duplicate_card",
    "near_duplicate_card",
    "level_imbalance",
    "two_questions",
    "low_reciprocity",
    "touch_action_untagged",
    "too_many_topics",
}


@dataclass(frozen=True, slots=True)
class Silence:
    owner: str  # "/cards/3" or "/levels/1": what it is written on
    rule: str
    topic: str
    reason: str
    pointer: str  # where the silence itself is written

    def covers(self, problem: Problem) -> bool:
        inside = problem.pointer == self.owner or problem.pointer.startswith(f"{self.owner}/")
        same_topic = not self.topic or problem.topic == self.topic
        return inside and problem.code == f"lint/{self.rule}" and same_topic

    def describe(self, name: str) -> str:
        about = f" ({self.topic})" if self.topic else ""
        return f"{name}: {self.rule}{about}: {self.reason}"


def read_silences(data: dict[str, Any]) -> list[Silence]:
    """Every silence written in a valid deck's data, in file order."""
    found: list[Silence] = []
    for field in ("levels", "cards"):
        for index, owner in enumerate(data[field]):
            for number, silence in enumerate(owner.get("silence", [])):
                found.append(
                    Silence(
                        owner=f"/{field}/{index}",
                        rule=silence["rule"],
                        topic=silence.get("topic", ""),
                        reason=silence["reason"],
                        pointer=f"/{field}/{index}/silence/{number}",
                    )
                )
    return found


@dataclass(frozen=True, slots=True)
class Silenced:
    """Lint warnings once silences are applied: what is left, and every silence with
    the warnings it silenced."""

    warnings: list[Problem]
    silences: list[tuple[Silence, list[Problem]]]


def apply_silences(warnings: Iterable[Problem], silences: list[Silence]) -> Silenced:
    kept: list[Problem] = []
    hits: dict[int, list[Problem]] = {i: [] for i in range(len(silences))}
    for problem in warnings:
        covering = [i for i, s in enumerate(silences) if s.covers(problem)]
        for i in covering:
            hits[i].append(problem)
        if not covering:
            kept.append(problem)
    kept += _unused(silences, hits)
    return Silenced(kept, [(s, hits[i]) for i, s in enumerate(silences)])


def _unused(silences: list[Silence], hits: dict[int, list[Problem]]) -> Iterator[Problem]:
    for i, silence in enumerate(silences):
        if not hits[i]:
            message = f"silence of {silence.rule!r} silences nothing here: remove it"
            yield Problem("lint/unused_silence", message, silence.pointer, severity="warning")
