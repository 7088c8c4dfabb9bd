"""The rules a JSON Schema cannot express (docs/deck-format.md, "What the validator adds").

They run on data that already passed the schema, so every field has its type; each
returns Problems whose positions the loader fills in.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from decks.problems import Problem, join_pointer
from decks.silences import RULES, TOPIC_RULES
from decks.vocabulary import vocabulary

MIN_DEALABLE = 3

# (pointer, text, limit) for every localised text in a deck, with its length limit.
TextRef = tuple[str, dict[str, str], int]


def check(data: dict[str, Any]) -> list[Problem]:
    """Errors and warnings (``severity``) for a schema-valid deck."""
    problems: list[Problem] = []
    problems += _unique_ids(data, "levels", "level")
    problems += _unique_ids(data, "tags", "tag") if "tags" in data else []
    problems += _unique_ids(data, "cards", "card")
    problems += _default_language(data)
    problems += _card_references(data)
    problems += _own_tags(data)
    problems += _vocabulary_labels(data)
    problems += _silences(data)
    problems += _closing_cards(data)
    problems += _level_sizes(data)
    for ref in texts(data):
        problems += _text(ref, data["languages"], data["default_language"])
    return problems


def _unique_ids(data: dict[str, Any], field: str, what: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, item in enumerate(data[field]):
        if item["id"] in first:
            message = f"{what} id {item['id']!r} is already used by /{field}/{first[item['id']]}"
            yield Problem(f"{what}/duplicate_id", message, f"/{field}/{index}/id")
        first.setdefault(item["id"], index)


def _default_language(data: dict[str, Any]) -> Iterator[Problem]:
    if data["default_language"] not in data["languages"]:
        message = f"default language {data['default_language']!r} is not in languages"
        yield Problem("deck/default_language_not_listed", message, "/default_language")


def known_topics(data: dict[str, Any]) -> set[str]:
    """Topic ids a card may use: the shared vocabulary's and the deck's own."""
    return set(vocabulary().by_id) | {tag["id"] for tag in data.get("tags", [])}


def follow_up_tags(follow_up: dict[str, Any]) -> list[str]:
    """A follow-up's tags (none for the plain text form)."""
    return list(follow_up.get("tags", [])) if "text" in follow_up else []


def used_topics(data: dict[str, Any]) -> list[str]:
    """Every topic id the deck's cards and follow-ups use, in first-use order."""
    used: dict[str, None] = {}
    for card in data["cards"]:
        used.update(dict.fromkeys(card.get("tags", [])))
        for follow_up in card.get("follow_ups", []):
            used.update(dict.fromkeys(follow_up_tags(follow_up)))
    return list(used)


def _unknown_tag(tag: str, pointer: str, code: str) -> Problem:
    message = (
        f"unknown topic {tag!r}: not in the shared vocabulary (decks/topics.json) "
        "nor in this deck's tags"
    )
    return Problem(code, message, pointer)


def _card_references(data: dict[str, Any]) -> Iterator[Problem]:
    levels = {level["id"] for level in data["levels"]}
    tags = known_topics(data)
    for index, card in enumerate(data["cards"]):
        pointer = f"/cards/{index}"
        if card["kind"] != "closing" and card["level"] not in levels:
            message = f"unknown level {card['level']!r}"
            yield Problem("card/unknown_level", message, f"{pointer}/level")
        for position, tag in enumerate(card.get("tags", [])):
            if tag not in tags:
                yield _unknown_tag(tag, f"{pointer}/tags/{position}", "card/unknown_tag")
        for number, follow_up in enumerate(card.get("follow_ups", [])):
            for position, tag in enumerate(follow_up_tags(follow_up)):
                at = f"{pointer}/follow_ups/{number}/tags/{position}"
                if tag not in tags:
                    yield _unknown_tag(tag, at, "follow_up/unknown_tag")
                elif card["kind"] == "closing":
                    message = "the closing card ignores boundaries: its follow-ups have no tags"
                    yield Problem("card/closing_has_tags", message, at)


def _own_tags(data: dict[str, Any]) -> Iterator[Problem]:
    shared = vocabulary().by_id
    for index, tag in enumerate(data.get("tags", [])):
        if tag["id"] in shared:
            message = (
                f"tag {tag['id']!r} is in the shared vocabulary: its shared label is used "
                "(so a boundary means the same in every deck) and this entry can go"
            )
            yield Problem("tag/in_vocabulary", message, f"/tags/{index}", severity="warning")


def _vocabulary_labels(data: dict[str, Any]) -> Iterator[Problem]:
    shared = vocabulary().by_id
    for tag in used_topics(data):
        topic = shared.get(tag)
        if topic is None:
            continue
        missing = [lang for lang in data["languages"] if lang not in topic.label]
        if missing:
            message = (
                f"the shared topic {tag!r} has no label in "
                + ", ".join(repr(lang) for lang in missing)
                + " yet; players see it in English"
            )
            yield Problem("tag/missing_label", message, "/languages", severity="warning")


def _silences(data: dict[str, Any]) -> Iterator[Problem]:
    owners = [("levels", level) for level in data["levels"]]
    owners += [("cards", card) for card in data["cards"]]
    topics = known_topics(data)
    position = {"levels": 0, "cards": 0}
    for field, owner in owners:
        pointer = f"/{field}/{position[field]}/silence"
        position[field] += 1
        seen: set[tuple[str, str]] = set()
        for index, silence in enumerate(owner.get("silence", [])):
            yield from _silence(silence, f"{pointer}/{index}", topics, seen)


def _silence(
    silence: dict[str, Any], at: str, topics: set[str], seen: set[tuple[str, str]]
) -> Iterator[Problem]:
    rule, topic = silence["rule"], silence.get("topic", "")
    if rule not in RULES:
        message = f"unknown lint rule {rule!r}; one of " + ", ".join(sorted(RULES))
        yield Problem("silence/unknown_rule", message, f"{at}/rule")
    elif topic and rule not in TOPIC_RULES:
        message = f"rule {rule!r} is not about one topic: leave out 'topic'"
        yield Problem("silence/topic_not_allowed", message, f"{at}/topic")
    elif topic and topic not in topics:
        yield _unknown_tag(topic, f"{at}/topic", "silence/unknown_topic")
    if (rule, topic) in seen:
        message = f"rule {rule!r} is already silenced here"
        yield Problem("silence/duplicate", message, at)
    seen.add((rule, topic))


def _closing_cards(data: dict[str, Any]) -> Iterator[Problem]:
    first: int | None = None
    for index, card in enumerate(data["cards"]):
        if card["kind"] != "closing":
            continue
        pointer = f"/cards/{index}"
        if first is not None:
            message = f"a deck has at most one closing card; the first is /cards/{first}"
            yield Problem("card/second_closing", message, pointer)
        first = index if first is None else first
        if "level" in card:
            yield Problem(
                "card/closing_has_level", "the closing card has no level", f"{pointer}/level"
            )
        if card.get("tags"):
            yield Problem(
                "card/closing_has_tags", "the closing card has no tags", f"{pointer}/tags"
            )


def _level_sizes(data: dict[str, Any]) -> Iterator[Problem]:
    dealable = Counter(card.get("level") for card in data["cards"] if card["kind"] != "closing")
    for index, level in enumerate(data["levels"]):
        count, pointer = dealable[level["id"]], f"/levels/{index}"
        if count < MIN_DEALABLE:
            message = f"level {level['id']!r} has {count} cards; at least {MIN_DEALABLE} are needed"
            yield Problem("level/too_few_cards", message, pointer)
        if count < level.get("min_cards", 0):
            message = (
                f"level {level['id']!r} asks for {level['min_cards']} completed cards "
                f"but has only {count}"
            )
            yield Problem("level/min_cards_unreachable", message, f"{pointer}/min_cards")


def texts(data: dict[str, Any]) -> Iterator[TextRef]:
    """Every localised text in the deck with its pointer and length limit."""
    yield "/title", data["title"], 80
    yield "/description", data["description"], 500
    for index, level in enumerate(data["levels"]):
        yield f"/levels/{index}/name", level["name"], 40
        yield f"/levels/{index}/description", level["description"], 300
    for index, tag in enumerate(data.get("tags", [])):
        yield f"/tags/{index}/label", tag["label"], 40
    for index, card in enumerate(data["cards"]):
        yield f"/cards/{index}/text", card["text"], 300
        for position, follow_up in enumerate(card.get("follow_ups", [])):
            pointer = f"/cards/{index}/follow_ups/{position}"
            if "text" in follow_up:
                yield f"{pointer}/text", follow_up["text"], 200
            else:
                yield pointer, follow_up, 200


def _text(ref: TextRef, languages: list[str], default: str) -> Iterator[Problem]:
    pointer, text, limit = ref
    for language, value in text.items():
        at = join_pointer(pointer, language)
        if language not in languages:
            message = f"language {language!r} is not listed in languages"
            yield Problem("text/unknown_language", message, at)
        length = len(unicodedata.normalize("NFC", value))
        if length > limit:
            message = f"text is {length} characters long; the limit is {limit}"
            yield Problem("text/too_long", message, at)
        control = next((c for c in value if unicodedata.category(c) == "Cc"), None)
        if control is not None:
            message = f"text contains the control character U+{ord(control):04X}"
            yield Problem("text/control_character", message, at)
    if default in languages and default not in text:
        message = f"missing the default language {default!r}"
        yield Problem("text/missing_default_language", message, pointer)
    missing = [language for language in languages if language not in text and language != default]
    if missing:
        message = "no translation for " + ", ".join(repr(language) for language in missing)
        yield Problem("text/missing_translation", message, pointer, severity="warning")
