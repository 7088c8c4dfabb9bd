"""The client's own-deck sealing (web-client/src/seal-deck.ts, issue 20) in Chromium,
checked against the server's own loaders: a sealed file keeps its structure and is
accepted by the sealed room's checks, every text opens with its card and field; a
problem the server finds in the sealed file maps back to the line and column the plain
validator gives for the pasted file; the word checks run in the page with the plain
validator's positions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from decks.loader import load_deck
from server.rooms.own_deck import load_own
from tests.browser.conftest import Phones
from tests.support.servers import ROOT

WEB = ROOT / "web-client"


def bundle(src: str, name: str) -> str:
    out = subprocess.run(
        [str(WEB / "node_modules" / ".bin" / "esbuild"), src, "--bundle",
         "--format=iife", f"--global-name={name}", "--target=es2020"],
        cwd=WEB, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout


@pytest.fixture(scope="module")
def bundles(client_dist: Path) -> list[str]:
    return [bundle("src/seal.ts", "ckSeal"), bundle("src/seal-deck.ts", "ckSealDeck")]


def deck(mode: str = "one", text: str = "Was hat uns heute zum Lachen gebracht?") -> str:
    """A deck file on few lines, several texts on one line: columns have to map back."""
    cards = [{"id": f"q{i}", "text": {"en": f"Grüße {i}: {text}"},
              "follow_ups": [{"text": {"en": "Und dann?"}}],
              "level": "one", "kind": "question", "mode": mode if i == 2 else "one"}
             for i in range(3)]  # fmt: skip
    head = {"id": "ours", "version": "1.0.0", "title": {"en": "Unser Deck"},
            "description": {"en": "Fragen von uns."}, "default_language": "en",
            "languages": ["en"], "authors": ["Us"], "license": "CC0-1.0", "age_rating": "all",
            "levels": [{"id": "one", "name": {"en": "Eins"},
                        "description": {"en": "Leicht."}}]}  # fmt: skip
    body = json.dumps(head)[:-1]
    return body + ',\n "cards": [\n' + ",\n".join(json.dumps(c) for c in cards) + "\n]}\n"


SEAL = """async ([src]) => {
  const key = ckSeal.newKey();
  const sealed = await ckSealDeck.sealDeck(src, key, 'K7QM3X', 1);
  window.__sealed = sealed;
  const d = JSON.parse(sealed.text);
  const where = (card, field) => ({room: 'K7QM3X', seat: 1, card, field});
  const open = (text, card, field) => ckSeal.open(key, where(card, field), text);
  return {
    text: sealed.text, problems: sealed.problems,
    opened: [await open(d.title.en, 'deck', 'title'),
             await open(d.levels[0].name.en, 'level/0', 'level_name'),
             await open(d.cards[1].text.en, 'q1', 'card'),
             await open(d.cards[1].follow_ups[0].text.en, 'q1', 'follow_up'),
             await open(d.cards[1].text.en, 'q2', 'card')],
  };
}"""


def test_a_sealed_deck_file_keeps_its_structure_and_its_problems_point_at_the_pasted_text(
    phones: Phones, bundles: list[str]
) -> None:
    phone = phones.open("seal-deck", inject_tools=True)
    phone.goto("/")
    for script in bundles:
        phone.page.add_script_tag(content=script)

    good = deck()
    out: dict[str, Any] = phone.page.evaluate(SEAL, [good])
    assert out["problems"] == [] and "Grüße" not in out["text"]
    first = json.loads(good)["cards"][1]["text"]["en"]
    assert out["opened"] == ["Unser Deck", "Eins", first, "Und dann?", None]
    accepted = load_own(out["text"], sealed=True)
    assert accepted.deck is not None and [c.id for c in accepted.deck.cards] == ["q0", "q1", "q2"]

    broken = deck(mode="uno")  # the third card's mode, after sealed texts on its line
    plain = load_deck(broken).errors
    assert plain and plain[0].code.startswith("schema/")
    out = phone.page.evaluate(SEAL, [broken])
    problems = [{"line": p.line, "column": p.column, "message": p.message}
                for p in load_own(out["text"], sealed=True).errors]  # fmt: skip
    assert problems and (problems[0]["line"], problems[0]["column"]) != (
        plain[0].line,
        plain[0].column,
    )
    mapped = phone.page.evaluate(
        "(ps) => ps.map((p) => ckSealDeck.mapBack(window.__sealed, p))", problems
    )
    assert (mapped[0]["line"], mapped[0]["column"]) == (plain[0].line, plain[0].column)

    long = deck(text="x" * 300)  # past the 300 characters a card's text may have
    out = phone.page.evaluate(SEAL, [long])
    too_long = [p for p in load_deck(long).errors if p.code == "text/too_long"]
    assert [(p["line"], p["column"]) for p in out["problems"]] == [
        (p.line, p.column) for p in too_long
    ]
    assert all("limit is 300" in p["message"] for p in out["problems"])
    assert not phone.errors, phone.errors
