"""``closeknit serve``: run the app under uvicorn, with a graceful SIGTERM (stop
accepting, say ``bye`` to every client, finish in-flight actions, exit)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import socket
import sys
from collections.abc import Sequence

import uvicorn

from server import logs, metrics
from server.app import create_app
from server.relay import Hub
from server.settings import Settings

log = logs.get("serve")
# With Python's default thresholds (700, 10, 10) the collector ran a young collection
# every ~13 moves, and a room's state (replaced at its next move, ~1 s later at 1,000
# rooms) was promoted to the old generation before it died, so full collections (every
# room in memory: ~90 ms of CPU each) came every ~1,300 moves: a fifth of the server's
# CPU, and its worst latencies. A young collection every 10,000 net allocations lets a
# state die young. Not more: cyclic garbage (uvicorn leaves some per connection) waits
# for the young collection, and 50,000 showed as a 13% RSS rise in the 60 s soak.
# The old generation keeps the default rule (a full collection once it grew by a
# quarter).
GC_THRESHOLDS = (10_000, 20, 10)


def ws_backend() -> str:
    """The fastest WebSocket implementation this uvicorn offers."""
    from uvicorn.config import WS_PROTOCOLS

    return "websockets-sansio" if "websockets-sansio" in WS_PROTOCOLS else "websockets"


def loop_backend() -> str:
    return "uvloop" if importlib.util.find_spec("uvloop") is not None else "asyncio"


class Server(uvicorn.Server):
    """uvicorn's server, with our goodbye before it closes connections itself."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        gc.collect()
        gc.freeze()  # start-up objects never need collecting: halves p99 under load
        gc.set_threshold(*GC_THRESHOLDS)
        metrics.GC.install()  # /metrics shows how long collections held the loop

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()  # stop accepting first
        app = self.config.loaded_app
        hub: Hub | None = getattr(getattr(_unwrap(app), "state", None), "hub", None)
        if hub is not None:
            settings: Settings = hub.settings
            await hub.drain(settings.shutdown_grace)
        await super().shutdown(sockets)


def _unwrap(app: object) -> object:
    # uvicorn wraps the app in middleware (proxy headers, message logger).
    while hasattr(app, "app") and not hasattr(app, "state"):
        app = app.app
    return app


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        redis_url=getattr(args, "redis_url", None),
        decks_dir=getattr(args, "decks_dir", None),
        log_level=getattr(args, "log_level", None),
    )


def config_for(app: object, settings: Settings, **overrides: object) -> uvicorn.Config:
    """uvicorn's configuration for our app: limits, no compression, our log filter."""
    options: dict[str, object] = {
        "host": settings.host,
        "port": settings.port,
        "ws": ws_backend(),
        "loop": loop_backend(),
        "ws_max_size": settings.max_frame,
        "ws_per_message_deflate": False,
        "log_config": logs.log_config(settings.log_level),
        "log_level": settings.log_level,
        "proxy_headers": False,  # forwarded addresses are judged by server.ratelimit
        "server_header": False,
        "timeout_graceful_shutdown": max(1, int(settings.shutdown_grace) + 1),
        **overrides,
    }
    return uvicorn.Config(app, **options)  # type: ignore[arg-type]


def main(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    config = config_for(create_app(settings), settings)
    store = "Redis" if settings.redis_url else "the in-process store (rooms end with it)"
    log.info("serving on %s:%s with %s", settings.host, settings.port, store)
    Server(config).run()
    return 0


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m server.serve")
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--redis-url")
    parser.add_argument("--decks-dir")
    parser.add_argument("--log-level")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    sys.exit(main(parse()))
