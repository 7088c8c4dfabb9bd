"""Starting the server: settings from the environment, and the in-process store says
that its rooms end with the process."""

from __future__ import annotations

import gc
import logging

import websockets

from server.http.app import open_store
from server.serve import config_for
from server.settings import Settings
from server.store.memory import MemoryStore
from server.wire.protocol import SUBPROTOCOL_JSON
from tests.support.servers import InProcessServer


def test_settings_are_read_from_the_environment_and_overridden_by_options() -> None:
    env = {
        "PORT": "9001",
        "HOST": "0.0.0.0",
        "REDIS_URL": "redis://127.0.0.1:7000/0",
        "DECKS_DIR": "/srv/decks",
        "ALLOWED_ORIGINS": "https://a.test, https://b.test",
        "ROOM_TTL": "60",
        "MAX_TEXT": "500",
    }
    s = Settings.from_env(env)
    assert (s.port, s.host, s.redis_url, s.decks_dir) == (
        9001,
        "0.0.0.0",
        "redis://127.0.0.1:7000/0",
        "/srv/decks",
    )
    assert s.allowed_origins == ("https://a.test", "https://b.test")
    assert (s.room_ttl, s.max_text) == (60.0, 500)
    assert not s.memory_store
    assert Settings.from_env(env, port=9002, redis_url=None).port == 9002  # None: keep env
    assert Settings.from_env({}).room_ttl == 12 * 3600  # idle rooms: 12 hours by default


async def test_without_redis_the_server_says_its_rooms_end_with_the_process() -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("closeknit.app")
    handler = Keep()
    logger.addHandler(handler)
    try:
        store = open_store(Settings())
    finally:
        logger.removeHandler(handler)
    assert isinstance(store, MemoryStore)
    await store.close()
    said = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    assert any("end when it stops" in m for m in said), said


async def test_websocket_compression_is_off_and_uvicorn_caps_frames() -> None:
    async with InProcessServer(max_frame=4096) as srv:
        ws = await websockets.connect(srv.ws_url, subprotocols=[SUBPROTOCOL_JSON])  # type: ignore[list-item]
        try:
            assert ws.request is not None and ws.response is not None
            assert "permessage-deflate" in ws.request.headers["Sec-WebSocket-Extensions"]
            # The client offered permessage-deflate (its default); the server declined.
            assert "Sec-WebSocket-Extensions" not in ws.response.headers
            assert ws.response.headers["Sec-WebSocket-Protocol"] == SUBPROTOCOL_JSON
        finally:
            await ws.close()
    # uvicorn reads up to four times the limit, so the server can answer frame_too_big first
    config = config_for(object(), Settings(max_frame=4096))  # type: ignore[arg-type]
    assert config.ws_max_size == 4 * 4096


async def test_a_websocket_upgrade_leaves_no_handshake_timer_holding_the_http_protocol() -> None:
    # The timer bounding a request head held uvicorn's HTTP protocol (its parser, the
    # handshake's scope and headers) for HANDSHAKE_TIMEOUT after the upgrade: some
    # 6 KiB a socket, left behind in RSS by every burst of handshakes.
    async with InProcessServer(handshake_timeout=600, ws_direct=False) as srv:
        ws = await websockets.connect(srv.ws_url, subprotocols=[SUBPROTOCOL_JSON])  # type: ignore[list-item]
        try:
            gc.collect()
            held = [o for o in gc.get_objects() if type(o).__name__ == "Bounded"]
            assert held == [], "an upgraded connection's HTTP protocol is still alive"
        finally:
            await ws.close()
