"""Which seat does what next, from the two seats' views alone (the same policy as the
Node generator's policy.js, plus a random mode for the soak and a finishing mode for
tests that play a game to its end)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

View = dict[str, Any]

PRIORITY: tuple[str, ...] = (
    "ready", "accept_deeper", "draw", "answer", "done_speaking", "reflect", "felt_heard",
    "write_reveal", "propose_deeper", "skip_closing", "play_again", "end",
)  # fmt: skip
# Rooms are sealed by default (issue 20): a typed text travels as an envelope, which the
# server checks for shape and size only. This one has the shape and size (the 64-byte
# bucket) of a short answer sealed by the web client; its bytes are random (the same as
# policy.js's).
TEXT = (
    "ck1.AbZmkIuHkzg5xkPgl5zyoDDLlDA6mh80HVeeBfBKN6ntQyJgLyC8sIIGWezSe60awCZrYmhT07DV3GLA7etzEM4wmI4"
    "m9u5vMxu9WRr8Cr82TsbaciMi9ppBmbAH"
)
# Moves a couple makes besides progress: each is legal only when the view says so.
DETOURS = (
    "pass", "skip", "react", "star", "pause", "resume", "step_back", "mark_boundary",
    "unmark_boundary", "decline_deeper", "withdraw_proposal", "try_again", "propose_deeper",
)  # fmt: skip


@dataclass(frozen=True)
class Choice:
    seat: int
    action: str
    fields: dict[str, Any] = field(default_factory=dict)


def allowed(view: View | None, action: str) -> bool:
    if not view or action not in view.get("legal", ()):
        return False
    reveal = view.get("reveal")
    if action == "write_reveal" and reveal and reveal.get("submitted"):
        return not reveal["submitted"][view["you"]]
    return True


def fields_for(view: View, action: str, rng: random.Random | None = None) -> dict[str, Any]:
    pick = (rng or random.Random(0)).choice
    if action == "write_reveal":
        return {"text": TEXT}
    if action in ("done_speaking", "reflect") and rng is not None and rng.random() < 0.5:
        return {"text": TEXT}
    if action == "react":
        return {"reaction": pick(["heart", "me_too"])}
    if action == "step_back":
        return {"level": pick(range(int(view["level"])))}
    if action == "mark_boundary":
        marked = set(view.get("boundaries", ()))
        return {"tag": pick([t["id"] for t in view["deck"]["tags"] if t["id"] not in marked])}
    if action == "unmark_boundary":
        return {"tag": pick(list(view["boundaries"]))}
    if action == "unstar":
        return {"card": pick(list(view["stars"]))}
    if action == "pass" and rng is not None:
        return {"avoid_topic": rng.random() < 0.2}
    return {}


def choose(views: list[View | None], last_actor: int, *, finishing: bool = False) -> Choice | None:
    """Progress first, asking the seat that just saw its partner's move first."""
    order = (1, 0) if last_actor == 0 else (0, 1)
    priority = PRIORITY
    if finishing:  # end at the next chance, skip the closing card, never play again
        priority = ("end", "skip_closing", *(a for a in PRIORITY if a not in ("play_again",)))
    for action in priority:
        for seat in order:
            view = views[seat]
            if view and view.get("phase") == "ended" and finishing:
                return None
            if allowed(view, action):
                return Choice(seat, action, fields_for(view or {}, action))
    return None


def choose_random(views: list[View | None], last_actor: int, rng: random.Random) -> Choice | None:
    """Mostly progress, sometimes a detour (pass, skip, pause, boundaries, stepping back)."""
    if rng.random() < 0.25:
        options = [
            (seat, action) for seat in (0, 1) for action in DETOURS if allowed(views[seat], action)
        ]
        if options:
            seat, action = rng.choice(options)
            return Choice(seat, action, fields_for(views[seat] or {}, action, rng))
    # A paused game only moves on when it is resumed.
    for seat in (0, 1):
        if allowed(views[seat], "resume"):
            return Choice(seat, "resume")
    choice = choose(views, last_actor)
    if choice and choice.action in ("done_speaking", "reflect"):
        view = views[choice.seat] or {}
        return Choice(choice.seat, choice.action, fields_for(view, choice.action, rng))
    return choice
