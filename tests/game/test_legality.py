"""The couple's one legality table: every action has its row, ``legal`` lists exactly
the names ``refusal`` lets through, and a name let through means some value of the
action's fields is accepted by ``apply``."""

from __future__ import annotations

import inspect

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import actions as a
from game.errors import ErrorCode, GameError
from game.legality import TABLE, Row, SystemRow, legal, refusal
from game.model import Room
from game.rules import apply, new_room
from game.views import view_for
from tests.game.factories import NOW, do, lobby, shown, started
from tests.game.helpers import refused
from tests.game.test_invariants import DECK, actions_for, every_action

SEAT_NAMES = sorted(cls.name for cls in a.PLAYER_ACTIONS)
SAMPLES = every_action()


def test_every_action_has_its_row_and_no_row_is_without_an_action() -> None:
    declared = {
        cls
        for _, cls in inspect.getmembers(a, inspect.isclass)
        if issubclass(cls, a.Action) and cls is not a.Action
    }
    assert declared == {*a.PLAYER_ACTIONS, *a.SYSTEM_ACTIONS}
    assert {cls.name for cls in declared} == set(TABLE)
    for cls in a.PLAYER_ACTIONS:
        assert isinstance(TABLE[cls.name], Row), cls.name
    for cls in a.SYSTEM_ACTIONS:
        assert isinstance(TABLE[cls.name], SystemRow), cls.name


def test_every_seat_action_may_be_asked_in_some_phase_and_a_pause_lets_only_a_few_through() -> None:
    rows = [row for row in TABLE.values() if isinstance(row, Row)]
    assert all(row.phases for row in rows)
    passing = {name for name, row in TABLE.items() if isinstance(row, Row) and row.while_paused}
    assert passing == {"resume", "end", "step_back", "mark_boundary", "unmark_boundary", "pause"}


def test_a_seat_cannot_send_the_systems_actions_and_the_system_cannot_send_a_seats() -> None:
    refused(lobby(), 1, a.Join(), ErrorCode.GAME_NOT_STARTED)
    refused(started(), 0, a.Tick(), ErrorCode.TURN_WRONG_PHASE)
    refused(shown(), 0, a.HostSettings(None, True, None), ErrorCode.TURN_WRONG_PHASE)
    refused(started(), None, a.Draw(), ErrorCode.ACTION_UNKNOWN)


def test_a_seat_not_yet_joined_is_offered_nothing_and_may_do_nothing() -> None:
    room = new_room("ROOM42", DECK, seed=7)
    assert legal(room, 1) == [] and view_for(room, 1)["legal"] == []
    assert refusal(room, 1, "set_name") is ErrorCode.TURN_NOT_YOURS
    assert legal(room, 0) == [n for n in SEAT_NAMES if refusal(room, 0, n) is None]


def test_a_name_without_fields_is_let_through_when_some_value_would_be() -> None:
    room = started(DECK)
    assert refusal(room, 0, "step_back") is ErrorCode.LEVEL_NOT_LIGHTER  # at the lightest
    assert refusal(room, 0, "unstar") is ErrorCode.STAR_UNKNOWN  # nothing starred
    assert refusal(room, 0, "mark_boundary") is None  # a tag is still unmarked
    for tag in DECK.tag_ids:
        room = do(room, 0, a.MarkBoundary(tag))
    assert refusal(room, 0, "mark_boundary") is ErrorCode.BOUNDARY_ALREADY
    assert refusal(room, 0, "unmark_boundary") is None


FORWARD = {"ready", "draw", "answer", "done_speaking", "reflect", "felt_heard", "write_reveal"}


def _next(room: Room, seat: int, pick: int, now: float) -> Room:
    """A legal action of ``seat`` when it has one, else any; ``pick`` chooses, and
    mostly one that moves the game on (or the walk rarely leaves the lobby)."""
    offered = legal(room, seat)
    options = [x for x in actions_for(seat) if x.name in offered] or actions_for(seat)
    forward = [x for x in options if x.name in FORWARD]
    options = forward if forward and pick < 60 else options
    try:
        return apply(room, seat, options[pick % len(options)], now=now).room
    except GameError:
        return room


def _host(room: Room, step: int, now: float) -> Room:
    """Now and then a party host's layer or a tick, so caps, host pauses and due
    deadlines show up too."""
    settings_ = a.HostSettings((None, 0, 1)[step % 3], step % 5 == 0, now + (step % 2) * 30)
    action = settings_ if step % 2 else a.Tick()
    try:
        return apply(room, None, action, now=now).room
    except GameError:
        return room


STEPS = st.lists(st.tuples(st.integers(0, 9), st.integers(0, 1), st.integers(0, 99)), max_size=80)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STEPS, st.booleans())
def test_legal_is_exactly_the_names_refusal_lets_through_and_each_is_some_accepted_action(
    steps: list[tuple[int, int, int]], light: bool
) -> None:
    room = lobby(DECK, light=light)
    for i, (kind, seat, pick) in enumerate(steps):
        now = NOW + 7 * i
        room = _host(room, pick, now) if kind == 0 else _next(room, seat, pick, now)
        for who in (0, 1):
            offered = legal(room, who)
            assert offered == [n for n in SEAT_NAMES if refusal(room, who, n) is None]
            assert view_for(room, who)["legal"] == offered
            accepted = {x.name for x in SAMPLES if refusal(room, who, x) is None}
            assert accepted == set(offered)
