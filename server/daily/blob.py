"""A daily space as the store keeps it: ``{"f": 1, "k": "daily", "space": ..., "acts":
[...], "push": [sub0, sub1]}``.

Revealed answers are never in the blob: each lives under its own store key that expires
at its ``kept_until`` (``text_names``); ``strip`` takes them out before a write, and
``fill`` puts back the ones the store still keeps after a read. Unrevealed answers stay in
the blob, which expires with the space.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import msgspec

from game import Deck
from game.daily import Space
from game.daily.codec import from_dict, to_dict
from game.daily.model import Answer, Day

FORMAT = 1
KIND = "daily"
CODE_LENGTH = 7  # a live room's code has 6: a page tells the kinds apart by the code
Act = tuple[int, str, int]  # (seat, action id, version it made)
_encoder = msgspec.msgpack.Encoder()


@dataclass(frozen=True, slots=True)
class DailyState:
    space: Space
    acts: tuple[Act, ...] = ()
    push: tuple[dict[str, Any] | None, dict[str, Any] | None] = (None, None)


def is_daily_code(code: str) -> bool:
    return len(code) == CODE_LENGTH


def text_name(day: str, seat: int) -> str:
    return f"{day}:{seat}"


def text_names(space: Space) -> list[str]:
    """The store keys of every revealed answer the space still refers to."""
    return [text_name(d.day, s) for d in space.history for s in (0, 1)]


def revealed_texts(space: Space) -> dict[str, str]:
    """Every revealed answer's text by its name (a pass has none)."""
    out = {}
    for d in space.history:
        for seat, answer in enumerate(d.answers):
            if answer.text is not None:
                out[text_name(d.day, seat)] = answer.text
    return out


def _map_answers(day: Day, text_of: Any) -> Day:
    a0, a1 = (Answer(a.state, text_of(day.day, s, a)) for s, a in enumerate(day.answers))
    return replace(day, answers=(a0, a1))


def strip(space: Space) -> Space:
    history = tuple(_map_answers(d, lambda _d, _s, _a: None) for d in space.history)
    return replace(space, history=history)


def fill(space: Space, texts: Mapping[str, str]) -> Space:
    """Revealed answers from the store; one whose key expired is left out (None)."""
    history = tuple(
        _map_answers(d, lambda day, s, _a: texts.get(text_name(day, s))) for d in space.history
    )
    return replace(space, history=history)


def remember(state: DailyState, seat: int, key: str, version: int, memory: int) -> DailyState:
    mine = [a for a in state.acts if a[0] == seat][-(memory - 1) :] if memory > 1 else []
    theirs = [a for a in state.acts if a[0] != seat]
    return replace(state, acts=(*theirs, *mine, (seat, key, version)))


def encode(state: DailyState) -> bytes:
    data = {
        "f": FORMAT,
        "k": KIND,
        "space": to_dict(strip(state.space)),
        "acts": [list(a) for a in state.acts],
        "push": list(state.push),
    }
    return _encoder.encode(data)


def decode(blob: bytes, decks: Mapping[str, Deck]) -> DailyState:
    """The stored space (without its revealed texts: ``fill`` adds them). ValueError
    when the blob is not a daily space this release understands."""
    try:
        data = msgspec.msgpack.decode(blob)
    except msgspec.DecodeError as exc:
        raise ValueError("not a daily space") from exc
    if not isinstance(data, dict) or data.get("k") != KIND or data.get("f") != FORMAT:
        raise ValueError("not a daily space of this format")
    deck = decks.get(data["space"]["deck"])
    if deck is None:
        raise ValueError("the space's deck is not on this server")
    acts = tuple((int(s), str(k), int(v)) for s, k, v in data["acts"])
    p0, p1 = data["push"]
    return DailyState(from_dict(data["space"], deck), acts, (p0, p1))
