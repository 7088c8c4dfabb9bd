"""``from_url``: the one place a store URL becomes a store.

- missing, empty or ``memory://``: ``MemoryStore`` (one process; rooms end with it);
- ``redis://``, ``rediss://``, ``unix://``: ``RedisStore`` on one Redis;
- ``redis+cluster://[user:pass@]host:port,host:port,...`` (or ``rediss+cluster://``):
  ``RedisStore`` on a Redis Cluster; any reachable node is enough to start.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from redis.asyncio import Redis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff

from server.store.base import RoomStore
from server.store.memory import MemoryStore
from server.store.redis import RedisStore

SOCKET_TIMEOUT = 2.0
CONNECT_TIMEOUT = 1.0
HEALTH_CHECK = 10.0


def _retry() -> Retry:
    # A couple of quick retries ride out a blip; a Redis that is really gone must
    # reach the caller as StoreUnavailable in well under a second, not after ~10 s.
    return Retry(ExponentialWithJitterBackoff(base=0.02, cap=0.2), retries=2)


def _client_options() -> dict[str, Any]:
    return {
        "socket_timeout": SOCKET_TIMEOUT,
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "retry": _retry(),
    }


def _bus_options() -> dict[str, Any]:
    # The listener owns its reconnects, so the driver must not hide a lost connection;
    # no socket timeout (it idles by design) but a periodic PING finds dead peers.
    return {
        "socket_timeout": None,
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "retry": Retry(NoBackoff(), 0),
        "health_check_interval": HEALTH_CHECK,
    }


@dataclass(frozen=True, slots=True)
class ClusterAddress:
    nodes: tuple[tuple[str, int], ...]
    username: str | None
    password: str | None
    ssl: bool


def parse_cluster_url(url: str) -> ClusterAddress:
    parts = urlsplit(url)
    if parts.scheme not in ("redis+cluster", "rediss+cluster"):
        raise ValueError("not a redis+cluster:// URL")
    userinfo, _, hosts = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    nodes = []
    for item in hosts.split(","):
        host, sep, port = item.strip().rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ValueError("cluster nodes must be host:port, comma-separated")
        nodes.append((host.strip("[]"), int(port)))
    return ClusterAddress(
        nodes=tuple(nodes),
        username=unquote(user) or None,
        password=unquote(password) or None,
        ssl=parts.scheme == "rediss+cluster",
    )


def _single(url: str, **options: Any) -> RedisStore:
    client = Redis.from_url(url, **_client_options())

    def bus() -> Redis:
        return Redis.from_url(url, **_bus_options())

    return RedisStore(client, bus, **options)


def _cluster(url: str, **options: Any) -> RedisStore:
    address = parse_cluster_url(url)
    auth: dict[str, Any] = {
        "username": address.username,
        "password": address.password,
        "ssl": address.ssl,
    }
    client = RedisCluster(
        startup_nodes=[ClusterNode(host, port) for host, port in address.nodes],
        **auth,
        **_client_options(),
    )
    # Classic pub/sub is broadcast to every node of a cluster, so the listener may
    # use a plain connection to any of them; it moves on to the next after a failure.
    rotation = itertools.cycle(address.nodes)

    def bus() -> Redis:
        host, port = next(rotation)
        return Redis(host=host, port=port, **auth, **_bus_options())

    return RedisStore(client, bus, **options)


def from_url(url: str | None, **options: Any) -> RoomStore:
    """Build the store for ``url``; ``options`` go to the store's constructor."""
    if not url or url.strip() in ("memory://", "memory:"):
        return MemoryStore(**options)
    scheme = urlsplit(url).scheme
    if scheme.endswith("+cluster"):
        return _cluster(url, **options)
    if scheme in ("redis", "rediss", "unix"):
        return _single(url, **options)
    raise ValueError(f"unsupported store URL scheme: {scheme!r}")
