"""What an outside black-box suite found (issue 14), held by tests that speak only the
protocol: real sockets against a real server process (``python -m server.serve``), so
they hold whatever drives the sockets inside."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
import websockets

from tests.server.client import Client, create_room, pair, split_invite
from tests.support.servers import ServerProcess

FAST = {"MSG_RATE": "500", "MSG_BURST": "500"}  # tests click faster than people


@pytest.fixture(scope="module")
def lone() -> Iterator[ServerProcess]:
    """One server process on the in-process store for the tests that need no Redis."""
    with ServerProcess(FAST) as srv:
        yield srv


async def test_no_query_string_of_a_websocket_request_reaches_the_log(
    lone: ServerProcess,
) -> None:
    """uvicorn's own WebSocket lines ("accepted", "403") printed the whole query string:
    a token put in the URL by a careless client was logged at INFO."""
    mark = "tokenInTheUrl7Qx"
    ws = await websockets.connect(f"{lone.ws_url}?token={mark}&a=1", open_timeout=5)
    await ws.close()
    with pytest.raises(websockets.InvalidStatus):  # another site's page: refused (403)
        await websockets.connect(f"{lone.ws_url}?token={mark}2", origin="http://evil.example")  # type: ignore[arg-type]
    await asyncio.sleep(0.3)
    log = lone.log()
    assert '"WebSocket /ws" [accepted]' in log and '"WebSocket /ws" 403' in log, log[-2000:]
    assert mark not in log and "?" not in "".join(
        line for line in log.splitlines() if "WebSocket" in line
    )
