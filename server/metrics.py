"""Metrics, exposed through ``prometheus_client`` with one registry per app (no global
registry: tests build many apps in one process).

The hot path keeps plain integers (``metrics.actions[name] += 1`` costs a dict update;
a ``prometheus_client`` counter takes a lock and a label lookup per call, on every move):
``AppCollector`` turns them into metric families only when ``/metrics`` is read. Beside
them: the library's process collector (CPU, resident memory, open descriptors) and
platform collector (``python_info``), and ``GcClock``, our collector of garbage-collector
pauses (the one process-wide object, as the collector is process-wide)."""

from __future__ import annotations

import bisect
import gc
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, PlatformCollector, ProcessCollector
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

__all__ = ["CONTENT_TYPE_LATEST", "GC", "GcClock", "Histogram", "Metrics"]

STORE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Histogram:
    """Bucket counts kept as plain integers (see the module's docstring)."""

    def __init__(self, buckets: Iterable[float]) -> None:
        self.bounds = tuple(sorted(buckets))
        self.counts = [0] * (len(self.bounds) + 1)
        self.total = 0.0
        self.n = 0

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.bounds, value)] += 1
        self.total += value
        self.n += 1

    def family(self, name: str, documentation: str) -> HistogramMetricFamily:
        buckets, running = [], 0
        for bound, count in zip(self.bounds, self.counts, strict=False):
            running += count
            buckets.append((repr(bound), float(running)))
        buckets.append(("+Inf", float(self.n)))
        return HistogramMetricFamily(name, documentation, buckets=buckets, sum_value=self.total)


class GcClock(Collector):
    """How often the cyclic garbage collector ran, and how long it held the event loop
    still, per generation (``install`` once per process; counting costs two clock reads
    per collection)."""

    def __init__(self) -> None:
        self.collections = [0, 0, 0]
        self.seconds = [0.0, 0.0, 0.0]
        self._started = 0.0
        self.installed = False

    def install(self) -> None:
        if not self.installed:
            gc.callbacks.append(self._on_collect)
            self.installed = True

    def _on_collect(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        generation = int(info["generation"])
        self.collections[generation] += 1
        self.seconds[generation] += time.perf_counter() - self._started

    def collect(self) -> Iterator[Metric]:
        if not self.installed:
            return
        runs = CounterMetricFamily(
            "closeknit_gc_collections", "Garbage collections, by generation.",
            labels=["generation"],
        )  # fmt: skip
        held = CounterMetricFamily(
            "closeknit_gc_seconds", "Time the garbage collector held the loop.",
            labels=["generation"],
        )  # fmt: skip
        for generation in range(3):
            runs.add_metric([str(generation)], self.collections[generation])
            held.add_metric([str(generation)], self.seconds[generation])
        yield runs
        yield held


GC = GcClock()


class Metrics:
    """This app's counters; ``render`` is the text of ``/metrics``."""

    def __init__(self) -> None:
        self.connections = 0  # open WebSocket connections on this instance
        self.connections_total = 0
        self.rooms_created = 0
        self.rooms_deleted = 0
        self.actions: Counter[str] = Counter()  # applied actions by name
        self.errors: Counter[str] = Counter()  # error replies by code
        self.dropped_slow = 0
        self.conflicts = 0  # commits retried because another change came first
        self.moves_now = 0  # actions applied on the hot path (rooms.moves.act_now)
        self.store_latency = Histogram(STORE_BUCKETS)
        self.rooms: int | None = None  # asked of the store just before each render
        self.tasks: int | None = None
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.registry.register(AppCollector(self))
        self.registry.register(GC)

    def render(self, rooms: int | None, tasks: int | None = None) -> str:
        self.rooms, self.tasks = rooms, tasks
        return generate_latest(self.registry).decode()


class AppCollector(Collector):
    def __init__(self, metrics: Metrics) -> None:
        self.m = metrics

    def collect(self) -> Iterator[Metric]:
        m = self.m
        yield _gauge("closeknit_tasks", "asyncio tasks alive in this process.", m.tasks)
        yield _gauge("closeknit_connections", "Open WebSocket connections.", m.connections)
        yield CounterMetricFamily(
            "closeknit_connections_accepted", "WebSocket connections accepted.",
            value=m.connections_total,
        )  # fmt: skip
        yield _gauge("closeknit_rooms", "Rooms in the store (-1 when it does not answer).",
                     m.rooms)  # fmt: skip
        yield _counter("closeknit_rooms_created", "Rooms created by this instance.",
                       m.rooms_created)  # fmt: skip
        yield _counter("closeknit_rooms_deleted", "Rooms deleted by this instance.",
                       m.rooms_deleted)  # fmt: skip
        yield _counter("closeknit_slow_clients_dropped", "Clients dropped for a full queue.",
                       m.dropped_slow)  # fmt: skip
        yield _counter("closeknit_commit_conflicts",
                       "Commits retried after a concurrent change.", m.conflicts)  # fmt: skip
        yield _labelled("closeknit_actions", "Game actions applied, by action.", "action",
                        m.actions)  # fmt: skip
        yield _counter("closeknit_actions_hot_path",
                       "Actions applied without a coroutine (cached state, one store call).",
                       m.moves_now)  # fmt: skip
        yield _labelled("closeknit_errors", "Error replies sent, by code.", "code", m.errors)
        yield m.store_latency.family("closeknit_store_seconds", "Store call latency.")


def _gauge(name: str, documentation: str, value: int | None) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=-1 if value is None else value)


def _counter(name: str, documentation: str, value: int) -> CounterMetricFamily:
    return CounterMetricFamily(name, documentation, value=value)


def _labelled(name: str, documentation: str, label: str, counts: Counter[str]) -> Metric:
    family = CounterMetricFamily(name, documentation, labels=[label])
    for key, count in sorted(counts.items()):
        family.add_metric([key], count)
    return family
