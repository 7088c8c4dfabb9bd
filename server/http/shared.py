"""What every socket of one app shares, built in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from server.fanout.hub import Hub
from server.ratelimit import SharedLimiter
from server.rooms.service import Service
from server.settings import Settings


@dataclass(slots=True)
class Shared:
    """What every socket of one app shares (built in the app's lifespan)."""

    settings: Settings
    service: Service
    hub: Hub
    join_limiter: SharedLimiter
