"""Knock and admit: someone with only the room's code asks to come in, the creator
says yes or no, and the knocker's own socket turns a yes into the second seat.

A knock is a room secret ``knock:<request>`` = "status|deadline|name". The broker only
says that something happened; the store's record decides (a forged "admit" on the bus
cannot seat anyone).
"""

from __future__ import annotations

from dataclasses import replace

from server import tokens
from server.errors import ErrorCode, Refused
from server.rooms.service import Seated, Service


class Admission:
    def __init__(self, rooms: Service) -> None:
        self.rooms = rooms
        self.store = rooms.store
        self.settings = rooms.settings

    async def knock(self, room_id: str, name: str, pub: str | None = None) -> tuple[str, bool]:
        """Record a knock when the room exists and has a free seat. A request id is
        returned either way (with whether it was recorded, for the creator's socket
        only), so the knocker cannot tell an unknown code from a known one."""
        request = "k" + tokens.new_secret()[:15].replace("-", "x").replace("_", "y")
        state = await self.rooms.load(room_id)
        recorded = state is not None and not state.room.seats[1].joined
        if state is not None and recorded:
            until = self.rooms.clock() + self.settings.knock_timeout
            value = f"pending|{until}|{name}"
            ttl = self.rooms.ttl(state.room)
            await self.rooms.io(self.store.set_secret(room_id, f"knock:{request}", value, ttl))
            if pub is not None:  # for a creator who comes back while it waits
                await self.rooms.io(self.store.set_secret(room_id, f"kpub:{request}", pub, ttl))
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
        status, until, _ = _knock((await self.rooms.io(self.store.secrets(room_id))).get(key, ""))
        if status != "pending" or until < self.rooms.clock():
            raise Refused(ErrorCode.UNKNOWN_REQUEST, "No such knock is waiting.")
        value = f"admitted|{until}" if accept else None
        ttl = self.settings.knock_timeout
        if accept and wrapped is not None:
            await self.rooms.io(self.store.set_secret(room_id, f"kkey:{request}", wrapped, ttl))
        await self.rooms.io(self.store.set_secret(room_id, key, value, ttl))

    async def pending(self, room_id: str) -> list[tuple[str, str, str | None]]:
        """Knocks still waiting for the creator's answer: (request, name, public key)."""
        out = []
        secrets = await self.rooms.io(self.store.secrets(room_id))
        for key, value in secrets.items():
            status, until, name = _knock(value)
            if key.startswith("knock:") and status == "pending" and until >= self.rooms.clock():
                request = key.removeprefix("knock:")
                out.append((request, name, secrets.get(f"kpub:{request}")))
        return out

    async def claim(self, room_id: str, request: str, name: str) -> Seated | None:
        """The knocker's socket turns an admission into a seat (the broker's word is
        not trusted: the store must say "admitted"); None: not admitted."""
        key = f"knock:{request}"
        secrets = await self.rooms.io(self.store.secrets(room_id))
        if secrets.get(key, "").partition("|")[0] != "admitted":
            return None
        seated = await self.rooms.take_seat(room_id, name, spent=key)
        wrapped = secrets.get(f"kkey:{request}")
        for done in (f"kpub:{request}", f"kkey:{request}"):
            if done in secrets:
                await self.rooms.io(self.store.set_secret(room_id, done, None, 0))
        return replace(seated, key=wrapped)


def _knock(value: str) -> tuple[str, float, str]:
    """A knock record: "status|deadline|name"."""
    status, _, rest = value.partition("|")
    until, _, name = rest.partition("|")
    try:
        return status, float(until), name
    except ValueError:
        return "", 0.0, ""
