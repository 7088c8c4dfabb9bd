"""Typed messages between instances, on the store's broker (and, for commits, in each
room's change log, read again when a seat resumes). One module builds and reads them.

Every message is a MessagePack map ``{"f": FORMAT, "k": kind, ...}``. A message
without ``f`` is format 0, the same layout before formats were numbered, and is read
as it is. A message of a newer format (an instance of a later release beside this
one in a rolling upgrade) or of a kind this instance does not know is ignored, like
any foreign or damaged message: the clients it concerned catch up from the store on
their next ping, move or reconnect (docs/protocol.md, "Mixed versions").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import msgspec

from game import Event

FORMAT: Final = 1
_PACK = msgspec.msgpack.Encoder().encode  # the same bytes as msgpack-python, faster
_UNPACK = msgspec.msgpack.Decoder().decode
EventEntry = tuple[int | None, bool, dict[str, object]]  # (by seat, private, event)


@dataclass(frozen=True, slots=True)
class Commit:
    """A room reached ``version`` through ``events``. ``nonce`` makes a party blob's
    records unique (the store recognises a retried commit by its record)."""

    version: int
    events: tuple[EventEntry, ...] = ()
    nonce: str | None = None


@dataclass(frozen=True, slots=True)
class Presence:
    """Socket ``conn`` of ``seat`` came (or went); None from an older instance."""

    seat: int
    online: bool
    conn: str | None = None


@dataclass(frozen=True, slots=True)
class Typing:
    seat: int
    on: bool


@dataclass(frozen=True, slots=True)
class Kx:
    """A party guest's public key for its table, for the other seat (issue 20)."""

    seat: int
    pub: str
    answer: bool


@dataclass(frozen=True, slots=True)
class Claim:
    """Socket ``conn`` took ``seat``: an older socket of that seat elsewhere closes."""

    seat: int
    conn: str


@dataclass(frozen=True, slots=True)
class Knock:
    request: str
    name: str
    pub: str | None = None  # the knocker's ECDH public key, if its page sent one


@dataclass(frozen=True, slots=True)
class Admit:
    request: str
    accept: bool


@dataclass(frozen=True, slots=True)
class Deleted:
    pass


@dataclass(frozen=True, slots=True)
class PartyDeck:
    """A host uploaded ``deck``: every instance loads it from the party's secrets."""

    deck: str


BrokerMessage = Commit | Presence | Typing | Kx | Claim | Knock | Admit | Deleted | PartyDeck


def commit(version: int, events: Iterable[Event], nonce: str | None = None) -> Commit:
    return Commit(version, tuple((e.seat, e.private, e.as_dict()) for e in events), nonce)


def encode(message: BrokerMessage) -> bytes:
    data: dict[str, object] = {"f": FORMAT}
    if isinstance(message, Commit):
        data.update(k="c", v=message.version, ev=[list(e) for e in message.events])
        if message.nonce is not None:
            data["n"] = message.nonce
    elif isinstance(message, Presence):
        data.update(k="presence", seat=message.seat, online=message.online)
        if message.conn is not None:
            data["conn"] = message.conn
    elif isinstance(message, Typing):
        data.update(k="typing", seat=message.seat, on=message.on)
    elif isinstance(message, Kx):
        data.update(k="kx", seat=message.seat, pub=message.pub, answer=message.answer)
    elif isinstance(message, Claim):
        data.update(k="claim", seat=message.seat, conn=message.conn)
    elif isinstance(message, Knock):
        data.update(k="knock", request=message.request, name=message.name)
        if message.pub is not None:
            data["pub"] = message.pub
    elif isinstance(message, Admit):
        data.update(k="admit", request=message.request, accept=message.accept)
    elif isinstance(message, Deleted):
        data["k"] = "deleted"
    else:
        data.update(k="party_deck", deck=message.deck)
    out: bytes = _PACK(data)
    return out


def decode(payload: bytes) -> BrokerMessage | None:
    """The message ``payload`` holds; None for anything foreign, damaged, of a newer
    format or of an unknown kind."""
    try:
        data = _UNPACK(payload)
        return _read(data) if isinstance(data, dict) else None
    except Exception:  # anything on the bus may be foreign or damaged
        return None


def _read(data: dict[str, Any]) -> BrokerMessage | None:
    if data.get("f", 0) not in (0, FORMAT):
        return None
    kind = data.get("k")
    if kind == "c":
        version = data["v"]
        if not isinstance(version, int) or isinstance(version, bool):
            return None
        events = tuple((by, bool(private), dict(ev)) for by, private, ev in data.get("ev", ()))
        nonce = data.get("n")
        return Commit(version, events, nonce if isinstance(nonce, str) else None)
    if kind == "deleted":
        return Deleted()
    if kind == "party_deck":
        return PartyDeck(data["deck"]) if isinstance(data.get("deck"), str) else None
    if kind in ("knock", "admit"):
        request = data.get("request")
        if not isinstance(request, str):
            return None
        if kind == "knock":
            pub = data.get("pub")
            return Knock(request, str(data.get("name")), pub if isinstance(pub, str) else None)
        return Admit(request, data.get("accept") is True)
    seat = data.get("seat")
    if seat not in (0, 1) or isinstance(seat, bool):
        return None
    if kind == "claim":
        return Claim(seat, str(data.get("conn")))
    if kind == "kx":
        pub = data.get("pub")
        return Kx(seat, pub, data.get("answer") is True) if isinstance(pub, str) else None
    flag = data.get("online" if kind == "presence" else "on")
    if not isinstance(flag, bool):
        return None
    if kind == "presence":
        conn = data.get("conn")
        return Presence(seat, flag, conn if isinstance(conn, str) else None)
    return Typing(seat, flag) if kind == "typing" else None


def events_for(message: Commit, seat: int) -> list[dict[str, object]]:
    """The events of a commit that ``seat`` may learn of."""
    return [event for by, private, event in message.events if not private or by == seat]
