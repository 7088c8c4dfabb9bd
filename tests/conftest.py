"""Fixtures shared by every test area: real ``redis-server`` processes.

- ``redis_server`` / ``redis_url``: one server for the whole session (fast); tests
  share it, so they use unique room ids and compare counts relative to a start value.
- ``fresh_redis``: a server of the test's own, for tests that stop, restart (same port)
  or kill Redis: ``.url``, ``.stop()``, ``.start()``, ``.kill()``.
- ``redis_cluster``: a three-node Redis Cluster for the session (``.url`` is a
  ``redis+cluster://`` URL that ``server.store.from_url`` understands).

A missing redis-server is a skip locally and a failure when CI=true.

- ``mypyc_early_build``: the compiled-engine test's build, started in the background
  while the engine tests run (``tests/support/mypyc.py``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.support.mypyc import EarlyBuild
from tests.support.redis import RedisClusterNodes, RedisServer, require_binary, temp_dir

# This machine is shared and noisy: Hypothesis examples are never failed for being slow
# (speed is measured by benchmarks, never by tests).
settings.register_profile("closeknit", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("closeknit")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last. Playwright's sync API drives its own event loop on the
    main thread; should a browser test ever leave it running, no asyncio test after it
    can start ("cannot be called from a running event loop"), so nothing comes after."""
    items.sort(key=lambda item: "tests/browser/" in item.nodeid.replace("\\", "/"))


EARLY_BUILD = EarlyBuild()


def pytest_collection_finish(session: pytest.Session) -> None:
    EARLY_BUILD.plan([item.nodeid for item in session.items])


def pytest_runtest_setup(item: pytest.Item) -> None:
    EARLY_BUILD.starting(item.nodeid)


def pytest_sessionfinish() -> None:
    EARLY_BUILD.stop()


@pytest.fixture(scope="session")
def mypyc_early_build() -> EarlyBuild:
    return EARLY_BUILD


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    workdir = temp_dir("ck-redis-")
    server = RedisServer(require_binary("redis-server"), workdir)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


@pytest.fixture
def fresh_redis() -> Iterator[RedisServer]:
    workdir = temp_dir("ck-redis-fresh-")
    server = RedisServer(require_binary("redis-server"), workdir)
    server.start()
    yield server
    server.kill()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_cluster() -> Iterator[RedisClusterNodes]:
    server_bin, cli_bin = require_binary("redis-server"), require_binary("redis-cli")
    workdir = temp_dir("ck-redis-cluster-")
    cluster = RedisClusterNodes(server_bin, cli_bin, workdir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)
