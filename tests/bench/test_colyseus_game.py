"""The Colyseus game peer plays Closeknit's game, not a skeleton of it: cards come from
the shipped deck, moves out of phase or out of turn are refused with Closeknit's codes,
and each seat's private fields (its legal moves, its draft, the listener's follow-ups)
reach that seat only, through Colyseus's StateView."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from bench import procs

pytestmark = pytest.mark.slow
PROBE = procs.ROOT / "tests" / "bench" / "colyseus_game_probe.js"


@pytest.fixture(scope="module")
def probe(node: str) -> dict[str, Any]:
    peer = procs.start_colyseus_game()
    try:
        out = subprocess.run(
            [node, str(PROBE), peer.ws], capture_output=True, text=True, timeout=30, check=False
        )
    finally:
        peer.stop()
    assert out.returncode == 0, out.stderr
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def views(probe: dict[str, Any], label: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = next(e["views"] for e in probe["log"] if e["label"] == label)
    return found


def test_moves_out_of_phase_or_turn_are_refused_with_closeknits_codes(
    probe: dict[str, Any],
) -> None:
    refused = [(r["seat"], r["move"], r["code"]) for r in probe["refusals"]]
    assert refused[:7] == [
        (1, "draw", "game/not_started"),  # still in the lobby
        (0, "ready", "lobby/not_in_lobby"),
        (0, "answer", "card/not_on_table"),
        (0, "play_again", "game/not_ended"),
        (1, "draw", "turn/not_yours"),  # seat 0 draws first
        (0, "felt_heard", "turn/wrong_phase"),  # the card is there, the step is wrong
        (1, "answer", "turn/not_yours"),  # only the speaker answers
    ]
    if "spoken" in {e["label"] for e in probe["log"]}:
        assert refused[7:] == [(0, "reflect", "turn/listener_only")]


def test_each_seat_sees_its_own_private_fields_and_not_its_partners(
    probe: dict[str, Any],
) -> None:
    for entry in probe["log"]:
        for you, view in enumerate(entry["views"]):
            mine, theirs = view["seats"][you], view["seats"][1 - you]
            assert mine["legal"] is not None, entry["label"]
            assert theirs["legal"] is None and theirs["draft"] is None, entry["label"]
            assert theirs["followUps"] is None, entry["label"]
    lobby = views(probe, "joined")
    assert [v["seats"][i]["legal"] for i, v in enumerate(lobby)] == [["ready"], ["ready"]]
    between = views(probe, "ready")
    assert between[0]["phase"] == "between"
    assert "draw" in between[0]["seats"][0]["legal"]
    assert "draw" not in between[1]["seats"][1]["legal"]


def test_the_card_on_the_table_is_a_card_of_the_shipped_deck(probe: dict[str, Any]) -> None:
    deck = json.loads((procs.ROOT / "decks" / "builtin" / "closer.json").read_text())
    texts = {card["id"]: card["text"]["en"] for card in deck["cards"]}
    drawn = views(probe, "drawn")
    card = drawn[0]["card"]
    assert card == drawn[1]["card"] and card["text"] == texts[card["id"]]
    assert drawn[0]["deck"] == "Closer"


def test_typed_text_and_follow_ups_are_shown_as_the_rules_say(probe: dict[str, Any]) -> None:
    labels = {e["label"] for e in probe["log"]}
    if "both_wrote" in labels:  # a reveal card: drafts private until both wrote
        one = views(probe, "one_wrote")
        assert one[0]["seats"][0]["draft"] == "Ana's secret" and one[0]["revealed"] == []
        assert one[1]["seats"][0]["submitted"] is True
        both = views(probe, "both_wrote")
        assert both[1]["revealed"] == ["Ana's secret", "Bo's secret"]
        return
    spoken = views(probe, "spoken")
    assert [v["spoken"] for v in spoken] == ["What Ana said."] * 2
    # Follow-ups go to the listener while reflecting, never to the speaker.
    assert spoken[0]["seats"][0]["followUps"] == []
    deck = json.loads((procs.ROOT / "decks" / "builtin" / "closer.json").read_text())
    card = next(c for c in deck["cards"] if c["id"] == spoken[1]["card"]["id"])
    expected = [f["en"] for f in card.get("follow_ups", [])]
    assert spoken[1]["seats"][1]["followUps"] == expected
    assert [v["reflection"] for v in views(probe, "reflected")] == ["What Bo heard."] * 2
    heard = views(probe, "heard")
    assert heard[0]["phase"] == "between" and heard[0]["speaker"] == 1  # the partner draws
