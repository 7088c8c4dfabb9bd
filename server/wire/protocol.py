"""The couple socket's protocol (``/ws``, docs/protocol.md): its client messages,
their parsers and the server's messages. Sans-I/O: nothing here touches a socket, the
store or the game rules. Frames, limits and field checks are ``wire.frames``, shared
with the party socket.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from server.errors import CLOSE_CODES, CloseCode, ErrorCode, MsgId, ProtocolError
from server.wire import frames
from server.wire.frames import (
    SUBPROTOCOL_JSON,
    SUBPROTOCOL_MSGPACK,
    SUBPROTOCOLS,
    Limits,
    Parser,
    action_args,
    boolean,
    only,
    word,
)

PROTOCOL_VERSION: Final = "1.1"
# 1.1: a view leaves out its deck part, sent once as a "deck" message (docs/protocol.md)
DECK_APART: Final = 1  # the first minor version that gets it so
MAJOR: Final = 1
ROOM: Final = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)?")  # a code, or a party's table


# client messages --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Hello:
    id: MsgId
    v: str
    room: str
    token: str | None = None
    last_version: int | None = None
    invite: str | None = None
    knock: bool = False
    name: str | None = None
    minor: int = 0  # the client's protocol minor version
    pub: str | None = None  # a knock's ephemeral ECDH public key (issue 20), opaque here


@dataclass(frozen=True, slots=True)
class Act:
    id: MsgId
    a: str
    args: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Typing:
    id: MsgId
    on: bool


@dataclass(frozen=True, slots=True)
class Kx:
    """A party guest's X25519 public key for its table (issue 20), relayed to the other
    seat; ``answer`` when it answers the partner's. Public: the server learns no key."""

    id: MsgId
    pub: str
    answer: bool = False


@dataclass(frozen=True, slots=True)
class Admit:
    id: MsgId
    request: str
    accept: bool
    # The room key wrapped for the knocker's ``pub`` with the creator's own ephemeral
    # public key: "<creator pub>.<wrapped key>" (issue 20), opaque here.
    key: str | None = None


@dataclass(frozen=True, slots=True)
class DeleteRoom:
    id: MsgId


@dataclass(frozen=True, slots=True)
class Ping:
    id: MsgId


ClientMessage = Hello | Act | Typing | Kx | Admit | DeleteRoom | Ping


class Codec(frames.Codec[ClientMessage]):
    """The couple socket's codec: the shared frames and limits, this socket's parsers."""

    __slots__ = ()

    def __init__(self, subprotocol: str, limits: Limits | None = None) -> None:
        super().__init__(subprotocol, limits, parsers=PARSERS)


def _version(data: Mapping[str, object]) -> tuple[str, int]:
    v = frames.string(data, "v", max_len=16)
    major, _, minor = v.partition(".")
    if not (major.isdecimal() and major.isascii() and minor.isascii()):
        raise ProtocolError(ErrorCode.BAD_FIELD, "field 'v' is MAJOR.MINOR")
    if int(major) != MAJOR:
        raise ProtocolError(ErrorCode.VERSION, f"this server speaks {PROTOCOL_VERSION}")
    # A minor version is any string after the dot; a number we compare, anything else
    # is read as 0 (what every 1.x server understood).
    return v, int(minor) if minor.isdecimal() and len(minor) < 6 else 0


def _parse_hello(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Hello:
    only(data, {"v", "room", "token", "last_version", "invite", "knock", "name", "pub"})
    v, minor = _version(data)
    room = word(data, "room")
    if not ROOM.fullmatch(room):
        raise ProtocolError(ErrorCode.BAD_FIELD, "field 'room' is not a room code")
    modes = [k for k in ("token", "invite", "knock") if data.get(k) not in (None, False)]
    if len(modes) != 1:
        raise ProtocolError(ErrorCode.BAD_FIELD, "hello needs one of token, invite, knock")
    if modes == ["token"]:
        only(data, {"v", "room", "token", "last_version"})
        last = data.get("last_version")
        if last is not None and (not isinstance(last, int) or isinstance(last, bool) or last < 0):
            raise ProtocolError(ErrorCode.BAD_FIELD, "'last_version' must be an integer")
        return Hello(msg_id, v, room, token=word(data, "token"), last_version=last, minor=minor)
    if modes == ["invite"]:
        only(data, {"v", "room", "invite", "name"})
        name = frames.name(data, limits)
        return Hello(msg_id, v, room, invite=word(data, "invite"), name=name, minor=minor)
    only(data, {"v", "room", "knock", "name", "pub"})
    if data.get("knock") is not True:
        raise ProtocolError(ErrorCode.BAD_FIELD, "field 'knock' must be true")
    pub = _key_text(data, "pub")
    return Hello(msg_id, v, room, knock=True, name=frames.name(data, limits), minor=minor, pub=pub)


KEY_TEXT: Final = re.compile(r"[A-Za-z0-9_-]{16,128}(?:\.[A-Za-z0-9_-]{16,128})?")


def _key_text(data: Mapping[str, object], key: str) -> str | None:
    """An optional public key or wrapped key: base64url, or two joined by a dot."""
    if data.get(key) is None:
        return None
    value = frames.string(data, key, max_len=260)
    if not KEY_TEXT.fullmatch(value):
        raise ProtocolError(ErrorCode.BAD_FIELD, f"field {key!r} is not a key")
    return value


def _parse_act(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Act:
    name = word(data, "a")
    return Act(msg_id, name, action_args(data))


def _parse_typing(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Typing:
    only(data, {"on"})
    return Typing(msg_id, boolean(data, "on"))


PUBLIC_KEY: Final = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 bytes, base64url


def _parse_kx(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Kx:
    only(data, {"pub", "answer"})
    pub = frames.string(data, "pub", max_len=64)
    if not PUBLIC_KEY.fullmatch(pub):
        raise ProtocolError(ErrorCode.BAD_FIELD, "field 'pub' is not a public key")
    return Kx(msg_id, pub, data.get("answer") is True)


def _parse_admit(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Admit:
    only(data, {"request", "accept", "key"})
    accept = boolean(data, "accept")
    key = _key_text(data, "key") if accept else None
    return Admit(msg_id, word(data, "request"), accept, key)


def _parse_delete(data: dict[str, object], msg_id: MsgId, limits: Limits) -> DeleteRoom:
    only(data, set())
    return DeleteRoom(msg_id)


def _parse_ping(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Ping:
    only(data, set())
    return Ping(msg_id)


PARSERS: Final[dict[str, Parser[ClientMessage]]] = {
    "hello": _parse_hello,
    "act": _parse_act,
    "typing": _parse_typing,
    "kx": _parse_kx,
    "admit": _parse_admit,
    "delete_room": _parse_delete,
    "ping": _parse_ping,
}


__all__ = [
    "CLOSE_CODES",
    "SUBPROTOCOLS",
    "SUBPROTOCOL_JSON",
    "SUBPROTOCOL_MSGPACK",
    "CloseCode",
    "ErrorCode",
    "Limits",
    "ProtocolError",
]


# server messages (built in wire.replies, named here too: this module is the protocol)
from server.wire.replies import (  # noqa: E402
    ack,
    admitted,
    bye,
    deck,
    declined,
    deleted,
    error,
    knock,
    kx,
    presence,
    state,
    typing,
    welcome,
)

__all__ += ["ack", "admitted", "bye", "deck", "declined", "deleted", "error", "knock", "kx",
            "presence", "state", "typing", "welcome"]  # fmt: skip
