"""The linter's boundary rules: a card or follow-up that touches a topic it is not tagged
with is a boundary that will not hold.

A card is flagged for each vocabulary topic whose cues its text scores in any of its
languages (``decks.vocabulary``) and that is not among its tags. A follow-up is read with
its card: it is flagged when it adds at least one point of a topic that neither it nor its
card carries and, with its card's points, reaches the threshold ("Who used to make it?"
after a card about childhood food reaches family). Action cards have a rule of their own
for touch: any touch cue at all (a hand, sitting face to face) needs the touch tag, since
a couple on a call cannot do them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from decks.problems import Problem
from decks.vocabulary import TOUCHES, Vocabulary, vocabulary
from game.deck import Card, CardKind, Text

TOUCH = "touch"
MAX_TOPICS = 3


def _warn(code: str, message: str, pointer: str, topic: str = "") -> Problem:
    return Problem(f"lint/{code}", message, pointer, severity="warning", topic=topic)


def _points(words: Vocabulary, text: Text) -> dict[str, dict[str, int]]:
    """Language -> topic -> points."""
    return {language: words.points(value, language) for language, value in text.items()}


def boundary_problems(card: Card, pointer: str) -> Iterator[Problem]:
    """Every boundary warning about ``card`` and its follow-ups."""
    words = vocabulary()
    points = _points(words, card.text)
    if card.kind is CardKind.CLOSING:
        yield from _closing(card, pointer, points, words)
        return
    yield from _untagged(card, pointer, points)
    yield from _touch_action(card, pointer, points)
    for index, follow_up in enumerate(card.follow_ups):
        at = f"{pointer}/follow_ups/{index}"
        yield from _follow_up(card, at, follow_up.text, card.tags | follow_up.tags, points)
    if len(card.tags) > MAX_TOPICS:
        message = (
            f"card {card.id!r} carries {len(card.tags)} topics; more than {MAX_TOPICS} "
            "withholds the card from too many couples (is it one card or two?)"
        )
        yield _warn("too_many_topics", message, f"{pointer}/tags")


def _untagged(
    card: Card, pointer: str, points: Mapping[str, Mapping[str, int]]
) -> Iterator[Problem]:
    skip_touch = card.kind is CardKind.ACTION  # the touch action rule covers these
    for language, scores in points.items():
        for topic, score in sorted(scores.items()):
            if score < TOUCHES or topic in card.tags or (skip_touch and topic == TOUCH):
                continue
            message = f"card {card.id!r} touches {topic!r} ({language}) but is not tagged with it"
            yield _warn("untagged_topic", message, f"{pointer}/text/{language}", topic)


def _touch_action(
    card: Card, pointer: str, points: Mapping[str, Mapping[str, int]]
) -> Iterator[Problem]:
    if card.kind is not CardKind.ACTION or TOUCH in card.tags:
        return
    for language, scores in points.items():
        if scores.get(TOUCH, 0) > 0:
            message = (
                f"action {card.id!r} asks for touch ({language}) but has no {TOUCH!r} tag: "
                "it would be dealt to a couple apart tonight"
            )
            yield _warn("touch_action_untagged", message, f"{pointer}/text/{language}", TOUCH)


def _follow_up(
    card: Card,
    pointer: str,
    text: Text,
    tags: frozenset[str],
    card_points: Mapping[str, Mapping[str, int]],
) -> Iterator[Problem]:
    words = vocabulary()
    for language, scores in _points(words, text).items():
        context = card_points.get(language, {})
        for topic, score in sorted(scores.items()):
            if topic in tags or score + context.get(topic, 0) < TOUCHES:
                continue
            message = (
                f"a follow-up of card {card.id!r} touches {topic!r} ({language}) "
                "but neither it nor its card is tagged with it"
            )
            yield _warn("untagged_follow_up", message, f"{pointer}", topic)


def _closing(
    card: Card, pointer: str, points: Mapping[str, Mapping[str, int]], words: Vocabulary
) -> Iterator[Problem]:
    for language, scores in points.items():
        for topic, score in sorted(scores.items()):
            known = words.by_id.get(topic)
            if score >= TOUCHES and known is not None and known.sensitive:
                message = (
                    f"the closing card touches {topic!r} ({language}); it ignores boundaries, "
                    "so it has to be one every couple can take"
                )
                yield _warn("closing_touches_topic", message, f"{pointer}/text/{language}", topic)
