"""Sans-I/O codec for the wire protocol (docs/protocol.md): frames <-> typed messages.

Nothing here touches a socket, the store or the game rules. ``Codec.decode`` turns one
frame into a typed client message or raises ``ProtocolError`` (and nothing else: a
fuzz test holds it to that); ``Codec.encode`` turns a server message map into a frame.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import msgpack

PROTOCOL_VERSION: Final = "1.0"
MAJOR: Final = 1
SUBPROTOCOL_MSGPACK: Final = "closeknit.v1.msgpack"
SUBPROTOCOL_JSON: Final = "closeknit.v1.json"
SUBPROTOCOLS: Final = (SUBPROTOCOL_MSGPACK, SUBPROTOCOL_JSON)
MAX_INT: Final = 2**53 - 1
RESERVED: Final = frozenset({"t", "id", "a"})
WORD: Final = re.compile(r"[A-Za-z0-9_/-]{1,64}")
ROOM: Final = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)?")  # a code, or a party's table


class ErrorCode(StrEnum):
    """Error codes of the server itself; the engine's codes travel beside these."""

    FRAME_TOO_BIG = "protocol/frame_too_big"
    BAD_ENCODING = "protocol/bad_encoding"
    NOT_A_MAP = "protocol/not_a_map"
    UNKNOWN_TYPE = "protocol/unknown_type"
    BAD_FIELD = "protocol/bad_field"
    TOO_DEEP = "protocol/too_deep"
    NUMBER_TOO_BIG = "protocol/number_too_big"
    VERSION = "protocol/version"
    HELLO_FIRST = "protocol/hello_first"
    ALREADY_JOINED = "protocol/already_joined"
    JOIN_FAILED = "join/failed"
    SEAT_TAKEN = "join/seat_taken"
    NOT_CREATOR = "admit/not_creator"
    UNKNOWN_REQUEST = "admit/unknown_request"
    RATE_LIMITED = "limit/rate_limited"
    ROOM_GONE = "room/gone"
    STORE_UNAVAILABLE = "store/unavailable"
    STORE_BUSY = "store/busy"
    STORE_FULL = "store/full"
    SHUTTING_DOWN = "server/shutting_down"
    INTERNAL = "server/internal"


class CloseCode:
    NORMAL: Final = 1000
    GOING_AWAY: Final = 1001
    POLICY: Final = 1008
    TOO_BIG: Final = 1009
    INTERNAL: Final = 1011
    VERSION_MISMATCH: Final = 4000
    REPLACED: Final = 4001
    DELETED: Final = 4002
    HELLO_TIMEOUT: Final = 4003
    TOO_SLOW: Final = 4004


CLOSE_CODES: Final = tuple(
    v for k, v in vars(CloseCode).items() if k.isupper() and isinstance(v, int)
)


class ProtocolError(Exception):
    """The peer sent a frame we cannot accept. ``msg_id`` is its id when it was readable."""

    def __init__(self, code: ErrorCode, message: str, msg_id: MsgId | None = None) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code = code
        self.message = message
        self.msg_id = msg_id


MsgId = str | int


@dataclass(frozen=True, slots=True)
class Limits:
    max_frame: int = 16 * 1024
    max_depth: int = 4
    max_keys: int = 32
    max_name: int = 40
    max_text: int = 2000


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
class Admit:
    id: MsgId
    request: str
    accept: bool


@dataclass(frozen=True, slots=True)
class DeleteRoom:
    id: MsgId


@dataclass(frozen=True, slots=True)
class Ping:
    id: MsgId


ClientMessage = Hello | Act | Typing | Admit | DeleteRoom | Ping


class Codec:
    """One codec per connection, for the subprotocol it negotiated."""

    __slots__ = ("binary", "limits")

    def __init__(self, subprotocol: str, limits: Limits | None = None) -> None:
        if subprotocol not in SUBPROTOCOLS:
            raise ValueError(f"unknown subprotocol {subprotocol!r}")
        self.binary = subprotocol == SUBPROTOCOL_MSGPACK
        self.limits = limits or Limits()

    def decode(self, frame: bytes | str) -> ClientMessage:
        data = self._load(frame)
        _check_structure(data, self.limits)
        assert isinstance(data, dict)
        return _parse(data, self.limits)

    def encode(self, message: Mapping[str, object]) -> bytes | str:
        if self.binary:
            return encode_msgpack(message)
        return encode_json(message)

    def _load(self, frame: bytes | str) -> object:
        if _size(frame, self.limits.max_frame) > self.limits.max_frame:
            raise ProtocolError(ErrorCode.FRAME_TOO_BIG, "frame too big")
        if self.binary:
            if not isinstance(frame, bytes):
                raise ProtocolError(ErrorCode.BAD_ENCODING, "expected a binary frame")
            return _unpack(frame)
        if not isinstance(frame, str):
            raise ProtocolError(ErrorCode.BAD_ENCODING, "expected a text frame")
        return _json_load(frame)


def encode_msgpack(message: Mapping[str, object]) -> bytes:
    out: bytes = _PACK(message)
    return out


# One packer for every frame (packb builds a new one per call: 4x the time of a small
# frame). It keeps no state between calls (autoreset) and the loop is single-threaded.
_PACK = msgpack.Packer(use_bin_type=True).pack


def encode_json(message: Mapping[str, object]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def _size(frame: bytes | str, limit: int) -> int:
    if isinstance(frame, bytes):
        return len(frame)
    # A str of n code points is at most 4n bytes: skip encoding the common small frame.
    if len(frame) * 4 <= limit:
        return len(frame)
    return len(frame.encode("utf-8", "surrogatepass"))


def _unpack(frame: bytes) -> object:
    try:
        return msgpack.unpackb(frame, raw=False, strict_map_key=False, use_list=True)
    except Exception:  # msgpack raises several unrelated types on malformed input
        raise ProtocolError(ErrorCode.BAD_ENCODING, "not valid MessagePack") from None


def _reject_constant(name: str) -> object:
    raise ProtocolError(ErrorCode.NUMBER_TOO_BIG, f"{name} is not a number we accept")


def _json_load(frame: str) -> object:
    try:
        return json.loads(frame, parse_constant=_reject_constant)
    except ProtocolError:
        raise
    except RecursionError:
        raise ProtocolError(ErrorCode.TOO_DEEP, "nested too deep") from None
    except ValueError as exc:
        # Python refuses int literals over 4300 digits with a ValueError too.
        if "digits" in str(exc):
            raise ProtocolError(ErrorCode.NUMBER_TOO_BIG, "number too big") from None
        raise ProtocolError(ErrorCode.BAD_ENCODING, "not valid JSON") from None


def _check_structure(data: object, limits: Limits) -> None:
    if not isinstance(data, dict):
        raise ProtocolError(ErrorCode.NOT_A_MAP, "a message is a map")
    msg_id = _peek_id(data)
    try:
        _check_value(data, limits, 1)
    except ProtocolError as exc:
        exc.msg_id = msg_id
        raise


def _peek_id(data: dict[Any, Any]) -> MsgId | None:
    value = data.get("id")
    try:
        return _msg_id(value)
    except ProtocolError:
        return None


def _check_value(value: object, limits: Limits, depth: int) -> None:
    if isinstance(value, dict):
        if depth > limits.max_depth:
            raise ProtocolError(ErrorCode.TOO_DEEP, "nested too deep")
        if len(value) > limits.max_keys:
            raise ProtocolError(ErrorCode.TOO_DEEP, "too many keys")
        for key, item in value.items():
            if not isinstance(key, str):
                raise ProtocolError(ErrorCode.BAD_FIELD, "map keys must be strings")
            _check_value(item, limits, depth + 1)
    elif isinstance(value, list):
        if depth > limits.max_depth:
            raise ProtocolError(ErrorCode.TOO_DEEP, "nested too deep")
        if len(value) > limits.max_keys:
            raise ProtocolError(ErrorCode.TOO_DEEP, "too many items")
        for item in value:
            _check_value(item, limits, depth + 1)
    else:
        _check_scalar(value)


def _check_scalar(value: object) -> None:
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if not -MAX_INT <= value <= MAX_INT:
            raise ProtocolError(ErrorCode.NUMBER_TOO_BIG, "integer out of range")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ProtocolError(ErrorCode.NUMBER_TOO_BIG, "number not finite")
        return
    raise ProtocolError(ErrorCode.BAD_FIELD, "byte strings and extension types are refused")


# typed parsing ----------------------------------------------------------------------
def _parse(data: dict[str, object], limits: Limits) -> ClientMessage:
    kind = data.get("t")
    parser = _PARSERS.get(kind) if isinstance(kind, str) else None
    msg_id = _peek_id(data)
    if parser is None:
        raise ProtocolError(ErrorCode.UNKNOWN_TYPE, "unknown message type", msg_id)
    try:
        return parser(data, _msg_id(data.get("id")), limits)
    except ProtocolError as exc:
        exc.msg_id = msg_id
        raise


def _msg_id(value: object) -> MsgId:
    if isinstance(value, str) and 1 <= len(value) <= 64 and _clean(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INT:
        return value
    raise ProtocolError(ErrorCode.BAD_FIELD, "'id' must be a string (1-64) or an integer")


def _only(data: Mapping[str, object], allowed: set[str]) -> None:
    extra = set(data) - allowed - {"t", "id"}
    if extra:
        raise ProtocolError(ErrorCode.BAD_FIELD, f"unexpected field {min(extra)!r}")


def _str(data: Mapping[str, object], key: str, *, max_len: int = 64) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not 1 <= len(value) <= max_len:
        raise ProtocolError(ErrorCode.BAD_FIELD, f"field {key!r} must be a string")
    return value


def _word(data: Mapping[str, object], key: str) -> str:
    """Codes, tokens, secrets, request ids: ASCII letters, digits, '_', '-' and '/'."""
    value = _str(data, key)
    if not WORD.fullmatch(value):
        raise ProtocolError(ErrorCode.BAD_FIELD, f"field {key!r} has unexpected characters")
    return value


def _bool(data: Mapping[str, object], key: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise ProtocolError(ErrorCode.BAD_FIELD, f"field {key!r} must be true or false")
    return value


def _name(data: Mapping[str, object], limits: Limits) -> str:
    raw = data.get("name")
    if not isinstance(raw, str):
        raise ProtocolError(ErrorCode.BAD_FIELD, "field 'name' must be a string")
    name = unicodedata.normalize("NFC", raw).strip()
    if not name or len(name) > limits.max_name or not _clean(name):
        raise ProtocolError(ErrorCode.BAD_FIELD, "a name is 1-40 plain characters")
    return name


def _clean(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(unicodedata.category(ch) == "Cc" for ch in text)


def _version(data: Mapping[str, object]) -> str:
    v = _str(data, "v", max_len=16)
    major, _, minor = v.partition(".")
    if not (major.isdecimal() and major.isascii() and minor.isascii()):
        raise ProtocolError(ErrorCode.BAD_FIELD, "field 'v' is MAJOR.MINOR")
    if int(major) != MAJOR:
        raise ProtocolError(ErrorCode.VERSION, f"this server speaks {PROTOCOL_VERSION}")
    return v


def _parse_hello(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Hello:
    _only(data, {"v", "room", "token", "last_version", "invite", "knock", "name"})
    v = _version(data)
    room = _word(data, "room")
    if not ROOM.fullmatch(room):
        raise ProtocolError(ErrorCode.BAD_FIELD, "field 'room' is not a room code")
    modes = [k for k in ("token", "invite", "knock") if data.get(k) not in (None, False)]
    if len(modes) != 1:
        raise ProtocolError(ErrorCode.BAD_FIELD, "hello needs one of token, invite, knock")
    if modes == ["token"]:
        _only(data, {"v", "room", "token", "last_version"})
        last = data.get("last_version")
        if last is not None and (not isinstance(last, int) or isinstance(last, bool) or last < 0):
            raise ProtocolError(ErrorCode.BAD_FIELD, "'last_version' must be an integer")
        return Hello(msg_id, v, room, token=_word(data, "token"), last_version=last)
    if modes == ["invite"]:
        _only(data, {"v", "room", "invite", "name"})
        return Hello(msg_id, v, room, invite=_word(data, "invite"), name=_name(data, limits))
    _only(data, {"v", "room", "knock", "name"})
    if data.get("knock") is not True:
        raise ProtocolError(ErrorCode.BAD_FIELD, "field 'knock' must be true")
    return Hello(msg_id, v, room, knock=True, name=_name(data, limits))


def _parse_act(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Act:
    name = _word(data, "a")
    args = {k: v for k, v in data.items() if k not in RESERVED}
    return Act(msg_id, name, args)


def _parse_typing(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Typing:
    _only(data, {"on"})
    return Typing(msg_id, _bool(data, "on"))


def _parse_admit(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Admit:
    _only(data, {"request", "accept"})
    return Admit(msg_id, _word(data, "request"), _bool(data, "accept"))


def _parse_delete(data: dict[str, object], msg_id: MsgId, limits: Limits) -> DeleteRoom:
    _only(data, set())
    return DeleteRoom(msg_id)


def _parse_ping(data: dict[str, object], msg_id: MsgId, limits: Limits) -> Ping:
    _only(data, set())
    return Ping(msg_id)


_PARSERS: Final[dict[str, Callable[[dict[str, object], MsgId, Limits], ClientMessage]]] = {
    "hello": _parse_hello,
    "act": _parse_act,
    "typing": _parse_typing,
    "admit": _parse_admit,
    "delete_room": _parse_delete,
    "ping": _parse_ping,
}


# server messages --------------------------------------------------------------------
def ack(re: MsgId, version: int | None, *, duplicate: bool = False) -> dict[str, object]:
    out: dict[str, object] = {"t": "ack", "re": re, "version": version}
    if duplicate:
        out["duplicate"] = True
    return out


def error(re: MsgId | None, code: str, message: str) -> dict[str, object]:
    return {"t": "error", "re": re, "code": code, "message": message}


def welcome(
    re: MsgId, seat: int, token: str, room: str, version: int, *, invite: str | None = None
) -> dict[str, object]:
    out: dict[str, object] = {"t": "welcome", "re": re, "seat": seat, "token": token,
                              "room": room, "version": version}  # fmt: skip
    if invite is not None:
        out["invite"] = invite
    return out


def admitted(seat: int, token: str, room: str, version: int) -> dict[str, object]:
    return {"t": "admitted", "seat": seat, "token": token, "room": room, "version": version}


def state(
    version: int, view: Mapping[str, object], events: list[dict[str, object]]
) -> dict[str, object]:
    return {"t": "state", "version": version, "view": view, "events": events}


def presence(seat: int, online: bool) -> dict[str, object]:
    return {"t": "presence", "seat": seat, "online": online}


def typing(seat: int, on: bool) -> dict[str, object]:
    return {"t": "typing", "seat": seat, "on": on}


def knock(request: str, name: str) -> dict[str, object]:
    return {"t": "knock", "request": request, "name": name}


def declined(reason: str) -> dict[str, object]:
    return {"t": "declined", "reason": reason}


def deleted() -> dict[str, object]:
    return {"t": "deleted"}


def bye() -> dict[str, object]:
    return {"t": "bye", "reason": "shutdown", "reconnect": True}
