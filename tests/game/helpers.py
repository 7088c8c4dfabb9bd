from __future__ import annotations

import pytest

from game import actions as a
from game.errors import ErrorCode, RuleViolation
from game.model import Room
from game.rules import apply
from tests.game.factories import NOW


def refused(room: Room, seat: int | None, action: a.Action, code: ErrorCode) -> None:
    with pytest.raises(RuleViolation) as info:
        apply(room, seat, action, now=NOW)
    assert info.value.code is code
