from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import actions as a
from game.actions import clean_text
from game.errors import ActionFormatError, ErrorCode
from game.events import Event
from tests.game.factories import deck

DECKS = {"test": deck()}


def wire(name: str, **args: object) -> a.Action:
    return a.from_wire(name, args, DECKS)


def bad(code: ErrorCode, name: str, **args: object) -> None:
    with pytest.raises(ActionFormatError) as info:
        wire(name, **args)
    assert info.value.code is code


def test_every_player_action_has_a_wire_name() -> None:
    assert set(a.BY_NAME) == {c.name for c in a.PLAYER_ACTIONS}
    assert wire("draw") == a.Draw()
    assert wire("pass", avoid_topic=True) == a.Pass(avoid_topic=True)
    assert wire("step_back", level=1) == a.StepBack(1)
    assert wire("choose_deck", deck="test") == a.ChooseDeck(DECKS["test"])
    assert wire("done_speaking") == a.DoneSpeaking(None)
    assert wire("set_light_mode", on=True) == a.SetLightMode(True)


def test_unknown_action_and_system_actions_are_not_accepted_from_the_wire() -> None:
    bad(ErrorCode.ACTION_UNKNOWN, "fly")
    bad(ErrorCode.ACTION_UNKNOWN, "join")
    bad(ErrorCode.ACTION_UNKNOWN, "host_settings")
    bad(ErrorCode.ACTION_UNKNOWN, "tick")


def test_fields_are_checked_for_type_and_presence() -> None:
    bad(ErrorCode.ACTION_INVALID, "step_back", level="1")
    bad(ErrorCode.ACTION_INVALID, "step_back", level=True)
    bad(ErrorCode.ACTION_INVALID, "step_back", level=10**30)
    bad(ErrorCode.ACTION_INVALID, "pass", avoid_topic="yes")
    bad(ErrorCode.ACTION_INVALID, "draw", extra=1)
    bad(ErrorCode.ACTION_INVALID, "write_reveal")
    bad(ErrorCode.ACTION_INVALID, "reflect", text=5)
    bad(ErrorCode.ACTION_INVALID, "mark_boundary", tag=None)
    bad(ErrorCode.LOBBY_UNKNOWN_DECK, "choose_deck", deck="nope")


def test_text_is_nfc_normalised_and_limited() -> None:
    action = wire("write_reveal", text="Cafe\u0301")
    assert isinstance(action, a.WriteReveal) and action.text == "Café"
    bad(ErrorCode.TEXT_TOO_LONG, "write_reveal", text="x" * 2001)
    bad(ErrorCode.TEXT_INVALID, "write_reveal", text="a\x00b")
    bad(ErrorCode.TEXT_INVALID, "done_speaking", text="\ud800")
    assert wire("done_speaking", text="line\nbreak") == a.DoneSpeaking("line\nbreak")


def test_names_are_trimmed_limited_and_never_empty() -> None:
    assert wire("set_name", value="  Ana ") == a.SetName("Ana")
    bad(ErrorCode.NAME_INVALID, "set_name", value="   ")
    bad(ErrorCode.NAME_INVALID, "set_name", value="n" * 41)
    bad(ErrorCode.NAME_INVALID, "set_name", value="bell\x07")


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(
    st.sampled_from([*a.BY_NAME, "nope"]), st.dictionaries(st.text(max_size=12), values, max_size=4)
)
def test_arbitrary_fields_give_an_action_or_a_format_error(
    name: str, args: dict[str, object]
) -> None:
    try:
        action = a.from_wire(name, args, DECKS)
    except ActionFormatError:
        return
    assert action.name == name


def test_events_serialise_without_private_fields() -> None:
    assert Event("card_dealt", 0, card="c1", level=2).as_dict() == {
        "name": "card_dealt", "seat": 0, "card": "c1", "level": 2
    }  # fmt: skip
    assert Event("game_started").as_dict() == {"name": "game_started"}


@given(st.text(max_size=60))
def test_a_text_is_refused_exactly_when_it_holds_a_control_character_other_than_tab_or_newline(
    text: str,
) -> None:
    control = any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text)
    try:
        clean_text(text, limit=1000)
    except ActionFormatError as exc:
        lone_surrogate = any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)
        assert exc.code is ErrorCode.TEXT_INVALID and (control or lone_surrogate)
    else:
        assert not control
