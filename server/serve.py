"""``closeknit serve``: run the app under uvicorn, with a graceful SIGTERM (stop
accepting, say ``bye`` to every client, finish in-flight actions, exit)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib.machinery
import importlib.util
import os
import socket
import sys
import time
from collections.abc import Callable, Sequence

import uvicorn

from server import logs, metrics
from server.fanout.hub import Hub
from server.handshake import http_protocol
from server.http.app import create_app
from server.http.direct import DirectProtocol
from server.settings import SettingError, Settings, add_options, from_options

log = logs.get("serve")
# The collector's pauses are the server's worst latencies, and a young collection costs
# in proportion to the objects that are still alive since the last one: under load, a
# room's new state and each socket's waiting receive (uvicorn's and Starlette's
# coroutines and future), all alive for about a second.
# - Python's default (700, 10, 10) promoted those to the old generation before they
#   died, so full collections (every room in memory, ~90 ms each at 1,000 rooms) came
#   every ~1,300 moves: a fifth of the server's CPU.
# - (10,000, 20, 10), the next try, let them die young, but each young collection then
#   found ~30,000 live objects: a 25-35 ms pause every ~4.5 s at 1,000 actions/s, which
#   set the open-loop p99.
# - (300, 1,000, 10): a young collection about every 80 ms finds few live objects (1 ms
#   on average, at most 5-9 ms; ~1% of the CPU); the survivors die in the middle
#   generation, whose collection (as large as before, tens of ms) comes only every
#   1,000 young ones: about every 80 s at that load, as often as before. Cyclic garbage
#   (uvicorn leaves some per connection) waits for it as before.
GC_THRESHOLDS = (300, 1_000, 10)


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
        await self.listen_for_metrics()
        gc.collect()
        gc.freeze()  # start-up objects never need collecting: halves p99 under load
        gc.set_threshold(*GC_THRESHOLDS)
        metrics.GC.install()  # /metrics shows how long collections held the loop

    async def listen_for_metrics(self) -> None:
        """The metrics listener (METRICS_PORT): the same app on a second socket, which
        answers only /metrics there (server.http.app.App)."""
        state = getattr(_unwrap(self.config.loaded_app), "state", None)
        settings: Settings | None = getattr(state, "settings", None)
        port = settings.metrics_port if settings is not None else 0
        if not port or not self.started:
            return
        config = self.config

        def protocol() -> asyncio.Protocol:
            return config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state, app_state=self.lifespan.state
            )

        loop = asyncio.get_running_loop()
        self.servers.append(await loop.create_server(protocol, host=config.host, port=port))
        log.info("metrics on %s:%s/metrics", config.host, port)

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
    return from_options(args)


def config_for(app: object, settings: Settings, **overrides: object) -> uvicorn.Config:
    """uvicorn's configuration for our app: limits, no compression, our log filter."""
    options: dict[str, object] = {
        "host": settings.host,
        "port": settings.port,
        "ws": DirectProtocol if settings.ws_direct else ws_backend(),
        "http": http_protocol(settings.handshake_timeout),
        "loop": loop_backend(),
        # Frames up to four times the limit are read, so the codec can say
        # protocol/frame_too_big before the 1009; beyond that uvicorn closes at once.
        "ws_max_size": 4 * settings.max_frame,
        "ws_per_message_deflate": False,
        "log_config": logs.log_config(settings.log_level, settings.log_format),
        "log_level": settings.log_level,
        "proxy_headers": False,  # forwarded addresses are judged by server.ratelimit
        "server_header": False,
        "timeout_graceful_shutdown": max(1, int(settings.shutdown_grace) + 1),
        **overrides,
    }
    return uvicorn.Config(app, **options)  # type: ignore[arg-type]


def engine_build() -> str:
    """Whether ``game/`` (and the hot server modules) run compiled by mypyc (``make run
    MYPYC=1``) or interpreted."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)

    def files(package: str) -> list[str]:
        loaded = [m for n, m in sys.modules.items() if n == package or n.startswith(package + ".")]
        return [str(getattr(m, "__file__", "")) for m in loaded]

    engine, server = files("game"), files("server")
    compiled = [f for f in engine if f.endswith(suffixes)]
    if not compiled:
        return "interpreted (make run MYPYC=1 runs it compiled by mypyc)"
    hot = [f for f in server if f.endswith(suffixes)]
    where = os.path.dirname(os.path.dirname(str(sys.modules["game"].__file__)))
    return (
        f"compiled by mypyc ({len(compiled)} of {len(engine)} engine modules, {len(hot)} of"
        f" the server's {len(server)} loaded, from {where})"
    )


def main(args: argparse.Namespace, *, clock: Callable[[], float] = time.time) -> int:
    """``clock``: the rules' wall clock (only a test launcher passes another one)."""
    try:
        settings = settings_from(args)
    except SettingError as error:
        print(f"closeknit serve: {error}", file=sys.stderr)
        return 2
    config = config_for(create_app(settings, clock=clock), settings)
    store = "Redis" if settings.redis_url else "the in-process store (rooms end with it)"
    log.info("serving on %s:%s with %s", settings.host, settings.port, store)
    log.info("rules engine: %s", engine_build())
    # uvicorn shuts down gracefully on Ctrl+C, then raises SIGINT again for its
    # caller: an interrupt asked for is a clean stop, not a crash.
    with contextlib.suppress(KeyboardInterrupt):
        Server(config).run()
    log.info("stopped")
    return 0


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m server.serve")
    add_options(parser)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    sys.exit(main(parse()))
