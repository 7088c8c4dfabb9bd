"""Warnings for deck designers: inclusive wording, open questions, duplicates, balance.

Nothing here makes a deck invalid. Word lists are per language and matched on whole
words (and whole phrases), lowercased, so "therapist" never matches "he" and "Kinder"
matches only the word itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

from decks.problems import Problem
from decks.sensitivity import boundary_problems
from game.deck import Card, CardKind, CardMode, Deck

NEAR_DUPLICATE = 0.7
BALANCE = 0.6
RECIPROCITY = 0.25  # DECKS.md: at least a quarter "both" or "reveal" past the first level

_Key = TypeVar("_Key")


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Topic -> language -> words or phrases that assume something about the players' life.
ASSUMPTIONS: Mapping[str, Mapping[str, frozenset[str]]] = {
    "gender": {
        "en": _set("husband wife boyfriend girlfriend he she his her hers him himself herself"),
        # German "sie"/"Sie" is also "they" and formal "you"; "ihr" is also "you all".
        "de": _set("ehemann ehefrau mann frau freund freundin er ihn"),
        # Spanish "su" is also formal "your" and "their"; "mujer" is also "woman".
        "es": _set("marido esposo esposa novio novia él ella"),
    },
    "marriage": {
        "en": _set("married marriage wedding spouse fiancé fiance fiancée fiancee honeymoon"),
        "de": _set("ehe verheiratet hochzeit heiraten geheiratet ehepartner ehepartnerin"),
        "es": _set("casado casada casados casadas casarse casaros casarnos matrimonio boda cónyuge")
        | {"luna de miel"},
    },
    "children": {
        "en": _set("kids kid children child parenting"),
        "de": _set("kinder kind kindern"),
        "es": _set("hijos hijo hija hijas niños niñas crianza"),
    },
    "living_together": {
        "en": frozenset(
            {
                "our home",
                "our apartment",
                "our flat",
                "our house",
                "live together",
                "living together",
                "move in",
                "moved in",
                "moving in",
            }
        ),
        "de": frozenset(
            {"zusammenwohnen", "zusammenziehen", "zusammengezogen", "unsere wohnung", "unser haus"}
        ),
        "es": frozenset(
            {
                "nuestra casa",
                "nuestro piso",
                "nuestro apartamento",
                "nuestro departamento",
                "vivir juntos",
                "vivimos juntos",
                "viven juntos",
                "vivís juntos",
                "irnos a vivir",
                "se mudaron juntos",
                "os mudasteis",
            }
        ),
    },
}

# Idioms about the player's own past that contain a listed word but assume nothing.
EXEMPT_PHRASES: Mapping[str, frozenset[str]] = {
    "en": frozenset({"as a child", "as a kid"}),
    "de": frozenset({"als kind"}),
    "es": frozenset({"de niños", "de niñas", "cuando erais niños", "cuando eran niños"}),
}

YES_NO_STARTS: Mapping[str, frozenset[str]] = {
    "en": _set(
        "do does did are is was were have has had can could would will should shall may might am"
    ),
    "de": _set(
        "hast bist kannst willst würdest wärst hattest warst gibt ist sind magst möchtest "
        "darfst sollst musst glaubst findest denkst fühlst erinnerst weißt kennst"
    ),
    # A Spanish yes/no question opens with its verb or a clitic ("¿Te gusta…?"); an open one
    # with its question word ("¿Qué te gusta…?").
    "es": _set(
        "has hay eres estás tienes puedes podrías quieres querrías sueles sabes conoces crees "
        "piensas recuerdas prefieres harías serías irías volverías te me nos os alguna"
    ),
}
# A question offering a choice ("Would you rather tea or coffee?") is not a yes/no one.
CHOICE_WORDS: Mapping[str, str] = {"en": "or", "de": "oder", "es": "o"}

# A second question joined to the first: "..., and what got you through?". A bare
# "..., and why?" or "..., and how?" asks about the same answer and is left alone.
SECOND_QUESTION: Mapping[str, re.Pattern[str]] = {
    "en": re.compile(
        r",\s+(?:and|or)\s+(?:what|which|who|whom|whose|when|where|(?:how|why)\s+\w+)\b",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r",\s+(?:und|oder)\s+(?:was|welche\w*|wer|wem|wen|wann|wo\w*|(?:wie|warum|wieso)\s+\w+)\b",
        re.IGNORECASE,
    ),
    "es": re.compile(
        r",\s+(?:y|e|o|u)\s+¿?(?:qué|cuál\w*|quién\w*|cuándo|dónde|adónde|cómo\s+\w+|por\s+qué\s+\w+)\b",
        re.IGNORECASE,
    ),
}

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_PLAIN_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def lint_deck(deck: Deck, *, card_pointers: Mapping[str, str] | None = None) -> list[Problem]:
    """Warnings about ``deck``; ``card_pointers`` maps card ids to their JSON pointer.

    Without ``card_pointers`` cards are numbered in ``deck.cards`` order, the closing
    card last, which is where ``decks.loader`` expects it in a well-kept file.
    """
    cards = [*deck.cards, *([deck.closing] if deck.closing else [])]
    pointers = dict(card_pointers or {})
    for index, card in enumerate(cards):
        pointers.setdefault(card.id, f"/cards/{index}")
    found: list[Problem] = []
    for card in cards:
        found += _assumptions(card, pointers[card.id])
        found += _yes_no(card, pointers[card.id])
        found += _two_questions(card, pointers[card.id])
        found += boundary_problems(card, pointers[card.id])
    found += _duplicates(cards, pointers, deck.languages)
    found += _balance(deck)
    found += _reciprocity(deck)
    return found


def _warn(code: str, message: str, pointer: str) -> Problem:
    return Problem(f"lint/{code}", message, pointer, severity="warning")


def _assumptions(card: Card, pointer: str) -> Iterator[Problem]:
    for language, text in card.text.items():
        # Split at apostrophes too, so "he's" and "she’d" are caught.
        spoken = f" {' '.join(_PLAIN_WORD.findall(text.lower()))} "
        for phrase in EXEMPT_PHRASES.get(language, ()):
            spoken = spoken.replace(f" {phrase} ", " ")
        for topic, lists in ASSUMPTIONS.items():
            hits = sorted(w for w in lists.get(language, ()) if f" {w} " in spoken)
            if hits:
                topic_name = topic.replace("_", " ")
                message = f"card {card.id!r} assumes {topic_name} ({language}: {', '.join(hits)})"
                yield _warn(f"assumes_{topic}", message, f"{pointer}/text/{language}")


def _yes_no(card: Card, pointer: str) -> Iterator[Problem]:
    for language, text in card.text.items():
        found = words(text)
        starts = YES_NO_STARTS.get(language, frozenset())
        if not found or found[0] not in starts or not text.rstrip().endswith("?"):
            continue
        if CHOICE_WORDS.get(language) in found:
            continue
        message = f"card {card.id!r} is a yes/no question ({language}: starts with {found[0]!r})"
        yield _warn("yes_no_question", message, f"{pointer}/text/{language}")


def _two_questions(card: Card, pointer: str) -> Iterator[Problem]:
    for language, text in card.text.items():
        joined = SECOND_QUESTION.get(language)
        if text.count("?") < 2 and (joined is None or joined.search(text) is None):
            continue
        message = f"card {card.id!r} asks two questions ({language}); one question per card"
        yield _warn("two_questions", message, f"{pointer}/text/{language}")


def mutual(card: Card) -> bool:
    """Answered by both partners: "both", "reveal", or an action (played as "both")."""
    return card.mode is not CardMode.ONE or card.kind is CardKind.ACTION


def _reciprocity(deck: Deck) -> Iterator[Problem]:
    for index, level in enumerate(deck.levels[1:], start=1):
        cards = deck.by_level[index]
        shared = sum(mutual(c) for c in cards)
        if cards and shared < RECIPROCITY * len(cards):
            message = (
                f"level {level.id!r} has {shared} of {len(cards)} cards answered by both "
                f"({shared / len(cards):.0%}); at least 25% past the first level"
            )
            yield _warn("low_reciprocity", message, f"/levels/{index}")


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 1.0


# A text's word set as bits of an int: intersections and unions of thousands of pairs
# become two integer operations each instead of set building.
_Entry = tuple[int, int, _Key]  # (number of words, bit mask, what the text belongs to)


def similar_texts(
    texts: Iterable[tuple[_Key, str]], threshold: float = NEAR_DUPLICATE
) -> Iterator[tuple[_Key, _Key, float]]:
    """Pairs of texts (in one language) whose lowercase word sets have a Jaccard
    similarity of at least ``threshold``, with the score (1.0: the same words).

    Each text comes with a key saying whose it is (a card, or a card of some deck), so
    the same check serves one deck's linter and a test across every shipped deck. In a
    pair the text with fewer words comes first."""
    vocabulary: dict[str, int] = {}
    entries: list[_Entry[_Key]] = []
    for key, text in texts:
        mask = 0
        for word in set(words(text)):
            mask |= 1 << vocabulary.setdefault(word, len(vocabulary))
        entries.append((mask.bit_count(), mask, key))
    entries.sort(key=lambda entry: entry[0])
    # Sorted by size: Jaccard >= t needs len(small) >= t * len(large), so stop early.
    for i, (small_size, small, first) in enumerate(entries):
        for large_size, large, second in entries[i + 1 :]:
            if small_size < threshold * large_size:
                break
            union = (small | large).bit_count()
            score = (small & large).bit_count() / union if union else 1.0
            if score >= threshold:
                yield first, second, score


def _duplicates(
    cards: list[Card], pointers: Mapping[str, str], languages: tuple[str, ...]
) -> Iterator[Problem]:
    reported: set[tuple[str, str]] = set()
    for language in languages:
        texts = ((card, card.text[language]) for card in cards if language in card.text)
        for first, second, score in similar_texts(texts):
            pair = (first.id, second.id) if first.id < second.id else (second.id, first.id)
            if pair in reported:
                continue
            reported.add(pair)
            kind = "duplicate" if score == 1.0 else "near_duplicate"
            message = (
                f"card {pair[1]!r} is a {kind.replace('_', '-')} of card {pair[0]!r} "
                f"({language}, similarity {score:.2f})"
            )
            yield _warn(f"{kind}_card", message, f"{pointers[pair[1]]}/text/{language}")


def _balance(deck: Deck) -> Iterator[Problem]:
    counts = Counter(card.level for card in deck.cards if card.kind is not CardKind.CLOSING)
    largest = max(counts.values(), default=0)
    biggest = next((i for i, _ in enumerate(deck.levels) if counts[i] == largest), 0)
    for index, level in enumerate(deck.levels):
        if counts[index] < BALANCE * largest:
            message = (
                f"level {level.id!r} has {counts[index]} cards, fewer than 60% of the "
                f"{largest} in level {deck.levels[biggest].id!r}"
            )
            yield _warn("level_imbalance", message, f"/levels/{index}")
