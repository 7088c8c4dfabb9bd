"""Knock and admit: someone with only the room's code asks to come in, the creator
says yes or no, and the knocker's own socket turns a yes into the second seat.

A knock is a room secret ``knock:<request>`` = "status|deadline|name". The broker only
says that something happened; the store's record decides (a forged "admit" on the bus
cannot seat anyone).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Protocol, TypeVar

from server import tokens
from server.errors import ErrorCode, Refused
from server.rooms.service import Service
from server.settings import Settings
from server.store.base import RoomStore

T = TypeVar("T")


class Keeper(Protocol):
    """What knocking needs of a kind of room (live rooms, daily spaces)."""

    store: RoomStore
    settings: Settings
    clock: Callable[[], float]

    async def io(self, call: Awaitable[T]) -> T: ...


class Admission:
    def __init__(self, rooms: Service) -> None:
        self.rooms = rooms
        self.keeper: Keeper = rooms
        self.store = rooms.store
        self.settings = rooms.settings

    async def _free_seat(self, room_id: str) -> float | None:
        """The ttl a knock on the room gets when its second seat is free, else None."""
        state = await self.rooms.load(room_id)
        if state is None or state.room.seats[1].joined:
            return None
        return self.rooms.ttl(state.room)

    async def _take(self, room_id: str, name: str, spent: str) -> Any:
        return await self.rooms.take_seat(room_id, name, spent=spent)

    async def knock(self, room_id: str, name: str, pub: str | None = None) -> tuple[str, bool]:
        """Record a knock when the room exists and has a free seat. A request id is
        returned either way (with whether it was recorded, for the creator's socket
        only), so the knocker cannot tell an unknown code from a known one."""
        request = "k" + tokens.new_secret()[:15].replace("-", "x").replace("_", "y")
        ttl = await self._free_seat(room_id)
        recorded = ttl is not None
        if ttl is not None:
            until = self.keeper.clock() + self.settings.knock_timeout
            value = f"pending|{until}|{name}"
            await self.keeper.io(self.store.set_secret(room_id, f"knock:{request}", value, ttl))
            if pub is not None:  # for a creator who comes back while it waits
                await self.keeper.io(self.store.set_secret(room_id, f"kpub:{request}", pub, ttl))
        return request, recorded

    async def answer(
        self, room_id: str, seat: int, request: str, accept: bool, key: str | None = None
    ) -> None:
        """``key``: the room key the creator's page wrapped for the knocker (issue 20),
        kept until the knocker's socket claims the seat."""
        if seat != 0:
            raise Refused(ErrorCode.NOT_CREATOR, "Only the room's creator admits.")
        wrapped = key
        key = f"knock:{request}"
        status, until, _ = _knock((await self.keeper.io(self.store.secrets(room_id))).get(key, ""))
        if status != "pending" or until < self.keeper.clock():
            raise Refused(ErrorCode.UNKNOWN_REQUEST, "No such knock is waiting.")
        value = f"admitted|{until}" if accept else None
        ttl = self.settings.knock_timeout
        if accept and wrapped is not None:
            await self.keeper.io(self.store.set_secret(room_id, f"kkey:{request}", wrapped, ttl))
        await self.keeper.io(self.store.set_secret(room_id, key, value, ttl))

    async def pending(self, room_id: str) -> list[tuple[str, str, str | None]]:
        """Knocks still waiting for the creator's answer: (request, name, public key)."""
        out = []
        secrets = await self.keeper.io(self.store.secrets(room_id))
        for key, value in secrets.items():
            status, until, name = _knock(value)
            if key.startswith("knock:") and status == "pending" and until >= self.keeper.clock():
                request = key.removeprefix("knock:")
                out.append((request, name, secrets.get(f"kpub:{request}")))
        return out

    async def claim(self, room_id: str, request: str, name: str) -> Any:
        """The knocker's socket turns an admission into a seat (the broker's word is
        not trusted: the store must say "admitted"); None: not admitted. The seat is
        the kind's own (``Seated`` for a live room)."""
        key = f"knock:{request}"
        secrets = await self.keeper.io(self.store.secrets(room_id))
        if secrets.get(key, "").partition("|")[0] != "admitted":
            return None
        seated = await self._take(room_id, name, key)
        wrapped = secrets.get(f"kkey:{request}")
        for done in (f"kpub:{request}", f"kkey:{request}"):
            if done in secrets:
                await self.keeper.io(self.store.set_secret(room_id, done, None, 0))
        return replace(seated, key=wrapped)


def _knock(value: str) -> tuple[str, float, str]:
    """A knock record: "status|deadline|name"."""
    status, _, rest = value.partition("|")
    until, _, name = rest.partition("|")
    try:
        return status, float(until), name
    except ValueError:
        return "", 0.0, ""
