"""Servers for the server tests: the app under real uvicorn in the test's own loop,
on the in-process store and on a real redis-server (``redis_url`` from tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.server.client import close_all
from tests.support.servers import InProcessServer


@pytest.fixture(autouse=True)
async def _close_clients() -> AsyncIterator[None]:
    yield
    await close_all()


@pytest.fixture(scope="module", params=[False, True], ids=["asgi", "direct"])
def ws_direct(request: pytest.FixtureRequest) -> bool:
    """Both ways the sockets are served: through ASGI, and without it (``WS_DIRECT``,
    server/http/direct.py). A test of how sockets behave takes it (or ``ws_env``)."""
    return bool(request.param)


@pytest.fixture(params=["memory", "redis"])
def store_url(request: pytest.FixtureRequest) -> str:
    if request.param == "memory":
        return ""
    return str(request.getfixturevalue("redis_url"))


@pytest.fixture
async def server(store_url: str) -> AsyncIterator[InProcessServer]:
    async with InProcessServer(redis_url=store_url) as srv:
        yield srv


@pytest.fixture
async def memory_server() -> AsyncIterator[InProcessServer]:
    async with InProcessServer() as srv:
        yield srv
