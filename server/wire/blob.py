"""Stored blobs: a room's state and a party's state <-> bytes. The store keeps them
opaque (it compares versions, never looks inside).

Each blob is a MessagePack map that starts with its format, ``"f"``: a room's blob
``{"f": FORMAT, "room": {"f": ...}, "acts": [...]}`` (the room inside carries the
engine's own format, ``game.codec``), a party's blob the party itself, ``{"f": ...}``
(``game.party.codec``). A room blob without ``f`` is format 0 (the same layout before
the blob's format was numbered) and is read as it is. Format 2 (issue 20) is a sealed
room's: format 1 with ``"sealed": true``; an unsealed room is still written as format 1.
A blob of a newer format, written by a later release during a rolling upgrade, is
refused with ``store/format`` (nothing changes; the client retries, and reaches an
upgraded instance or this one once it is upgraded): an instance never rewrites what it
cannot read (docs/protocol.md, "Mixed versions").
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import msgspec

from game import Deck, Room, from_dict, to_dict
from game import party as p
from game.codec import FORMAT as ROOM_FORMAT
from game.deck import OWN_DECK_ID
from game.party.model import FORMAT as PARTY_FORMAT
from server.errors import ErrorCode, Refused

FORMAT: Final = 2  # 2: a sealed room (issue 20), which a format-1 instance must refuse
UNSEALED: Final = 1  # an unsealed room's blob keeps format 1: every instance reads it
Act = tuple[int, str, int]  # (seat, action id key, version it produced)
# msgspec: the same bytes as msgpack-python, faster (see wire/frames.py).
_PACK = msgspec.msgpack.Encoder().encode
_UNPACK = msgspec.msgpack.Decoder().decode


class TooNew(Refused):
    """A blob written by a newer release: refused, never rewritten."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.STORE_FORMAT, "Saved by a newer server version; retry.")


@dataclass(frozen=True, slots=True)
class State:
    """What a room's blob holds: the engine's room, the recent action ids, and whether
    the room was created sealed (issue 20: its typed texts must be sealed envelopes)."""

    room: Room
    acts: tuple[Act, ...] = ()
    sealed: bool = False


def remember(state: State, room: Room, seat: int, key: str, memory: int) -> State:
    """``room`` with ``key`` remembered for ``seat`` (its oldest ids forgotten past
    ``memory``), the other seat's ids kept; entries stay in the order they came."""
    acts = state.acts
    mine = [i for i, act in enumerate(acts) if act[0] == seat]
    drop = set(mine[: max(0, len(mine) - (memory - 1))])  # this seat's oldest
    kept = tuple(act for i, act in enumerate(acts) if i not in drop) if drop else acts
    return State(room, (*kept, (seat, key, room.version)), state.sealed)


def encode_state(state: State) -> bytes:
    # The blob was assembled by hand from action ids packed once; measured on the
    # move's whole path it saved under 1% of a move, so the plain map stays.
    # A sealed room is format 2: an older instance refuses it (store/format) instead of
    # rewriting it without "sealed", which would let plain text in. Unsealed: format 1.
    f = FORMAT if state.sealed else UNSEALED
    data: dict[str, object] = {"f": f, "room": to_dict(state.room), "acts": state.acts}
    if state.sealed:
        data["sealed"] = True
    out: bytes = _PACK(data)
    return out


def decode_state(
    blob: bytes, decks: Mapping[str, Deck], own_deck: Callable[[str], Deck] | None = None
) -> State:
    """``own_deck`` builds a couple's deck from the file its room keeps (issue 21)."""
    data = _load(blob)
    acts = tuple((int(s), str(k), int(v)) for s, k, v in data["acts"])
    own = data["room"].get("own")
    if own and own_deck is not None:
        decks = ChainMap({OWN_DECK_ID: own_deck(str(own[2]))}, dict(decks))
    return State(from_dict(data["room"], decks), acts, data.get("sealed") is True)


def encode_party(party: p.Party) -> bytes:
    out: bytes = _PACK(p.to_dict(party))
    return out


def decode_party(blob: bytes) -> p.Party:
    return p.from_dict(_load(blob, PARTY_FORMAT, room_inside=False))


def _load(blob: bytes, known: int = FORMAT, *, room_inside: bool = True) -> dict[str, Any]:
    data = _UNPACK(blob)
    if not isinstance(data, dict):
        raise ValueError("a blob is a map")
    if data.get("f", 0) > known:
        raise TooNew
    room = data.get("room") if room_inside else None
    if isinstance(room, dict) and room.get("f", 0) > ROOM_FORMAT:
        raise TooNew
    return data
