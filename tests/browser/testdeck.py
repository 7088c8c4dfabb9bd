"""A deck whose every text is markup and script: the page must show it literally."""

from __future__ import annotations

import json
from pathlib import Path

HOSTILE_ID = "hostile-markup"
SCRIPT = "<script>window.__ckPwned = 1</script>"
IMG = '<img src="x" onerror="window.__ckPwned = 2">'
BOLD = "<b>bold</b> & <i>italic</i>"


def card_texts() -> list[str]:
    return [
        f"{SCRIPT} What would you say?",
        f"{IMG} Tell me more.",
        f"{BOLD} Which <u>small</u> thing?",
    ]


def hostile_deck() -> dict[str, object]:
    cards: list[dict[str, object]] = [
        {"id": f"h{i}", "level": "only", "kind": "question", "mode": "one",
         "text": {"en": text}, "tags": ["markup"],
         "follow_ups": [{"en": f"{SCRIPT} and then?"}]}
        for i, text in enumerate(card_texts())
    ]  # fmt: skip
    return {
        "id": HOSTILE_ID,
        "version": "1.0.0",
        "title": {"en": f"Markup {BOLD}"},
        "description": {"en": f"Every text here is markup: {SCRIPT}"},
        "default_language": "en",
        "languages": ["en"],
        "authors": ["Closeknit tests"],
        "license": "CC0-1.0",
        "age_rating": "all",
        "levels": [{"id": "only", "name": {"en": "<img src=x onerror=alert(1)>"},
                    "description": {"en": "One level."}}],
        "tags": [{"id": "markup", "label": {"en": "<script>alert(1)</script>"}}],
        "cards": cards,
    }  # fmt: skip


GLARE_ID = "glaring-colours"


def glaring_deck() -> dict[str, object]:
    """Level colours chosen to be hard: pure yellow (light text on it fails), near-black
    (dark text on it fails). The page must still keep AA contrast."""
    levels = [("glare", "#ffff00"), ("dusk", "#0a0a0a")]
    cards: list[dict[str, object]] = [
        {"id": f"{lv}{i}", "level": lv, "kind": "question", "mode": "one",
         "text": {"en": f"Test card {i} of the {lv} level: what colour is your evening?"}}
        for lv, _ in levels for i in range(3)
    ]  # fmt: skip
    return {
        "id": GLARE_ID, "version": "1.0.0", "title": {"en": "Glaring colours"},
        "description": {"en": "Hard level colours, for contrast tests."},
        "default_language": "en", "languages": ["en"], "authors": ["Closeknit tests"],
        "license": "CC0-1.0", "age_rating": "all",
        "levels": [{"id": lv, "name": {"en": lv.title()}, "description": {"en": "A test level."},
                    "color": colour} for lv, colour in levels],
        "tags": [], "cards": cards,
    }  # fmt: skip


TINY_ID = "tiny-evenings"


def tiny_deck() -> dict[str, object]:
    """Four plain cards on one level: a deck a test can play through (memory, issue 21)."""
    cards: list[dict[str, object]] = [
        {"id": f"t{i}", "level": "only", "kind": "question", "mode": "one",
         "text": {"en": f"Tiny question {i}: what made you smile this week?"}}
        for i in range(4)
    ]  # fmt: skip
    return {
        "id": TINY_ID, "version": "1.0.0", "title": {"en": "Tiny evenings"},
        "description": {"en": "Four questions, for tests that play a deck through."},
        "default_language": "en", "languages": ["en"], "authors": ["Closeknit tests"],
        "license": "CC0-1.0", "age_rating": "all",
        "levels": [{"id": "only", "name": {"en": "Only"}, "description": {"en": "One level."}}],
        "tags": [], "cards": cards,
    }  # fmt: skip


TWO_TONGUES_ID = "two-tongues"
SPANISH = [
    "Pregunta {i}: ¿qué te hizo sonreír esta semana?",
    "Pregunta {i}: ¿qué lugar te gustaría visitar conmigo?",
]


def two_tongues_deck() -> dict[str, object]:
    """Four cards in English and Spanish, with a topic: the mixed-language couple's test
    deck (issue 24) until the built-in decks carry Spanish."""
    cards: list[dict[str, object]] = [
        {"id": f"tt{i}", "level": "only", "kind": "question", "mode": "one", "tags": ["home"],
         "text": {"en": f"Question {i}: what made you smile this week?",
                  "es": SPANISH[i % 2].format(i=i)},
         "follow_ups": [{"en": "And then?", "es": "¿Y después?"}]}
        for i in range(4)
    ]  # fmt: skip
    return {
        "id": TWO_TONGUES_ID, "version": "1.0.0",
        "title": {"en": "Two tongues", "es": "Dos lenguas"},
        "description": {"en": "Four questions in English and Spanish.",
                        "es": "Cuatro preguntas en inglés y en español."},
        "default_language": "en", "languages": ["en", "es"], "authors": ["Closeknit tests"],
        "license": "CC0-1.0", "age_rating": "all",
        "levels": [{"id": "only", "name": {"en": "Only", "es": "Único"},
                    "description": {"en": "One level.", "es": "Un nivel."}}],
        "tags": [{"id": "home", "label": {"en": "Home", "es": "Casa"}}], "cards": cards,
    }  # fmt: skip


def write_hostile_deck(folder: Path) -> Path:
    path = folder / f"{HOSTILE_ID}.json"
    path.write_text(json.dumps(hostile_deck(), ensure_ascii=False), encoding="utf-8")
    glare = folder / f"{GLARE_ID}.json"
    glare.write_text(json.dumps(glaring_deck(), ensure_ascii=False), encoding="utf-8")
    tiny = folder / f"{TINY_ID}.json"
    tiny.write_text(json.dumps(tiny_deck(), ensure_ascii=False), encoding="utf-8")
    two = folder / f"{TWO_TONGUES_ID}.json"
    two.write_text(json.dumps(two_tongues_deck(), ensure_ascii=False), encoding="utf-8")
    return path
