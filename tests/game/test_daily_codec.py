"""Daily spaces: stored and read back unchanged; actions from the wire, refused when malformed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.daily import (
    AnswerCard,
    Heart,
    MarkBoundary,
    PassDay,
    ProposeDeeper,
    SetTime,
    TalkTonight,
    apply_daily,
)
from game.daily.codec import action_from_wire, from_dict, to_dict, wire_name
from game.daily.model import DAY
from game.errors import ActionFormatError, ErrorCode
from tests.game.daily_helpers import at, couple, tick_if_due


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(["a0", "a1", "p0", "p1", "mark", "heart", "day"]), max_size=30))
def test_a_stored_space_reads_back_equal(steps: list[str]) -> None:
    space, now = couple(), at("2026-12-03 21:00")
    for n, step in enumerate(steps):
        seat = 1 if step.endswith("1") else 0
        if step[0] in "ap" and space.current is not None:
            act = AnswerCard(f"t{n}") if step[0] == "a" else PassDay()
            space = apply_daily(space, seat, act, now).space
        elif step == "mark" and "money" not in space.seats[1].boundaries:
            space = apply_daily(space, 1, MarkBoundary("money"), now).space
        elif step == "heart" and space.history:
            space = apply_daily(space, 0, Heart(space.history[-1].day), now).space
        elif step == "day":
            now += DAY
            space = tick_if_due(space, now)
        assert from_dict(to_dict(space), space.deck) == space


def test_actions_come_from_their_wire_names_and_fields() -> None:
    cases = [
        ("answer", {"text": "x"}, AnswerCard("x")),
        ("pass_day", {}, PassDay()),
        ("propose_deeper", {}, ProposeDeeper()),
        ("set_time", {"tz": "Europe/Berlin", "day_start": 5}, SetTime("Europe/Berlin", 5)),
        ("talk_tonight", {"day": "2026-12-03", "room": "K", "invite": "i"},
         TalkTonight("2026-12-03", "K", "i")),
    ]  # fmt: skip
    for name, args, action in cases:
        assert action_from_wire(name, args) == action
        assert wire_name(action) == name


@pytest.mark.parametrize(
    ("name", "args", "code"),
    [
        ("tick", {}, ErrorCode.ACTION_UNKNOWN),
        ("join", {"seat": 1, "name": "x"}, ErrorCode.ACTION_UNKNOWN),
        ("answer", {"text": 5}, ErrorCode.ACTION_INVALID),
        ("answer_deeper", {"accept": "yes"}, ErrorCode.ACTION_INVALID),
        ("set_time", {"tz": "UTC", "day_start": True}, ErrorCode.ACTION_INVALID),
    ],
)
def test_the_servers_own_actions_and_malformed_fields_are_refused(
    name: str, args: dict[str, object], code: ErrorCode
) -> None:
    with pytest.raises(ActionFormatError) as refused:
        action_from_wire(name, args)
    assert refused.value.code is code
