"""A few Prometheus metrics, rendered by hand in the text exposition format (no
dependency, no global registry: each app owns its ``Metrics``; the process-wide
garbage-collector clock is the one exception, as the collector is process-wide)."""

from __future__ import annotations

import bisect
import gc
import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

STORE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Histogram:
    def __init__(self, buckets: Iterable[float]) -> None:
        self.bounds = tuple(sorted(buckets))
        self.counts = [0] * (len(self.bounds) + 1)
        self.total = 0.0
        self.n = 0

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.bounds, value)] += 1
        self.total += value
        self.n += 1

    def render(self, name: str) -> list[str]:
        lines, running = [], 0
        for bound, count in zip(self.bounds, self.counts, strict=False):
            running += count
            lines.append(f'{name}_bucket{{le="{bound}"}} {running}')
        lines.append(f'{name}_bucket{{le="+Inf"}} {self.n}')
        lines.append(f"{name}_sum {self.total}")
        lines.append(f"{name}_count {self.n}")
        return lines


class GcClock:
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

    def render(self) -> list[str]:
        if not self.installed:
            return []
        return [
            "# HELP closeknit_gc_collections_total Garbage collections, by generation.",
            "# TYPE closeknit_gc_collections_total counter",
            *(f'closeknit_gc_collections_total{{generation="{g}"}} {n}'
              for g, n in enumerate(self.collections)),
            "# HELP closeknit_gc_seconds_total Time the garbage collector held the loop.",
            "# TYPE closeknit_gc_seconds_total counter",
            *(f'closeknit_gc_seconds_total{{generation="{g}"}} {t:.6f}'
              for g, t in enumerate(self.seconds)),
        ]  # fmt: skip


GC = GcClock()


class Metrics:
    def __init__(self) -> None:
        self.connections = 0  # open WebSocket connections on this instance
        self.connections_total = 0
        self.rooms_created = 0
        self.rooms_deleted = 0
        self.actions: Counter[str] = Counter()  # applied actions by name
        self.errors: Counter[str] = Counter()  # error replies by code
        self.dropped_slow = 0
        self.conflicts = 0  # commits retried because another change came first
        self.store_latency = Histogram(STORE_BUCKETS)

    def render(self, rooms: int | None, tasks: int | None = None) -> str:
        lines = [
            "# HELP closeknit_tasks asyncio tasks alive in this process.",
            "# TYPE closeknit_tasks gauge",
            f"closeknit_tasks {-1 if tasks is None else tasks}",
            "# HELP closeknit_connections Open WebSocket connections on this instance.",
            "# TYPE closeknit_connections gauge",
            f"closeknit_connections {self.connections}",
            "# HELP closeknit_connections_total WebSocket connections accepted.",
            "# TYPE closeknit_connections_total counter",
            f"closeknit_connections_total {self.connections_total}",
            "# HELP closeknit_rooms Rooms in the store (-1 when it does not answer).",
            "# TYPE closeknit_rooms gauge",
            f"closeknit_rooms {-1 if rooms is None else rooms}",
            "# HELP closeknit_rooms_created_total Rooms created by this instance.",
            "# TYPE closeknit_rooms_created_total counter",
            f"closeknit_rooms_created_total {self.rooms_created}",
            "# HELP closeknit_rooms_deleted_total Rooms deleted by this instance.",
            "# TYPE closeknit_rooms_deleted_total counter",
            f"closeknit_rooms_deleted_total {self.rooms_deleted}",
            "# HELP closeknit_slow_clients_dropped_total Clients dropped for a full queue.",
            "# TYPE closeknit_slow_clients_dropped_total counter",
            f"closeknit_slow_clients_dropped_total {self.dropped_slow}",
            "# HELP closeknit_commit_conflicts_total Commits retried after a concurrent change.",
            "# TYPE closeknit_commit_conflicts_total counter",
            f"closeknit_commit_conflicts_total {self.conflicts}",
            "# HELP closeknit_actions_total Game actions applied, by action.",
            "# TYPE closeknit_actions_total counter",
            *(
                f'closeknit_actions_total{{action="{a}"}} {n}'
                for a, n in sorted(self.actions.items())
            ),
            "# HELP closeknit_errors_total Error replies sent, by code.",
            "# TYPE closeknit_errors_total counter",
            *(f'closeknit_errors_total{{code="{c}"}} {n}' for c, n in sorted(self.errors.items())),
            "# HELP closeknit_store_seconds Store call latency.",
            "# TYPE closeknit_store_seconds histogram",
            *self.store_latency.render("closeknit_store_seconds"),
            *GC.render(),
        ]
        return "\n".join(lines) + "\n"
