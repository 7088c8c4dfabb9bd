"""One dataclass of settings, read from the environment (and overridden by the CLI)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    redis_url: str = ""  # empty: the in-process store (rooms end with the process)
    decks_dir: str = ""
    log_level: str = "info"
    public_url: str = ""  # base of invite links; empty: taken from each request
    allowed_origins: tuple[str, ...] = ()  # besides the same origin; "*" allows any
    allowed_hosts: tuple[str, ...] = ()  # Host headers served besides PUBLIC_URL's host
    trusted_proxies: tuple[str, ...] = ()  # X-Forwarded-For is believed only from these
    client_dir: str = "web-client/dist"
    # lifetimes (seconds)
    room_ttl: float = 12 * 3600
    ended_room_ttl: float = 600
    token_grace: float = 60
    knock_timeout: float = 120
    hello_timeout: float = 10
    handshake_timeout: float = 10  # a request head (WebSocket handshake too) must arrive in it
    presence_ttl: float = 90
    reply_deadline: float = 2  # a message that needs the store is answered within it
    # limits
    max_frame: int = 16 * 1024
    max_text: int = 2000
    max_name: int = 40
    msg_rate: float = 20  # messages per second per connection, sustained ...
    msg_burst: int = 40  # ... with this burst
    flood_strikes: int = 20  # rate-limited messages in a row before closing with 1008
    create_rate: float = 10 / 60  # room creations per second per address ...
    create_burst: int = 20
    join_fail_rate: float = 10 / 60  # failed joins and knocks per second per address ...
    join_fail_burst: int = 10
    send_queue: int = 64  # frames waiting for one slow client before it is dropped
    commit_retries: int = 8
    shutdown_grace: float = 5

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f.name.upper())
            if raw is not None:
                values[f.name] = _parse(raw, f.default)
        return replace(cls(**values), **{k: v for k, v in overrides.items() if v is not None})

    @property
    def memory_store(self) -> bool:
        return not self.redis_url


def _parse(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw
