"""The Redis test fixtures themselves: a missing binary fails under CI, a fresh server
restarts on its own port, and the cluster serves every slot."""

from __future__ import annotations

import pytest

from tests.support.redis import RedisClusterNodes, RedisServer, command, require_binary

pytestmark = pytest.mark.redis


def test_a_missing_binary_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="not installed"):
        require_binary("redis-server-that-does-not-exist")


def test_a_missing_binary_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        require_binary("redis-server-that-does-not-exist")


def test_a_fresh_server_restarts_on_the_same_port_empty(fresh_redis: RedisServer) -> None:
    port = fresh_redis.port
    assert command(port, "SET", "k", "v") == b"+OK\r\n"
    fresh_redis.stop()
    with pytest.raises(OSError):
        command(port, "PING")
    fresh_redis.start()
    assert fresh_redis.port == port
    assert fresh_redis.dbsize() == 0  # no persistence: nothing survives a restart


def test_the_test_servers_listen_on_loopback_without_persistence(
    redis_server: RedisServer,
) -> None:
    config = command(redis_server.port, "CONFIG", "GET", "*")
    for expected in (b"bind\r\n$9\r\n127.0.0.1", b"save\r\n$0\r\n", b"appendonly\r\n$2\r\nno"):
        assert expected in config


def test_the_cluster_covers_every_slot(redis_cluster: RedisClusterNodes) -> None:
    info = command(redis_cluster.nodes[0].port, "CLUSTER", "INFO")
    assert b"cluster_state:ok" in info
    assert b"cluster_slots_assigned:16384" in info
    assert b"cluster_known_nodes:3" in info
