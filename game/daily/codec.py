"""A daily space <-> plain data (for stores), and its actions from the wire."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.actions import MAX_TEXT, clean_text
from game.daily.actions import (
    NAMES,
    AnswerCard,
    AnswerDeeper,
    DailyAction,
    Heart,
    MarkBoundary,
    PassDay,
    ProposeDeeper,
    SetTime,
    StepBack,
    TalkTonight,
    UnmarkBoundary,
)
from game.daily.model import Answer, Answered, Day, Partner, Proposal, Space, Tonight
from game.deck import Deck
from game.errors import ActionFormatError, ErrorCode

FORMAT = 1


# storage ----------------------------------------------------------------------------------
def _day(d: Day) -> list[Any]:
    return [
        d.day,
        d.card_id,
        d.level,
        [[a.state.value, a.text] for a in d.answers],
        d.revealed_at,
        d.kept_until,
        sorted(d.hearts),
        None if d.tonight is None else [d.tonight.room, d.tonight.invite],
    ]


def _unday(v: list[Any]) -> Day:
    day, card_id, level, answers, revealed_at, kept_until, hearts, tonight = v
    a0, a1 = (Answer(Answered(s), t) for s, t in answers)
    return Day(
        day,
        card_id,
        level,
        (a0, a1),
        revealed_at,
        kept_until,
        frozenset(hearts),
        None if tonight is None else Tonight(tonight[0], tonight[1]),
    )


def to_dict(space: Space) -> dict[str, Any]:
    """Plain data; the deck is stored by the shell (by id, or a couple's own file)."""
    return {
        "f": FORMAT,
        "deck": space.deck.id,
        "seed": space.seed,
        "seats": [[p.name, p.language, p.joined, sorted(p.boundaries)] for p in space.seats],
        "time": [space.tz, space.day_start],
        "life": [space.ends_at, space.keep_seconds, space.idle_seconds],
        "language": space.language,
        "sealed": space.sealed,
        "level": [space.level, space.shared_at_level],
        "proposal": None if space.proposal is None else [space.proposal.by, space.proposal.level],
        "current": None if space.current is None else _day(space.current),
        "history": [_day(d) for d in space.history],
        "last": [space.last_day, space.last_revealed_at],
        "dealt": sorted(space.dealt),
        "flags": [space.played_through, space.ended],
        "version": space.version,
    }


def from_dict(d: Mapping[str, Any], deck: Deck) -> Space:
    if d.get("f") != FORMAT:
        raise ValueError("not a stored daily space")
    s0, s1 = (Partner(n, lang, j, frozenset(b)) for n, lang, j, b in d["seats"])
    proposal = d["proposal"]
    return Space(
        deck=deck,
        seed=d["seed"],
        seats=(s0, s1),
        tz=d["time"][0],
        day_start=d["time"][1],
        ends_at=d["life"][0],
        keep_seconds=d["life"][1],
        idle_seconds=d["life"][2],
        language=d["language"],
        sealed=d["sealed"],
        level=d["level"][0],
        shared_at_level=d["level"][1],
        proposal=None if proposal is None else Proposal(proposal[0], proposal[1]),
        current=None if d["current"] is None else _unday(d["current"]),
        history=tuple(_unday(v) for v in d["history"]),
        last_day=d["last"][0],
        last_revealed_at=d["last"][1],
        dealt=frozenset(d["dealt"]),
        played_through=d["flags"][0],
        ended=d["flags"][1],
        version=d["version"],
    )


# the wire ---------------------------------------------------------------------------------
def _field(args: Mapping[str, object], key: str, kind: type[Any]) -> Any:
    value = args.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ActionFormatError(ErrorCode.ACTION_INVALID, key)
    return value


def action_from_wire(
    name: str, args: Mapping[str, object], *, text_limit: int = MAX_TEXT
) -> DailyAction:
    """A seat's action from its wire name and fields (``ActionFormatError`` otherwise).
    ``join`` and ``tick`` are the server's own: never taken from a client. An answer is
    checked as live play's texts are (``game.actions.clean_text``), within ``text_limit``:
    the server passes a sealed envelope's length for a sealed space, as for live rooms."""
    match name:
        case "answer":
            return AnswerCard(clean_text(_field(args, "text", str), limit=text_limit))
        case "pass_day":
            return PassDay()
        case "propose_deeper":
            return ProposeDeeper()
        case "answer_deeper":
            return AnswerDeeper(_field(args, "accept", bool))
        case "step_back":
            return StepBack()
        case "mark_boundary":
            return MarkBoundary(_field(args, "tag", str))
        case "unmark_boundary":
            return UnmarkBoundary(_field(args, "tag", str))
        case "heart":
            return Heart(_field(args, "day", str))
        case "set_time":
            return SetTime(_field(args, "tz", str), _field(args, "day_start", int))
        case "talk_tonight":
            day, room = _field(args, "day", str), _field(args, "room", str)
            return TalkTonight(day, room, _field(args, "invite", str))
    raise ActionFormatError(ErrorCode.ACTION_UNKNOWN, name[:40])


def wire_name(action: DailyAction) -> str:
    return NAMES[type(action)]
