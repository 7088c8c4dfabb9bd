"""Run one or several Node load generators and merge what they report.

One generator holds two sockets per room; a process may hold at most 20,000
descriptors here, so 10,000 rooms take two generators ("shards"). Sharded generators
connect, wait until every shard has connected, then start together (a line on stdin),
so their measured windows coincide; their latency samples are merged exactly.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from collections import Counter
from collections.abc import Callable
from typing import IO, Any

from bench import procs

LOADGEN = procs.ROOT / "bench" / "loadgen" / "loadgen.js"
Event = dict[str, Any]


def _pump(index: int, stream: IO[str], out: queue.Queue[tuple[int, Event | None]]) -> None:
    for line in stream:
        out.put((index, json.loads(line)))
    out.put((index, None))


def drive(argvs: list[list[str]], cpu: int | None, on_mark: Callable[[str], None]) -> Event | None:
    """Runs the generators; calls ``on_mark("measure_start" | "measure_end")`` when the
    first shard starts measuring and when the last one stops. None if one failed."""
    sharded = len(argvs) > 1
    extra = ["--sync", "--samples"] if sharded else []
    gens = [
        subprocess.Popen(procs.pinned([*argv, *extra], cpu), stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True, cwd=procs.ROOT)
        for argv in argvs
    ]  # fmt: skip
    events: queue.Queue[tuple[int, Event | None]] = queue.Queue()
    for index, gen in enumerate(gens):
        assert gen.stdout is not None
        threading.Thread(target=_pump, args=(index, gen.stdout, events), daemon=True).start()
    seen: Counter[str] = Counter()
    results: list[Event] = []
    finished = 0
    while finished < len(gens):
        _, event = events.get()
        if event is None:
            finished += 1
            continue
        kind = event.pop("event")
        seen[kind] += 1
        if kind == "connected" and sharded and seen[kind] == len(gens):
            for gen in gens:
                assert gen.stdin is not None
                gen.stdin.write("go\n")
                gen.stdin.flush()
        elif (kind == "measure_start" and seen[kind] == 1) or (
            kind == "measure_end" and seen[kind] == len(gens)
        ):
            on_mark(kind)
        elif kind == "result":
            results.append(event)
    codes = [gen.wait(60) for gen in gens]
    if any(codes) or len(results) != len(gens):
        return None
    return results[0] if not sharded else merge(results)


def _pick(sorted_samples: list[float], q: float) -> float | None:
    if not sorted_samples:
        return None
    return sorted_samples[min(len(sorted_samples) - 1, int(q * len(sorted_samples)))]


def merge(results: list[Event]) -> Event:
    samples = sorted(s for r in results for s in r.pop("samples"))
    merged: Event = dict(results[0])
    for key in ("moves", "errors", "missed", "rooms", "rooms_open"):
        merged[key] = sum(r[key] or 0 for r in results)
    counted = [r.get("sockets_open") for r in results]
    merged["sockets_open"] = None if None in counted else sum(counted)
    merged["rate"] = sum(r["rate"] or 0 for r in results) or None
    merged["seconds"] = max(r["seconds"] or 0 for r in results)
    merged["moves_per_s"] = sum(r["moves_per_s"] or 0 for r in results)
    merged["loadgen_cpu"] = sum(r["loadgen_cpu"] or 0 for r in results)
    merged["error_codes"] = dict(sum((Counter(r["error_codes"]) for r in results), Counter()))
    merged["actions"] = dict(sum((Counter(r.get("actions", {})) for r in results), Counter()))
    merged["latency_ms"] = {
        "p50": _pick(samples, 0.5), "p95": _pick(samples, 0.95), "p99": _pick(samples, 0.99),
        "max": samples[-1] if samples else None,
    }  # fmt: skip
    merged["shards"] = len(results)
    return merged
