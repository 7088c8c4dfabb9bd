"""Boundaries hold in every shipped deck: one vocabulary, tagged cards and follow-ups, and
a linter that would have caught the leaks found in the decks before issue 15."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deck_support import BUILTIN

from decks.cli import load_file
from decks.report import lint_report
from decks.sensitivity import boundary_problems
from decks.vocabulary import vocabulary
from game.deck import APART_TAGS, Card, CardKind, CardMode, FollowUp

# The cards as they shipped before this issue (text, kind, tags and follow-ups), with
# the topic a careful reader found missing and where: "card" or "follow-up".
LEAKS = [
    ("w03", "question", "Which food from when you were little do you still secretly enjoy?", "Welches Essen aus deiner Kindheit isst du heimlich immer noch gern?", (), (("Who used to make it?", "Wer hat es damals zubereitet?"),), "family", "follow-up"),
    ("c16", "action", "Hold hands and take five slow breaths together, then each say how you feel right now.", "Haltet euch an den Händen und atmet fünfmal langsam gemeinsam. Dann sagt ihr beide, wie es euch gerade geht.", (), (), "touch", "card"),
    ("c22", "question", "Which person who taught you something left a lasting mark on you?", "Welcher Mensch, der dir etwas beigebracht hat, hat bleibende Spuren bei dir hinterlassen?", (), (("What would you say to them today?", "Was würdest du diesem Menschen heute sagen?"),), "loss", "follow-up"),
    ("v17", "question", "Which belief you grew up with have you had to unlearn?", "Welche Überzeugung aus deiner Herkunftsfamilie musstest du erst ablegen?", ("family",), (("What replaced it?", "Was ist an ihre Stelle getreten?"),), "faith", "card"),
    ("v18", "action", "Place a hand on each other's heart and take turns saying one thing you wish for the other.", "Legt euch gegenseitig eine Hand aufs Herz und sagt abwechselnd, was ihr euch füreinander wünscht.", (), (), "touch", "card"),
    ("v29", "question", "Which old shame would you like to finally set down?", "Welche alte Scham möchtest du endlich ablegen?", (), (("What would help you put it down?", "Was würde dir helfen, es loszulassen?"),), "mental-health", "card"),
    ("v33", "action", "Sit facing each other, hold both hands, and take turns finishing the sentence: “One thing I treasure about you is…”", "Setzt euch gegenüber, haltet euch an beiden Händen und vervollständigt abwechselnd den Satz: „Etwas, das ich an dir sehr schätze, ist …“", (), (), "touch", "card"),
    ("m-s04", "question", "Tell about your first job or the first money you earned yourself.", "Erzähl von deinem ersten Job oder deinem ersten selbst verdienten Geld.", ("work",), (("What did you spend it on?", "Wofür hast du es ausgegeben?"),), "money", "card"),
    ("m-v03", "question", "Which cause or issue do you care about most?", "Welches Anliegen liegt dir besonders am Herzen?", (), (("How did it become important to you?", "Wie wurde es dir wichtig?"),), "politics", "card"),
    ("m-v20", "question", "Which tradition or celebration matters most to you?", "Welche Tradition oder welches Fest ist dir am wichtigsten?", (), (), "faith", "card"),
    ("m-v21", "question", "What do you hope the world looks like in twenty years?", "Wie soll die Welt in zwanzig Jahren deiner Hoffnung nach aussehen?", ("future",), (), "politics", "card"),
    ("s2-03", "question", "How has your idea of a good relationship changed over time?", "Wie hat sich deine Vorstellung von einer guten Beziehung mit der Zeit verändert?", (), (), "past-relationships", "card"),
]  # fmt: skip


@pytest.mark.parametrize("leak", LEAKS, ids=lambda leak: leak[0])
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_linter_would_have_caught_each_leak_found_before_issue_15(
    leak: tuple[str, str, str, str, tuple[str, ...], tuple[tuple[str, str], ...], str, str],
    language: str,
) -> None:
    cid, kind, en, de, tags, follow_ups, topic, where = leak
    card = Card(
        id=cid,
        level=0,
        kind=CardKind(kind),
        mode=CardMode.BOTH,
        text={"en": en, "de": de},
        tags=frozenset(tags),
        follow_ups=tuple(FollowUp({"en": f_en, "de": f_de}) for f_en, f_de in follow_ups),
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
    assert APART_TAGS <= set(vocabulary().by_id)


def test_every_vocabulary_topic_has_an_english_and_german_label_and_cues() -> None:
    for topic in vocabulary().topics:
        assert {"en", "de"} <= set(topic.label), topic.id
        if topic.sensitive:
            assert {"en", "de"} <= set(topic.cues), topic.id
            assert all(c.strong is not None for c in topic.cues.values()), topic.id


def test_the_vocabulary_holds_the_topics_the_deck_guide_names() -> None:
    named = {
        "family", "past-relationships", "sex", "body", "touch", "money", "work", "health",
        "mental-health", "faith", "politics", "children", "loss", "conflict",
    }  # fmt: skip
    assert named <= set(vocabulary().by_id)
