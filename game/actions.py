"""What a player asks for, imperative. Each action has a stable wire name.

``from_wire`` builds an action from a decoded message's name and fields, checking
field names and types; it raises ``ActionFormatError`` and never anything else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import ClassVar, TypeVar

from game.deck import OWN_DECK_ID, Deck
from game.errors import ActionFormatError, ErrorCode

MAX_TEXT = 2000
MAX_NAME = 40
REACTIONS = ("heart", "me_too")
T = TypeVar("T")


class _Named:
    """``name``, an action's stable wire name, is given to each class by ``_named`` where
    the classes are listed (``PLAYER_ACTIONS``, ``SYSTEM_ACTIONS``), not as a ``ClassVar``
    value in its dataclass body: mypyc (the optional compiled build, scripts/build_mypyc.py)
    turns a ``ClassVar`` with a value in a dataclass body into a field (mypyc/mypyc#1122)."""

    __slots__ = ()
    name: ClassVar[str] = ""


@dataclass(frozen=True, slots=True)
class Action(_Named):
    """What a player (or the server) asks of a room."""


# lobby ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SetName(Action):
    value: str


@dataclass(frozen=True, slots=True)
class SetLanguage(Action):
    language: str


@dataclass(frozen=True, slots=True)
class ChooseDeck(Action):
    deck: Deck


@dataclass(frozen=True, slots=True)
class AcceptDeck(Action):
    """The partner of whoever added the couple's own deck: play with it."""


@dataclass(frozen=True, slots=True)
class RemoveDeck(Action):
    """Either seat: take the couple's own deck out of the room (back to the deck before)."""


@dataclass(frozen=True, slots=True)
class SetLightMode(Action):
    on: bool


@dataclass(frozen=True, slots=True)
class SetApart(Action):
    """ "Apart tonight": the couple plays on a call, so touch cards are not dealt."""

    on: bool


@dataclass(frozen=True, slots=True)
class Ready(Action):
    pass


@dataclass(frozen=True, slots=True)
class Unready(Action):
    pass


# boundaries -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MarkBoundary(Action):
    tag: str


@dataclass(frozen=True, slots=True)
class UnmarkBoundary(Action):
    tag: str


# cards and turns --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Draw(Action):
    pass


@dataclass(frozen=True, slots=True)
class Answer(Action):
    pass


@dataclass(frozen=True, slots=True)
class Pass(Action):
    avoid_topic: bool = False


@dataclass(frozen=True, slots=True)
class Skip(Action):
    pass


@dataclass(frozen=True, slots=True)
class DoneSpeaking(Action):
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Reflect(Action):
    text: str | None = None


@dataclass(frozen=True, slots=True)
class FeltHeard(Action):
    pass


@dataclass(frozen=True, slots=True)
class TryAgain(Action):
    pass


@dataclass(frozen=True, slots=True)
class WriteReveal(Action):
    text: str


@dataclass(frozen=True, slots=True)
class React(Action):
    reaction: str


@dataclass(frozen=True, slots=True)
class Star(Action):
    pass


@dataclass(frozen=True, slots=True)
class Unstar(Action):
    card: str


# levels -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ProposeDeeper(Action):
    pass


@dataclass(frozen=True, slots=True)
class AcceptDeeper(Action):
    pass


@dataclass(frozen=True, slots=True)
class DeclineDeeper(Action):
    pass


@dataclass(frozen=True, slots=True)
class WithdrawProposal(Action):
    pass


@dataclass(frozen=True, slots=True)
class StepBack(Action):
    level: int


# pause, end, again ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Pause(Action):
    pass


@dataclass(frozen=True, slots=True)
class Resume(Action):
    pass


@dataclass(frozen=True, slots=True)
class End(Action):
    pass


@dataclass(frozen=True, slots=True)
class SkipClosing(Action):
    pass


@dataclass(frozen=True, slots=True)
class PlayAgain(Action):
    pass


# system actions: sent by the server or a party host, never by a seat's message ------
@dataclass(frozen=True, slots=True)
class Join(Action):
    """The second seat is taken (the server checked the invite or the admission)."""


@dataclass(frozen=True, slots=True)
class HostSettings(Action):
    """A party host's layer over a table: level cap, pause of all tables, round deadline."""

    level_cap: int | None
    host_paused: bool
    round_deadline: float | None


@dataclass(frozen=True, slots=True)
class Tick(Action):
    """Fires deadlines that have passed. Safe to run twice."""


def _named(*pairs: tuple[type[Action], str]) -> tuple[type[Action], ...]:
    """Give each action class its wire name; the classes, in order."""
    for cls, name in pairs:
        cls.name = name
    return tuple(cls for cls, _ in pairs)


@dataclass(frozen=True, slots=True)
class AddDeck(Action):
    """A couple's own deck, added by seat ``by``: the server built ``deck`` from the file
    that seat uploaded (docs/protocol.md), so no socket message can carry it."""

    deck: Deck
    by: int


PLAYER_ACTIONS: tuple[type[Action], ...] = _named(
    (SetName, "set_name"),
    (SetLanguage, "set_language"),
    (ChooseDeck, "choose_deck"),
    (AcceptDeck, "accept_deck"),
    (RemoveDeck, "remove_deck"),
    (SetLightMode, "set_light_mode"),
    (SetApart, "set_apart"),
    (Ready, "ready"),
    (Unready, "unready"),
    (MarkBoundary, "mark_boundary"),
    (UnmarkBoundary, "unmark_boundary"),
    (Draw, "draw"),
    (Answer, "answer"),
    (Pass, "pass"),
    (Skip, "skip"),
    (DoneSpeaking, "done_speaking"),
    (Reflect, "reflect"),
    (FeltHeard, "felt_heard"),
    (TryAgain, "try_again"),
    (WriteReveal, "write_reveal"),
    (React, "react"),
    (Star, "star"),
    (Unstar, "unstar"),
    (ProposeDeeper, "propose_deeper"),
    (AcceptDeeper, "accept_deeper"),
    (DeclineDeeper, "decline_deeper"),
    (WithdrawProposal, "withdraw_proposal"),
    (StepBack, "step_back"),
    (Pause, "pause"),
    (Resume, "resume"),
    (End, "end"),
    (SkipClosing, "skip_closing"),
    (PlayAgain, "play_again"),
)
SYSTEM_ACTIONS: tuple[type[Action], ...] = _named(
    (Join, "join"), (HostSettings, "host_settings"), (Tick, "tick"), (AddDeck, "add_deck")
)
BY_NAME: dict[str, type[Action]] = {a.name: a for a in PLAYER_ACTIONS}
# Each action's fields in declaration order (the order they are checked in), and as a set.
FIELD_NAMES: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    a.name: (tuple(f.name for f in fields(a)), frozenset(f.name for f in fields(a)))
    for a in PLAYER_ACTIONS
}


# Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F, exactly),
# but for tab and newline; one regex search instead of a category lookup per character.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str, *, limit: int, code: ErrorCode = ErrorCode.TEXT_INVALID) -> str:
    """NFC-normalised text without control characters or lone surrogates."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ActionFormatError(code, "text has a lone surrogate") from None
    text = unicodedata.normalize("NFC", value)
    if _CONTROL.search(text):
        raise ActionFormatError(code, "text has a control character")
    if len(text) > limit:  # a name's limit is part of what makes it valid
        too_long = code if code is ErrorCode.NAME_INVALID else ErrorCode.TEXT_TOO_LONG
        raise ActionFormatError(too_long, f"at most {limit} characters")
    return text


def from_wire(
    name: str,
    args: Mapping[str, object],
    decks: Mapping[str, Deck],
    *,
    text_limit: int = MAX_TEXT,
) -> Action:
    """Build the player action ``name`` from decoded ``args`` (a message's fields)."""
    cls = BY_NAME.get(name)
    if cls is None:
        raise ActionFormatError(ErrorCode.ACTION_UNKNOWN, f"unknown action {name!r}")
    if cls is ChooseDeck:
        if args.get("deck") == OWN_DECK_ID:  # the couple's own deck is accepted, not chosen
            raise ActionFormatError(ErrorCode.LOBBY_UNKNOWN_DECK, "no such deck")
        deck = decks.get(_field(args, "deck", str))
        if deck is None:
            raise ActionFormatError(ErrorCode.LOBBY_UNKNOWN_DECK, "no such deck")
        return ChooseDeck(deck)
    names, allowed = FIELD_NAMES[name]
    values = {key: _convert(cls, key, args, text_limit) for key in names}
    if not allowed.issuperset(args):
        extra = set(args) - allowed
        raise ActionFormatError(ErrorCode.ACTION_INVALID, f"unexpected field {min(extra)!r}")
    return cls(**values)


def _convert(
    cls: type[Action], key: str, args: Mapping[str, object], text_limit: int = MAX_TEXT
) -> object:
    if cls is SetName:
        value = clean_text(_field(args, key, str), limit=MAX_NAME, code=ErrorCode.NAME_INVALID)
        if not value.strip():
            raise ActionFormatError(ErrorCode.NAME_INVALID, "a name cannot be empty")
        return value.strip()
    if key == "text":
        optional = cls in (DoneSpeaking, Reflect)
        raw = args.get(key) if optional else _field(args, key, str)
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise ActionFormatError(ErrorCode.ACTION_INVALID, "field 'text' must be text")
        return clean_text(raw, limit=text_limit)
    if key in ("avoid_topic", "on"):
        default: object = False if key == "avoid_topic" else None
        flag = args.get(key, default)
        if not isinstance(flag, bool):
            raise ActionFormatError(ErrorCode.ACTION_INVALID, f"field {key!r} must be true/false")
        return flag
    if key == "level":
        # True is an int too; asked of the value as sent (compiled by mypyc, ``level`` is a
        # native int, which no longer knows it was a bool).
        sent_a_bool = isinstance(args.get(key), bool)
        level = _field(args, key, int)
        if sent_a_bool or not 0 <= level < 100:
            raise ActionFormatError(ErrorCode.ACTION_INVALID, "field 'level' is out of range")
        return level
    return clean_text(_field(args, key, str), limit=64)


def _field(args: Mapping[str, object], key: str, kind: type[T]) -> T:
    value = args.get(key)
    if not isinstance(value, kind):
        raise ActionFormatError(ErrorCode.ACTION_INVALID, f"field {key!r} is missing or mistyped")
    return value
