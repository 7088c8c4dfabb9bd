"""What a benchmark run samples besides the generator's own figures: CPU time and
memory of the server processes (psutil), and Redis's CPU and command counts
(INFO cpu / INFO commandstats)."""

from __future__ import annotations

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
