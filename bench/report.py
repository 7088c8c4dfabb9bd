"""The benchmark's document (bench/results/latest.json) and its printed tables: the
figures of every configuration, then each one as a ratio to the floors measured in the
same run at the same load: the bare relay, the thin Colyseus peer, the Colyseus game
peer, and (with a baseline commit) the baseline's Closeknit."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from typing import Any

from bench.procs import ROOT

Run = dict[str, Any]


def _cmd(*argv: str) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine() -> dict[str, Any]:
    model = ""
    for line in _cmd("cat", "/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        # Which build: a distribution's (optimised) or a source build such as pyenv's.
        "python_executable": os.path.realpath(sys.executable),
        "node": _cmd("node", "--version").strip(),
        "redis": (_cmd("redis-server", "--version").split(" v=")[-1].split() or [""])[0],
        "commit": _cmd("git", "rev-parse", "--short", "HEAD").strip(),
        "load_average_at_start": os.getloadavg(),
    }


def _peer(runs: list[Run], run: Run, target: str) -> Run | None:
    cfg = run["config"]
    for other in runs:
        oc = other["config"]
        if (
            oc["target"] == target
            and "failed" not in other
            and all(oc[k] == cfg[k] for k in ("rooms", "mode", "rate"))
        ):
            return other
    return None


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if not a or not b else a / b


# The floors every figure is divided by: target -> the key suffix and the column label.
FLOORS = {"relay": ("relay", "relay"), "colyseus": ("colyseus", "thin"),
          "colyseus-game": ("colyseus_game", "game")}  # fmt: skip
BASELINE_PREFIX = "base "
IDLE_19K = "redis idle 9500 (19k conns)"


def _baseline_of(runs: list[Run], run: Run) -> Run | None:
    if run["config"]["target"] != "closeknit" or run["config"].get("baseline"):
        return None
    return _find(runs, BASELINE_PREFIX + run["name"])


def _compare(run: Run, floor: Run, suffix: str) -> None:
    run[f"moves_vs_{suffix}"] = _ratio(run.get("moves_per_s"), floor.get("moves_per_s"))
    p99 = (run.get("latency_ms") or {}).get("p99")
    run[f"p99_vs_{suffix}"] = _ratio(p99, (floor.get("latency_ms") or {}).get("p99"))
    cpu, floor_cpu = run.get("server_cpu_us_per_move"), floor.get("server_cpu_us_per_move")
    run[f"cpu_vs_{suffix}"] = _ratio(cpu, floor_cpu)
    # Moves per second of server CPU: the capacity of one core, which holds even when
    # other processes steal time from the pinned core.
    run[f"capacity_vs_{suffix}"] = _ratio(floor_cpu, cpu)


def ratios(runs: list[Run]) -> None:
    """Adds, to every run, its moves/s, p99 and server CPU per move as ratios to each
    floor measured at the same load (not to itself), and to the baseline's run."""
    for run in runs:
        if "failed" in run or run["config"]["mode"] == "idle":
            continue
        for target, (suffix, _) in FLOORS.items():
            floor = None if run["config"]["target"] == target else _peer(runs, run, target)
            if floor is not None:
                _compare(run, floor, suffix)
        base = _baseline_of(runs, run)
        if base is not None:
            _compare(run, base, "baseline")


def _find(runs: list[Run], name: str) -> Run | None:
    return next((r for r in runs if r["name"] == name and "failed" not in r), None)


def targets(runs: list[Run]) -> dict[str, Any]:
    """The issue's targets, judged on this run (None: not measured in this run)."""
    out: dict[str, Any] = {}
    redis = _find(runs, "redis closed 1000")
    if redis:
        out["redis_1000_closed_vs_relay>=0.5"] = (redis.get("moves_vs_relay") or 0) >= 0.5
        out["redis_1000_closed_vs_colyseus>=0.35"] = (redis.get("moves_vs_colyseus") or 0) >= 0.35
    open_ck, open_co = _find(runs, "redis open 1000@1000"), _find(runs, "colyseus open 1000@1000")
    if open_ck:
        p99 = open_ck["latency_ms"]["p99"]
        out["open_1000_p99<10ms"] = p99 is not None and p99 < 10
        if open_co:
            out["open_1000_p99<colyseus"] = p99 is not None and p99 < open_co["latency_ms"]["p99"]
    small, large = _find(runs, "redis open 100@500"), _find(runs, "redis open 5000@500")
    if small and large:
        ratio = large["server_cpu_us_per_move"] / small["server_cpu_us_per_move"]
        out["cpu_per_move_5000_vs_100<=2"] = ratio <= 2
    idle = next((r for r in runs if r["config"]["mode"] == "idle" and "failed" not in r), None)
    if idle:
        out["idle_kib_per_connection<30"] = idle["idle_kib_per_connection"] < 30
    # Issue 16: 19,000 held on one process, at no more memory each than 10,000 took then.
    many = next((r for r in runs if r["name"] == IDLE_19K), None)
    if many is not None:
        out["idle_19000_held_on_one_process"] = "failed" not in many
        out["idle_19000_kib_per_connection<=23.8"] = (
            "failed" not in many and float(many["idle_kib_per_connection"]) <= 23.8
        )
    return out


def document(
    runs: list[Run], started: float, encoding: str, baseline: str | None = None
) -> dict[str, Any]:
    ratios(runs)
    return {
        "baseline": baseline,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(time.time() - started, 1),
        "encoding": encoding,
        "machine": machine(),
        "pinning": {"servers_and_peers": 0, "load_generator_and_redis": 1},
        "runs": runs,
        "targets": targets(runs),
    }


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


COLUMNS = (
    ("configuration", 28), ("moves/s", 8), ("p50", 6), ("p95", 6), ("p99", 6), ("max", 6),
    ("err", 4), ("srv cpu", 7), ("srv us/mv", 9), ("srv MiB", 7), ("rds us/mv", 9), ("cmd/mv", 6),
    ("gen cpu", 7),
)  # fmt: skip


def _row(run: Run) -> list[str]:
    if "failed" in run:
        return [run["name"], f"FAILED: {run['failed']}"]
    lat = run.get("latency_ms") or {}
    if run["config"]["mode"] == "idle":
        per = f"{run['idle_kib_per_connection']:.1f} KiB/conn x {run['idle_connections']}"
        return [run["name"], per, "", "", "", "", _fmt(run["errors"]), "", "",
                _fmt(run.get("server_rss_mib"), 0)]  # fmt: skip
    return [
        run["name"], _fmt(run.get("moves_per_s"), 0), _fmt(lat.get("p50"), 2),
        _fmt(lat.get("p95"), 2), _fmt(lat.get("p99"), 2), _fmt(lat.get("max"), 1),
        _fmt(run["errors"]), _fmt(run.get("server_cpu_share"), 2),
        _fmt(run.get("server_cpu_us_per_move"), 0),
        _fmt(run.get("server_rss_mib"), 0), _fmt(run.get("redis_cpu_us_per_move"), 0),
        _fmt(run.get("redis_commands_per_move"), 1), _fmt(run.get("loadgen_cpu"), 2),
    ]  # fmt: skip


def _floors(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(key suffix, label) of the floors this run measured, baseline last."""
    measured = {run["config"]["target"] for run in doc["runs"] if "failed" not in run}
    floors = [FLOORS[t] for t in FLOORS if t in measured]
    if doc.get("baseline"):
        floors.append(("baseline", f"base {doc['baseline']}"))
    return floors


def ratio_table(doc: dict[str, Any]) -> list[str]:
    """Each run's moves/s, p99 and server CPU per move over each floor's at the same
    load, from this run ("-": that floor was not measured at this load)."""
    floors = _floors(doc)
    runs = [r for r in doc["runs"] if "failed" not in r and r["config"]["mode"] != "idle"]
    if not floors or not runs:
        return []
    lines = [
        "",
        "ratios, this run over the floor at the same load (mv/s: moves per second, "
        "p99: latency, cpu: server CPU per move; cpu 2.0 = twice the floor's CPU)",
    ]
    lines.append(" " * 28 + "".join(f" | {label:^20}" for _, label in floors))
    lines.append(f"{'configuration':>28}" + " |   mv/s    p99    cpu" * len(floors))
    for run in runs:
        cells = []
        for suffix, _ in floors:
            keys = (f"moves_vs_{suffix}", f"p99_vs_{suffix}", f"cpu_vs_{suffix}")
            cells.append(" | " + " ".join(_fmt(run.get(k), 2).rjust(6) for k in keys))
        lines.append(f"{run['name']:>28}" + "".join(cells))
    return lines


def table(doc: dict[str, Any]) -> str:
    lines = [" ".join(name.rjust(width) for name, width in COLUMNS)]
    for run in doc["runs"]:
        cells = _row(run)
        if "failed" in run:
            lines.append(f"{cells[0]:>28} {cells[1]}")
            continue
        lines.append(" ".join(c.rjust(w) for c, (_, w) in zip(cells, COLUMNS, strict=False)))
    lines.append("latency in ms (action sent -> partner received the new state); srv cpu in cores")
    lines += ratio_table(doc)
    load = doc.get("machine", {}).get("load_average_at_start") or [0.0]
    if load[0] > 1.5:
        lines.append(
            f"WARNING: load average {load[0]:.1f} at start on {doc['machine']['cores']} cores: "
            "other processes competed for the pinned cores, so rates and latencies are "
            "pessimistic; CPU per move is still comparable"
        )
    for name, ok in doc["targets"].items():
        lines.append(f"target {name}: {'met' if ok else 'NOT met'}")
    return "\n".join(lines)
