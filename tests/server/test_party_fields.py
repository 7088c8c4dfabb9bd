"""The party wire's field types (``server.wire.party.FIELD_KINDS``) are the actions' own."""

from __future__ import annotations

from dataclasses import fields

from game.party.actions import PARTY_ACTIONS
from server.wire.party import FIELD_KINDS


def test_each_party_action_field_has_the_type_its_dataclass_declares() -> None:
    for cls in PARTY_ACTIONS:
        for f in fields(cls):
            assert FIELD_KINDS.get(f.name, "str") == f.type, (cls.name, f.name)
