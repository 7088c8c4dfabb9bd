"""The topic vocabulary every deck shares (``decks/topics.json``) and its cue words.

A boundary means the same in every deck because every deck names its sensitive topics
from this one list. Each topic has a label per UI language and, per language, cue words
the linter looks for: a "strong" cue counts 2, a "weak" one 1, and a text touches a topic
at ``TOUCHES`` points; "except" phrases (an idiom that only looks like the topic) are
taken out first. In a cue, ``*`` at the end or start of a word stands for any ending or
beginning (German compounds), ``~`` for any one word. Words are compared lowercased,
NFC-normalised, split at everything that is not a letter or digit.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

TOUCHES = 2
STRONG, WEAK = 2, 1
_WORD = re.compile(r"\w+")
_BARRIER = " # "  # what an "except" phrase becomes: no cue can match across it


@dataclass(frozen=True, slots=True)
class Cues:
    """One topic's cues in one language, compiled."""

    strong: re.Pattern[str] | None
    weak: re.Pattern[str] | None
    exceptions: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: Mapping[str, str]
    sensitive: bool
    cues: Mapping[str, Cues] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    topics: tuple[Topic, ...]
    languages: tuple[str, ...]
    by_id: Mapping[str, Topic] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {t.id: t for t in self.topics})

    def points(self, text: str, language: str) -> dict[str, int]:
        """Cue points per topic that ``text`` in ``language`` scores (topics with none
        are left out)."""
        spoken = normalise(text)
        found: dict[str, int] = {}
        for topic in self.topics:
            cues = topic.cues.get(language)
            if cues is not None:
                score = _score(spoken, cues)
                if score:
                    found[topic.id] = score
        return found


def normalise(text: str) -> str:
    """``text`` as lowercase words separated by single spaces, padded with one each side."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    return f" {' '.join(words)} "


def _score(spoken: str, cues: Cues) -> int:
    if cues.exceptions is not None:
        spoken = cues.exceptions.sub(_BARRIER, spoken)
    score, taken = 0, []
    if cues.strong is not None:
        for match in cues.strong.finditer(spoken):
            score += STRONG
            taken.append(match.span())
    if cues.weak is not None:
        for match in cues.weak.finditer(spoken):
            start, end = match.span()
            if not any(start < b and a < end for a, b in taken):
                score += WEAK
    return score


def _word_pattern(word: str) -> str:
    if word == "~":
        return r"\w+"
    head, tail = word.startswith("*"), word.endswith("*")
    core = re.escape(word.strip("*"))
    return (r"\w*" if head else "") + core + (r"\w*" if tail else "")


def cue_pattern(cue: str) -> str:
    """A regular expression for one cue over ``normalise``d text."""
    words = [w for w in re.split(r"[^\w*~]+", unicodedata.normalize("NFC", cue).lower()) if w]
    if not words:
        raise ValueError(f"cue {cue!r} has no words")
    return " ".join(_word_pattern(w) for w in words)


def _compile(cues: list[str]) -> re.Pattern[str] | None:
    if not cues:
        return None
    # Longest first, so "hold both hands" wins over "hands"; each bounded by spaces.
    body = "|".join(cue_pattern(c) for c in sorted(cues, key=len, reverse=True))
    return re.compile(f"(?<= )(?:{body})(?= )")


def _topic(data: Mapping[str, Any]) -> Topic:
    cues: dict[str, Cues] = {}
    exceptions: Mapping[str, list[str]] = data.get("except", {})
    for language, lists in data.get("cues", {}).items():
        cues[language] = Cues(
            strong=_compile(list(lists.get("strong", []))),
            weak=_compile(list(lists.get("weak", []))),
            exceptions=_compile(list(exceptions.get(language, []))),
        )
    label = {lang: str(text) for lang, text in data["label"].items()}
    return Topic(str(data["id"]), label, bool(data.get("sensitive", True)), cues)


def parse_vocabulary(text: str) -> Vocabulary:
    """A vocabulary from the text of a topics file; ``ValueError`` when it is not one."""
    try:
        data = json.loads(text)
        topics = tuple(_topic(t) for t in data["topics"])
        languages = tuple(str(lang) for lang in data["languages"])
    except (KeyError, TypeError, AttributeError, re.error, json.JSONDecodeError) as error:
        raise ValueError(f"not a topic vocabulary: {error!r}") from None
    if len({t.id for t in topics}) != len(topics):
        raise ValueError("a topic id is listed twice")
    return Vocabulary(topics, languages)


@cache
def vocabulary() -> Vocabulary:
    """The shared vocabulary shipped in ``decks/topics.json`` (read once)."""
    text = resources.files("decks").joinpath("topics.json").read_text(encoding="utf-8")
    return parse_vocabulary(text)
