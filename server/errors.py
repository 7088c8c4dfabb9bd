"""The server's one exception tree, its error codes, and the one table that turns an
exception into what the client is told.

::

    Exception
    ├── game.GameError            the engine refused (RuleViolation, ActionFormatError);
    │                             its codes are the engine's (game.ErrorCode)
    ├── game.party.PartyViolation the party engine refused (game.party.PartyCode)
    └── ServerError               everything the server raises on purpose
        ├── Refused               a request refused with a code of ours; nothing changed
        │   └── ProtocolError     a frame we cannot accept (knows the message id if it
        │                         was readable)
        ├── Duplicate             an action id already applied: acknowledged again
        ├── StoreUnavailable      the store cannot be reached now (Redis down)
        │   └── StoreFull         the store refuses writes (Redis at maxmemory)
        └── Unchanged             nothing to commit (a table already has the layer)

``reply_for`` is the one place that decides the code and words of an error reply, for
both sockets and for HTTP (``http_status``). Configuration mistakes (``SettingError``)
and a key the key scheme cannot build (``RoomIdError``) are bugs or operator errors,
not requests, and stay ``ValueError``s.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from game import GameError
from game.daily import DailyViolation
from game.party import PartyViolation

MsgId = str | int


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
    NOT_SEALED = "text/not_sealed"
    PLAYED_TOO_MANY = "create/played_too_many"
    PLAYED_BAD_ID = "create/played_bad_id"
    DECK_TOO_LARGE = "deck/too_large"
    DECK_TOO_MANY_CARDS = "deck/too_many_cards"
    DECK_INVALID = "deck/invalid"
    RATE_LIMITED = "limit/rate_limited"
    ROOM_GONE = "room/gone"
    STORE_UNAVAILABLE = "store/unavailable"
    STORE_BUSY = "store/busy"
    STORE_FULL = "store/full"
    STORE_FORMAT = "store/format"
    SHUTTING_DOWN = "server/shutting_down"
    INTERNAL = "server/internal"
    PUSH_OFF = "push/off"
    PUSH_INVALID = "push/invalid"


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


class ServerError(Exception):
    """The root of what the server raises on purpose."""


class Refused(ServerError):
    """A request refused with one of our codes; nothing changed."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code = code
        self.message = message


class ProtocolError(Refused):
    """The peer sent a frame we cannot accept. ``msg_id`` is its id when it was readable."""

    def __init__(self, code: ErrorCode, message: str, msg_id: MsgId | None = None) -> None:
        super().__init__(code, message)
        self.msg_id = msg_id


class Duplicate(ServerError):
    """The action id was already applied for this seat; ``version`` is what it made."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


class StoreUnavailable(ServerError):
    """The backing store cannot be reached right now (Redis down). Retry later."""


class StoreFull(StoreUnavailable):
    """The store refuses writes for want of memory (Redis at maxmemory): nothing was
    written. Best-effort callers treat it as unavailable; replies name it."""


class Unchanged(ServerError):
    """Nothing to commit: the stored state already says what the change would."""


UNAVAILABLE = "Storage unreachable; retry."
FULL = "Storage is full; nothing was saved."
INTERNAL = "Something went wrong on the server."


def reply_for(exc: BaseException) -> tuple[str, str] | None:
    """The code and words an error reply carries for ``exc``; None for an exception
    nobody raised on purpose (the caller logs it and answers ``server/internal``)."""
    if isinstance(exc, Refused):
        return exc.code.value, exc.message
    if isinstance(exc, GameError):
        return exc.code.value, exc.detail or _words(exc.code.value)
    if isinstance(exc, PartyViolation | DailyViolation):
        return exc.code.value, _words(exc.code.value)
    if isinstance(exc, StoreFull):
        return ErrorCode.STORE_FULL.value, FULL
    if isinstance(exc, StoreUnavailable | TimeoutError):  # a hung store: past the deadline
        return ErrorCode.STORE_UNAVAILABLE.value, UNAVAILABLE
    return None


def _words(code: str) -> str:
    return code.replace("/", ": ").replace("_", " ")


# HTTP answers: the store's trouble is a 503 (retry later); other refusals of ours that
# are not the request's fault are 500; the engine's refusals are the request's (400).
_SERVICE_UNAVAILABLE = frozenset(
    {ErrorCode.STORE_UNAVAILABLE.value, ErrorCode.STORE_FULL.value, ErrorCode.STORE_FORMAT.value}
)


# Refusals of ours that are the request's fault (a create-room list past its bounds).
_BAD_REQUEST = frozenset(
    {
        ErrorCode.PLAYED_TOO_MANY.value,
        ErrorCode.PLAYED_BAD_ID.value,
        ErrorCode.DECK_TOO_MANY_CARDS.value,
        ErrorCode.DECK_INVALID.value,
    }
)


def http_status(exc: BaseException, code: str) -> int:
    if code in _SERVICE_UNAVAILABLE:
        return 503
    if code in _BAD_REQUEST:
        return 400
    if code == ErrorCode.DECK_TOO_LARGE.value:
        return 413
    if isinstance(exc, GameError | PartyViolation | DailyViolation | ProtocolError):
        return 400
    return 500
