"""The server's messages on both sockets, as maps a codec encodes. Nothing else."""

from __future__ import annotations

from collections.abc import Mapping

from server.errors import MsgId


def ack(re: MsgId, version: int | None, *, duplicate: bool = False) -> dict[str, object]:
    out: dict[str, object] = {"t": "ack", "re": re, "version": version}
    if duplicate:
        out["duplicate"] = True
    return out


def error(re: MsgId | None, code: str, message: str) -> dict[str, object]:
    return {"t": "error", "re": re, "code": code, "message": message}


def welcome(
    re: MsgId,
    seat: int,
    token: str,
    room: str,
    version: int,
    *,
    invite: str | None = None,
    sealed: bool = False,
) -> dict[str, object]:
    out: dict[str, object] = {"t": "welcome", "re": re, "seat": seat, "token": token,
                              "room": room, "version": version}  # fmt: skip
    if invite is not None:
        out["invite"] = invite
    if sealed:  # the room's typed texts travel sealed (docs/protocol.md, "Sealed texts")
        out["sealed"] = True
    return out


def admitted(
    seat: int,
    token: str,
    room: str,
    version: int,
    *,
    sealed: bool = False,
    key: str | None = None,
) -> dict[str, object]:
    out: dict[str, object] = {"t": "admitted", "seat": seat, "token": token, "room": room,
                              "version": version}  # fmt: skip
    if sealed:
        out["sealed"] = True
    if key is not None:  # the room key, wrapped for this knocker by the creator's page
        out["key"] = key
    return out


def state(
    version: int, view: Mapping[str, object], events: list[dict[str, object]]
) -> dict[str, object]:
    return {"t": "state", "version": version, "view": view, "events": events}


def deck(view: Mapping[str, object]) -> dict[str, object]:
    """The deck part of a view (protocol 1.1): at welcome, and whenever it changes."""
    return {"t": "deck", "deck": view}


def presence(seat: int, online: bool) -> dict[str, object]:
    return {"t": "presence", "seat": seat, "online": online}


def typing(seat: int, on: bool) -> dict[str, object]:
    return {"t": "typing", "seat": seat, "on": on}


def kx(seat: int, pub: str, answer: bool) -> dict[str, object]:
    """A party table partner's public key (issue 20)."""
    return {"t": "kx", "seat": seat, "pub": pub, "answer": answer}


def knock(request: str, name: str, pub: str | None = None) -> dict[str, object]:
    out: dict[str, object] = {"t": "knock", "request": request, "name": name}
    if pub is not None:  # the knocker's ECDH public key (issue 20)
        out["pub"] = pub
    return out


def declined(reason: str) -> dict[str, object]:
    return {"t": "declined", "reason": reason}


def deleted() -> dict[str, object]:
    return {"t": "deleted"}


def bye() -> dict[str, object]:
    return {"t": "bye", "reason": "shutdown", "reconnect": True}
