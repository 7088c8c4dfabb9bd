"""What a benchmark run samples besides the generator's own figures: CPU time and
memory of the server processes (psutil), and Redis's CPU and command counts
(INFO cpu / INFO commandstats)."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass

import psutil
import redis


@dataclass(frozen=True)
class Sample:
    cpu: float  # seconds of user + system time, summed over the processes
    rss: int  # bytes, summed


def sample(pids: list[int]) -> Sample:
    cpu, rss = 0.0, 0
    for pid in pids:
        proc = psutil.Process(pid)
        times = proc.cpu_times()
        cpu += times.user + times.system
        rss += proc.memory_info().rss
    return Sample(cpu, rss)


def fd_limit(pid: int) -> int:
    """The soft descriptor limit of a running process (what ``ulimit -n`` says in it)."""
    soft, _ = psutil.Process(pid).rlimit(psutil.RLIMIT_NOFILE)
    return int(soft)


@dataclass(frozen=True)
class Held:
    """What the server processes hold at one moment, summed over them."""

    connections: int  # open WebSockets, by the servers' own count (closeknit_connections)
    open_fds: int  # every descriptor, the kernel's count (sockets, listeners, Redis, ...)
    fd_limit: int  # the lowest soft descriptor limit among them
    # Full (generation 2) garbage collections so far, and the seconds they held the loop.
    gc_full: int = 0
    gc_full_seconds: float = 0.0


def held(metrics_urls: list[str], pids: list[int]) -> Held:
    """Reads each server's ``/metrics`` (its metrics listener); a server that does not
    answer counts as holding nothing."""
    connections, full, full_seconds = 0, 0, 0.0
    for url in metrics_urls:
        try:
            with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
                text = response.read().decode()
        except OSError:
            continue
        for line in text.splitlines():
            name, _, value = line.rpartition(" ")
            if name == "closeknit_connections":
                connections += int(float(value))
            elif name == 'closeknit_gc_collections_total{generation="2"}':
                full += int(float(value))
            elif name == 'closeknit_gc_seconds_total{generation="2"}':
                full_seconds += float(value)
    fds = sum(psutil.Process(pid).num_fds() for pid in pids)
    return Held(connections, fds, min(fd_limit(pid) for pid in pids), full, full_seconds)


@dataclass(frozen=True)
class RedisSample:
    cpu: float
    commands: int


class RedisProbe:
    """Reads Redis's own counters; its INFO calls are subtracted from the count."""

    def __init__(self, port: int) -> None:
        self.client = redis.Redis(host="127.0.0.1", port=port)

    def sample(self) -> RedisSample:
        cpu = self.client.info("cpu")
        stats = self.client.info("commandstats")
        calls = sum(int(v["calls"]) for v in stats.values() if isinstance(v, dict))
        return RedisSample(float(cpu["used_cpu_user"]) + float(cpu["used_cpu_sys"]), calls)

    def delta(self, before: RedisSample, after: RedisSample) -> RedisSample:
        # Two INFO commands per sample are ours, not the server's.
        return RedisSample(after.cpu - before.cpu, after.commands - before.commands - 2)

    def version(self) -> str:
        return str(self.client.info("server")["redis_version"])

    def close(self) -> None:
        self.client.close()
