"""Knock and admit for a daily space: the live room's records and flow
(``rooms.admission``), with the space's own seat check and seat taking."""

from __future__ import annotations

from typing import Any

from server.daily.service import DailyService
from server.rooms.admission import Admission


class DailyAdmission(Admission):
    """One per socket: ``language`` is the knocker's, for the seat it may get."""

    def __init__(self, spaces: DailyService, language: str = "") -> None:
        self.spaces = spaces
        self.keeper = spaces
        self.store = spaces.store
        self.settings = spaces.settings
        self.language = language

    async def _free_seat(self, room_id: str) -> float | None:
        loaded = await self.spaces.load(room_id)
        if loaded is None or loaded[1].space.seats[1].joined:
            return None
        return self.spaces.ttl(loaded[1].space)

    async def _take(self, room_id: str, name: str, spent: str) -> Any:
        return await self.spaces.take_seat(room_id, name, spent, language=self.language)
