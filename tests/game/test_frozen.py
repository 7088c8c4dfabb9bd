"""``game.frozen.replace`` is ``dataclasses.replace``, only faster for the engine's state."""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass

import pytest

from game import actions as a
from game.frozen import maker, replace
from game.model import Notice, Phase, Proposal, Room, Seat, Turn
from tests.game.factories import do, shown


def test_a_copied_room_equals_the_stdlib_copy_field_for_field() -> None:
    room = do(shown(), 0, a.Star())
    changes: dict[str, object] = {
        "phase": Phase.BETWEEN,
        "notice": Notice.SKIPPED,
        "proposal": Proposal(1, 2),
        "dealt": ("x", "y"),
    }
    mine, stdlib = replace(room, **changes), dataclasses.replace(room, **changes)  # type: ignore[arg-type]
    assert type(mine) is Room
    for f in dataclasses.fields(Room):
        copied, expected = getattr(mine, f.name), getattr(stdlib, f.name)
        if isinstance(expected, tuple):  # compiled by mypyc, a fixed-size tuple is stored
            # unboxed and each read builds a new one: the same items, not the same tuple
            assert copied == expected and all(map(operator.is_, copied, expected)), f.name
        else:
            assert copied is expected, f.name
    assert mine.phase is Phase.BETWEEN and room.phase is Phase.SHOWN


def test_a_copy_without_changes_is_a_new_equal_object() -> None:
    turn = Turn("c1", 1, reactions=((0, "heart"),))
    seat = Seat(name="Ana", stars=("c1",))
    assert replace(turn) == turn and replace(turn) is not turn
    assert replace(seat, ready=True) == Seat(name="Ana", ready=True, stars=("c1",))


def test_a_copy_stays_frozen_and_hashable_like_the_original() -> None:
    seat = replace(Seat(), name="Bo")
    with pytest.raises(dataclasses.FrozenInstanceError):
        seat.name = "Cy"  # type: ignore[misc]
    assert hash(seat) == hash(Seat(name="Bo"))


def test_an_unknown_field_is_refused_as_by_the_stdlib() -> None:
    with pytest.raises(TypeError):
        replace(Seat(), colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        dataclasses.replace(Seat(), colour="red")  # type: ignore[call-arg]


@dataclass(frozen=True, slots=True)
class _Checked:
    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low above high")


@dataclass(frozen=True)
class _NoSlots:
    a: int
    b: int = 0


def test_classes_it_cannot_copy_safely_go_to_the_stdlib() -> None:
    with pytest.raises(ValueError):  # __post_init__ still runs
        replace(_Checked(1, 2), low=3)
    assert replace(_NoSlots(1), b=2) == _NoSlots(1, 2)
    with pytest.raises(TypeError):
        replace(object())  # type: ignore[type-var]


def test_a_made_room_equals_one_built_by_its_init() -> None:
    room = shown()
    values = {f.name: getattr(room, f.name) for f in dataclasses.fields(Room)}
    assert maker(Room)(**values) == Room(**values)
    assert maker(Seat)("Ana", "de") == Seat("Ana", "de")  # defaults as in __init__
    assert maker(Turn)("c1", 1, closing=True) == Turn("c1", 1, closing=True)
    with pytest.raises(TypeError):
        maker(Seat)(colour="red")  # type: ignore[call-arg]


@dataclass(frozen=True, slots=True)
class _Factory:
    items: list[int] = dataclasses.field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class _KeywordOnly:
    a: int


@dataclass(frozen=True, slots=True)
class _Private:
    _cls: int


def test_classes_it_cannot_make_safely_are_made_by_their_own_init() -> None:
    for cls in (_Checked, _NoSlots, _Factory, _KeywordOnly, _Private, int):
        assert maker(cls) is cls
