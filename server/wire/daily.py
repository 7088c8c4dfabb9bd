"""The daily socket's protocol (``/ws/daily``, docs/protocol.md "Daily spaces"): the couple
socket's messages (its parsers reused) with a language at hello, without typing and kx,
and with the two push messages. Sans-I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from server.errors import ErrorCode, MsgId, ProtocolError
from server.wire import frames, protocol
from server.wire.frames import Limits, Parser, only

LANGUAGE: Final = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")
B64URL: Final = re.compile(r"[A-Za-z0-9_-]+=*")
MAX_ENDPOINT: Final = 1000


@dataclass(frozen=True, slots=True)
class DailyHello:
    hello: protocol.Hello
    language: str | None = None  # the joiner's language (a knock's or an invite's)
    seat: int | None = None  # with an invite to a full space: the seat this browser had

    @property
    def id(self) -> MsgId:
        return self.hello.id


@dataclass(frozen=True, slots=True)
class PushSubscribe:
    id: MsgId
    subscription: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PushUnsubscribe:
    id: MsgId


DailyMessage = (
    DailyHello
    | protocol.Act
    | protocol.Admit
    | protocol.DeleteRoom
    | protocol.Ping
    | PushSubscribe
    | PushUnsubscribe
)


def _parse_hello(data: dict[str, object], msg_id: MsgId, limits: Limits) -> DailyHello:
    language = None
    if "language" in data:
        language = frames.string(data, "language", max_len=16)
        if not LANGUAGE.fullmatch(language):
            raise ProtocolError(ErrorCode.BAD_FIELD, "field 'language' is a language code")
    seat = data.get("seat")
    if seat is not None and (seat not in (0, 1) or isinstance(seat, bool) or "invite" not in data):
        raise ProtocolError(ErrorCode.BAD_FIELD, "field 'seat' is 0 or 1, with an invite")
    data = {k: v for k, v in data.items() if k not in ("language", "seat")}
    hello = protocol.PARSERS["hello"](data, msg_id, limits)
    assert isinstance(hello, protocol.Hello)
    return DailyHello(hello, language, seat)


def _b64(value: object, key: str, low: int, high: int) -> str:
    if not isinstance(value, str) or not low <= len(value) <= high or not B64URL.fullmatch(value):
        raise ProtocolError(ErrorCode.BAD_FIELD, f"field {key!r} is not a push key")
    return value


def subscription(data: Mapping[str, object]) -> dict[str, Any]:
    """A browser's PushSubscription (``toJSON()``): an https endpoint and its two keys;
    everything else it carries (``expirationTime``) is dropped."""
    sub = data.get("subscription")
    if not isinstance(sub, dict):
        raise ProtocolError(ErrorCode.BAD_FIELD, "field 'subscription' must be a map")
    endpoint, keys = sub.get("endpoint"), sub.get("keys")
    if not isinstance(endpoint, str) or not 12 <= len(endpoint) <= MAX_ENDPOINT:
        raise ProtocolError(ErrorCode.BAD_FIELD, "the subscription needs an endpoint")
    if not endpoint.startswith(("https://", "http://")) or any(c.isspace() for c in endpoint):
        raise ProtocolError(ErrorCode.BAD_FIELD, "the endpoint must be a web address")
    if not isinstance(keys, dict):
        raise ProtocolError(ErrorCode.BAD_FIELD, "the subscription needs its keys")
    p256dh = _b64(keys.get("p256dh"), "p256dh", 80, 100)
    auth = _b64(keys.get("auth"), "auth", 16, 32)
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}


def _parse_subscribe(data: dict[str, object], msg_id: MsgId, limits: Limits) -> PushSubscribe:
    only(data, {"subscription"})
    return PushSubscribe(msg_id, subscription(data))


def _parse_unsubscribe(data: dict[str, object], msg_id: MsgId, limits: Limits) -> PushUnsubscribe:
    only(data, set())
    return PushUnsubscribe(msg_id)


PARSERS: Final[dict[str, Parser[DailyMessage]]] = {
    "hello": _parse_hello,
    "act": protocol.PARSERS["act"],  # type: ignore[dict-item]
    "admit": protocol.PARSERS["admit"],  # type: ignore[dict-item]
    "delete_room": protocol.PARSERS["delete_room"],  # type: ignore[dict-item]
    "ping": protocol.PARSERS["ping"],  # type: ignore[dict-item]
    "push_subscribe": _parse_subscribe,
    "push_unsubscribe": _parse_unsubscribe,
}


class Codec(frames.Codec[DailyMessage]):
    __slots__ = ()

    def __init__(self, subprotocol: str, limits: Limits | None = None) -> None:
        super().__init__(subprotocol, limits, parsers=PARSERS)


def welcome(seated_code: str, seat: int, token: str, version: int, re_: MsgId,
            *, invite: str | None, sealed: bool) -> dict[str, object]:  # fmt: skip
    out = protocol.welcome(re_, seat, token, seated_code, version, invite=invite, sealed=sealed)
    out["kind"] = "daily"
    return out
