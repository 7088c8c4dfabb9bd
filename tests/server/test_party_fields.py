"""The party wire's field types (``server.wire.party.FIELD_KINDS``) are the actions' own."""

from __future__ import annotations

from dataclasses import fields

import pytest

from game.party import actions
from server.wire.party import FIELD_KINDS


@pytest.mark.skipif(
    not str(actions.__file__).endswith(".py"),
    reason="the mypyc build's annotations are type objects: checked on the sources",
)
def test_each_party_action_field_has_the_type_its_dataclass_declares() -> None:
    for cls in actions.PARTY_ACTIONS:
        for f in fields(cls):
            assert FIELD_KINDS.get(f.name, "str") == f.type, (cls.name, f.name)
