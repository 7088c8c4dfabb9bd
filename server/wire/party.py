"""The party socket's protocol (``/ws/party``, docs/party.md): its client messages and
their parsers, on the same frames and limits as the couple socket (``wire.frames``).
The role is bound once, at ``hello``, from a checked secret (``http.party``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Final

from game import party as p
from server.errors import ErrorCode, MsgId, ProtocolError
from server.wire import frames
from server.wire.frames import Limits, Parser, action_args, only, word

ROLES: Final = ("host", "display", "guest")
LANG_MAX: Final = 16
# A guest's token as ``join`` makes it (docs/party.md): their id, a dot, their secret.
GUEST_TOKEN: Final = re.compile(r"g[0-9]{1,9}\.[A-Za-z0-9_-]{16,64}")


@dataclass(frozen=True, slots=True)
class PartyHello:
    """``token`` is a host token or display key (host, display), or a guest's token
    (None when the guest joins anew with ``name``). ``bad_token``: a guest token that
    cannot be one of ours, refused like a wrong one (``join/failed``)."""

    id: MsgId
    party: str
    role: str
    token: str | None = None
    name: str | None = None
    language: str = "en"
    bad_token: bool = False


@dataclass(frozen=True, slots=True)
class PartyAct:
    id: MsgId
    a: str
    args: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Seat:
    """A guest asks for a seat token for their table (played on ``/ws``)."""

    id: MsgId


@dataclass(frozen=True, slots=True)
class ClaimHost:
    """The guest the host role was handed to takes the console."""

    id: MsgId


@dataclass(frozen=True, slots=True)
class PartyPing:
    id: MsgId


PartyMessage = PartyHello | PartyAct | Seat | ClaimHost | PartyPing


class Codec(frames.Codec[PartyMessage]):
    """The party socket's codec: the shared frames and limits, this socket's parsers."""

    __slots__ = ()

    def __init__(self, subprotocol: str, limits: Limits | None = None) -> None:
        super().__init__(subprotocol, limits, parsers=PARSERS)


def _parse_hello(data: dict[str, object], msg_id: MsgId, limits: Limits) -> PartyHello:
    if data.get("v") is not None:
        frames.string(data, "v", max_len=16)
    code, role = word(data, "party"), word(data, "role")
    if role not in ROLES:
        raise ProtocolError(ErrorCode.BAD_FIELD, "role is host, display or guest")
    if role != "guest":
        only(data, {"v", "party", "role", "token"})
        return PartyHello(msg_id, code, role, token=word(data, "token"))
    only(data, {"v", "party", "role", "token", "name", "language"})
    if data.get("token") is not None:
        token = data.get("token")
        if not isinstance(token, str) or not 0 < len(token) <= 80:
            raise ProtocolError(ErrorCode.BAD_FIELD, "field 'token' must be a guest token")
        ours = GUEST_TOKEN.fullmatch(token) is not None
        return PartyHello(msg_id, code, role, token=token, bad_token=not ours)
    language = word(data, "language")[:LANG_MAX] if data.get("language") else "en"
    return PartyHello(msg_id, code, role, name=frames.name(data, limits), language=language)


def _parse_act(data: dict[str, object], msg_id: MsgId, limits: Limits) -> PartyAct:
    return PartyAct(msg_id, word(data, "a"), action_args(data))


def _parse_seat(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Seat:
    only(data, set())
    return Seat(msg_id)


def _parse_claim(data: dict[str, object], msg_id: MsgId, limits: Limits) -> ClaimHost:
    only(data, set())
    return ClaimHost(msg_id)


def _parse_ping(data: dict[str, object], msg_id: MsgId, limits: Limits) -> PartyPing:
    only(data, set())
    return PartyPing(msg_id)


PARSERS: Final[dict[str, Parser[PartyMessage]]] = {
    "hello": _parse_hello,
    "act": _parse_act,
    "seat": _parse_seat,
    "claim_host": _parse_claim,
    "ping": _parse_ping,
}


# The type of each party action field, by name (a name means the same in every action);
# any other field is text. Not read from the dataclasses' annotations: compiled by mypyc
# (make run MYPYC=1) they are type objects, and ``int | None`` is only ``type``.
# tests/server/test_party_fields.py checks this against the annotations.
FIELD_KINDS: Final[dict[str, str]] = {
    "on": "bool",
    "everyone": "bool",
    "levels": "int",
    "cap": "int | None",
    "seconds": "int | None",
}


def party_action(name: str, args: Mapping[str, object]) -> p.PartyAction:
    """The party action ``name`` with ``args`` typed by its fields (``choose_deck``
    needs the deck book: the socket builds it)."""
    cls = p.ACTIONS.get(name)
    if cls is None:
        raise ProtocolError(ErrorCode.BAD_FIELD, f"unknown action {name!r}")
    values: dict[str, object] = {}
    for f in fields(cls):
        if f.name in args:
            values[f.name] = _typed(args[f.name], FIELD_KINDS.get(f.name, "str"), f.name)
    only(args, set(values))
    try:
        return cls(**values)
    except TypeError:
        raise ProtocolError(ErrorCode.BAD_FIELD, "a field is missing") from None


def _typed(value: object, kind: str, key: str) -> object:
    optional = kind.endswith("| None")
    if value is None and optional:
        return None
    if kind.startswith("bool"):
        if isinstance(value, bool):
            return value
    elif kind.startswith("int"):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**31:
            return value
    elif isinstance(value, str) and 0 < len(value) <= 64:
        return value
    raise ProtocolError(ErrorCode.BAD_FIELD, f"field {key!r} is mistyped")


def welcome(
    re: MsgId, code: str, role: str, guest: str | None, token: str | None
) -> dict[str, object]:
    out: dict[str, object] = {"t": "welcome", "re": re, "party": code, "role": role}
    if guest is not None:
        out["guest"] = guest
    if token is not None:
        out["token"] = token  # a new guest's secret: keep it to come back
    return out
