"""`make bench`: the standard suite (under five minutes before the Colyseus game peer's
four configurations were added; a full suite has not been timed since).

Starts each deployment (Closeknit on the in-process store, on Redis with one and two
server processes, the bare relay floor, the thin Colyseus peer, the Colyseus game peer)
pinned to core 0, drives it with the Node load generator pinned to core 1 (Redis runs
there too), samples server and Redis CPU, memory and Redis commands around the measured
window, prints a table and then every figure as a ratio to the floors measured in the
same run (the relay, the thin Colyseus peer, the Colyseus game peer, and a baseline
commit's Closeknit when one is given), and writes bench/results/latest.json.

    python -m bench.run                 # the standard suite
    python -m bench.run --full          # adds 5,000 rooms open loop, 10,000 on two,
                                        # and 19,000 idle sockets on one process
    python -m bench.run --full --only idle  # the idle configurations (10k, 19k sockets)
    python -m bench.run --only redis    # configurations whose name contains "redis"
    python -m bench.run --rooms 10      # configurations of 10 rooms
    python -m bench.run --baseline main # also a baseline commit's server, same run
    python -m bench.run --ws-direct --baseline HEAD  # WS_DIRECT on against off, same run
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bench import drive, procs, report
from bench.measure import Held, RedisProbe, RedisSample, Sample, fd_limit, held, sample

BASELINE_PREFIX = "base "

SERVER_CPU = 0
LOADGEN_CPU = 1
# Redis shares the generator's core, not the server's: the server is what is measured,
# and on two cores a Redis round trip that waits for the server's own core to be free
# would be charged to the server's latency. Redis's CPU is reported on its own.
REDIS_CPU = 1
RESULTS = procs.ROOT / "bench" / "results"
LOGS = RESULTS / "logs"
# Descriptors a server or a generator shard needs besides its WebSockets: listeners,
# Redis connections, the generator's keep-alive HTTP connections (one per concurrent
# room creation, ``--concurrency``), stdio, epoll, the interpreter's own files.
FD_HEADROOM = 200


@dataclass(frozen=True)
class Config:
    name: str
    target: str  # closeknit | relay | relay-echo | colyseus | colyseus-game
    rooms: int
    mode: str = "closed"  # closed | open | idle
    rate: int = 0  # actions per second in total (open loop)
    store: str = "memory"  # closeknit only: memory | redis
    servers: int = 1
    warmup: float = 2.0
    duration: float = 6.0
    shards: int = 1  # load generator processes (each holds two sockets per room)
    baseline: bool = False  # closeknit only: the baseline commit's server

    @property
    def deployment(self) -> tuple[str, str, int, int, bool]:
        # Idle memory is weighed on a fresh process: one that already served load (or
        # held the other idle configuration's sockets) has freed memory to reuse, which
        # would hide the cost of a connection. So each idle size gets its own.
        idle = self.rooms if self.mode == "idle" else 0
        return (self.target, self.store, self.servers, idle, self.baseline)


def suite(full: bool) -> list[Config]:
    configs: list[Config] = []
    for rooms in (10, 100, 1000):
        configs += [
            Config(f"relay closed {rooms}", "relay", rooms),
            Config(f"colyseus closed {rooms}", "colyseus", rooms),
            Config(f"colyseus-game closed {rooms}", "colyseus-game", rooms),
            Config(f"memory closed {rooms}", "closeknit", rooms),
            Config(f"redis closed {rooms}", "closeknit", rooms, store="redis"),
        ]
    configs.append(Config("redis x2 closed 1000", "closeknit", 1000, store="redis", servers=2))
    # A move's socket work with no game (see bench/peers/relay.py): the floor under the
    # ratio to the relay.
    configs.append(Config("relay-echo closed 1000", "relay-echo", 1000))
    opens = ("relay", "memory"), ("colyseus", "memory"), ("colyseus-game", "memory")
    for target, store in (*opens, ("closeknit", "redis")):
        label = "redis" if target == "closeknit" else target
        configs.append(Config(f"{label} open 1000@1000", target, 1000, "open", 1000, store))
    configs += [
        Config("redis open 100@500", "closeknit", 100, "open", 500, "redis"),
        Config("redis idle 5000 (10k conns)", "closeknit", 5000, "idle", store="redis"),
    ]
    if full:
        configs += [
            # Issue 16: 19,000 sockets on one server process, whose descriptor limit is
            # 20,000 here; two generator shards of 9,500 sockets each.
            Config(
                "redis idle 9500 (19k conns)", "closeknit", 9500, "idle", store="redis", shards=2
            ),
            Config("redis open 5000@500", "closeknit", 5000, "open", 500, "redis"),
            Config("memory open 5000@1000", "closeknit", 5000, "open", 1000),
            Config(
                "redis x2 open 10000@1000",
                "closeknit",
                10000,
                "open",
                1000,
                "redis",
                servers=2,
                shards=2,
                warmup=4.0,
            ),
        ]
    return configs


def with_baseline(configs: list[Config]) -> list[Config]:
    """Each Closeknit configuration followed by the same on the baseline's server."""
    out: list[Config] = []
    for cfg in configs:
        out.append(cfg)
        if cfg.target == "closeknit":
            out.append(replace(cfg, name=BASELINE_PREFIX + cfg.name, baseline=True))
    return out


@dataclass
class Deployment:
    urls: list[str]
    pids: list[int]
    redis: RedisProbe | None
    metrics: list[str] = field(default_factory=list)  # Closeknit's metrics listeners


@contextmanager
def deploy(
    key: tuple[str, str, int, int, bool],
    tag: str,
    baseline_root: Path | None = None,
    engine: Path | None = None,
    ws_direct: bool = False,
) -> Iterator[Deployment]:
    """``engine``: this checkout's servers run game/ and the hot server modules compiled
    by mypyc from there (a baseline's run interpreted, as it always does). ``ws_direct``: this
    checkout's servers serve their sockets without ASGI (``WS_DIRECT``), a baseline's
    through ASGI."""
    target, store, servers, _, baseline = key
    LOGS.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        if target in ("relay", "relay-echo"):
            log = LOGS / f"{tag}-{target}.log"
            proc = procs.start_relay(SERVER_CPU, log, echo=target == "relay-echo")
            stack.callback(proc.stop)
            yield Deployment([proc.http], [proc.pid], None)
            return
        if target in ("colyseus", "colyseus-game"):
            start = procs.start_colyseus if target == "colyseus" else procs.start_colyseus_game
            proc = start(SERVER_CPU, LOGS / f"{tag}-{target}.log")
            stack.callback(proc.stop)
            yield Deployment([proc.http], [proc.pid], None)
            return
        probe, redis_url = None, ""
        if store == "redis":
            redis_proc = procs.start_redis(REDIS_CPU, LOGS / f"{tag}-redis.log")
            stack.callback(redis_proc.stop)
            redis_url = f"redis://127.0.0.1:{redis_proc.port}/0"
            probe = RedisProbe(redis_proc.port)
            stack.callback(probe.close)
        started = []
        for n in range(servers):
            log = LOGS / f"{tag}-server{n}.log"
            root = baseline_root if baseline and baseline_root else procs.ROOT
            env: dict[str, str] = {}
            if engine is not None and not baseline:
                env["PYTHONPATH"] = os.pathsep.join((str(engine), str(root)))
            if ws_direct:
                env["WS_DIRECT"] = "false" if baseline else "true"
            server = procs.start_server(redis_url, SERVER_CPU, log, env=env or None, root=root)
            stack.callback(server.stop)
            started.append(server)
        metrics = [s.extra["metrics"] for s in started]
        yield Deployment([s.http for s in started], [s.pid for s in started], probe, metrics)


def compiled_build() -> Path:
    """The optimised mypyc build of this checkout (built first when there is none)."""
    built = subprocess.run(
        [sys.executable, str(procs.ROOT / "scripts" / "build_mypyc.py")],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return Path(built.stdout.strip())


def generator_argvs(cfg: Config, urls: list[str], encoding: str) -> list[list[str]]:
    argvs = []
    for shard in range(cfg.shards):
        rooms = cfg.rooms // cfg.shards + (1 if shard < cfg.rooms % cfg.shards else 0)
        driven = "relay" if cfg.target == "relay-echo" else cfg.target  # the echo is ignored
        argv = ["node", str(drive.LOADGEN), "--target", driven, "--rooms", str(rooms)]
        for url in urls:
            argv += ["--url", url]
        argv += ["--mode", cfg.mode, "--rate", str(cfg.rate / cfg.shards)]
        argv += ["--warmup", str(cfg.warmup), "--duration", str(cfg.duration)]
        argv += ["--encoding", encoding]
        if cfg.mode == "idle":
            # Thousands of handshakes: be patient, and open no more rooms at once in all
            # than one generator does (the shards share the server): what is weighed is
            # the sockets held, not how fast a loaded server accepts them.
            argv += ["--timeout", "30", "--concurrency", str(max(1, 32 // cfg.shards))]
        elif cfg.rooms > 1000:  # thousands of handshakes: be patient
            argv += ["--timeout", "30", "--concurrency", "32"]
        elif cfg.target == "colyseus-game":
            # Opening a game room is four round trips (create, join, two readies), each
            # carrying schema state to decode: on a busy machine 64 of them at once took
            # over the default 10 s.
            argv += ["--timeout", "30"]
        argvs.append(argv)
    return argvs


def descriptor_shortfall(cfg: Config, dep: Deployment) -> str | None:
    """Why this configuration's sockets cannot fit the descriptor limits (the servers'
    soft limits, each generator shard's, which it inherits from this process), or None.
    Only the hard limit binds: every process started here has its soft one raised to it
    (``procs.raise_fd_limit``)."""
    if cfg.target != "closeknit" or not dep.pids:
        return None
    soft, hard = procs.raise_fd_limit()
    per_server = math.ceil(2 * cfg.rooms / cfg.servers) + FD_HEADROOM
    server_limit = min(fd_limit(pid) for pid in dep.pids)
    if server_limit < per_server:
        return (f"a server process may open {server_limit} descriptors (hard limit {hard}): "
                f"{per_server} needed for {2 * cfg.rooms // cfg.servers} sockets")  # fmt: skip
    per_shard = 2 * math.ceil(cfg.rooms / cfg.shards) + FD_HEADROOM
    if soft < per_shard:
        return (f"a generator shard may open {soft} descriptors (hard limit {hard}): "
                f"{per_shard} needed; use more shards")  # fmt: skip
    return None


def run_config(cfg: Config, dep: Deployment, encoding: str) -> dict[str, object]:
    began = time.monotonic()
    short = descriptor_shortfall(cfg, dep)
    if short is not None:
        return {"name": cfg.name, "config": asdict(cfg), "failed": short}
    base = sample(dep.pids)
    marks: dict[str, Sample] = {}
    redis_marks: dict[str, RedisSample] = {}
    holds: dict[str, Held] = {}

    def on_mark(kind: str) -> None:
        if kind == "measure_start" and cfg.mode == "idle":
            time.sleep(1.0)  # let the last handshakes settle before weighing
        marks[kind] = sample(dep.pids)
        if dep.redis is not None:
            redis_marks[kind] = dep.redis.sample()
        if kind == "measure_start" and cfg.mode == "idle":
            # Right after weighing, while every generator still holds its sockets.
            holds[kind] = held(dep.metrics, dep.pids)

    result = drive.drive(generator_argvs(cfg, dep.urls, encoding), LOADGEN_CPU, on_mark)
    if result is None:
        return {"name": cfg.name, "config": asdict(cfg), "failed": "a load generator failed"}
    result["wall_seconds"] = round(time.monotonic() - began, 1)
    return {"name": cfg.name, "config": asdict(cfg), **result,
            **_server_figures(cfg, base=base, marks=marks, result=result, dep=dep,
                             redis_marks=redis_marks, holds=holds)}  # fmt: skip


def idle_figures(
    cfg: Config, base: Sample, weighed: Sample, hold: Held, result: dict[str, object]
) -> dict[str, object]:
    """An idle run's figures: the sockets the servers held when they were weighed, their
    RSS growth over the fresh process per socket held, and ``failed`` when fewer were
    held than the configuration opens (by the servers' count at that moment, or by the
    generators' at the end of the hold), so that a short run never passes for a full one."""
    expected = 2 * cfg.rooms
    opened = 2 * int(str(result["rooms_open"]))
    sockets = result.get("sockets_open")
    generator = opened if sockets is None else int(str(sockets))
    figures: dict[str, object] = {
        "idle_connections": hold.connections,
        "idle_connections_expected": expected,
        "idle_generator_sockets_open": generator,
        "idle_kib_per_connection": (weighed.rss - base.rss) / 1024 / max(1, hold.connections),
        "server_open_fds": hold.open_fds,
        "server_fd_limit": hold.fd_limit,
        "server_gc_full": hold.gc_full,
        "server_gc_full_seconds": round(hold.gc_full_seconds, 3),
    }
    if min(hold.connections, generator, opened) < expected:
        figures["failed"] = (
            f"held {hold.connections} of {expected} connections when weighed (servers' count; "
            f"the generators opened {opened} and held {generator} to the end, "
            f"errors {result.get('error_codes')})"
        )
    return figures


def _server_figures(
    cfg: Config,
    *,
    base: Sample,
    marks: dict[str, Sample],
    result: dict[str, object],
    dep: Deployment,
    redis_marks: dict[str, RedisSample],
    holds: dict[str, Held],
) -> dict[str, object]:
    start, end = marks["measure_start"], marks["measure_end"]
    figures: dict[str, object] = {"server_rss_mib": end.rss / 2**20}
    if cfg.mode == "idle":
        return {**figures, **idle_figures(cfg, base, start, holds["measure_start"], result)}
    moves = int(str(result["moves"])) or 1
    seconds = float(str(result["seconds"]))
    figures["server_cpu_us_per_move"] = (end.cpu - start.cpu) / moves * 1e6
    figures["server_cpu_share"] = (end.cpu - start.cpu) / seconds
    if dep.redis is not None:
        delta = dep.redis.delta(redis_marks["measure_start"], redis_marks["measure_end"])
        figures["redis_cpu_us_per_move"] = delta.cpu / moves * 1e6
        figures["redis_commands_per_move"] = delta.commands / moves
    return figures


def select(configs: list[Config], only: str | None, rooms: int | None) -> list[Config]:
    return [
        c for c in configs
        if (not only or only in c.name) and (rooms is None or c.rooms == rooms)
    ]  # fmt: skip


def run_all(
    configs: list[Config],
    encoding: str,
    baseline_root: Path | None,
    engine: Path | None = None,
    ws_direct: bool = False,
) -> list[dict[str, object]]:
    runs: list[dict[str, object]] = []
    order = list(dict.fromkeys(c.deployment for c in configs))
    tag = time.strftime("%Y%m%d-%H%M%S")
    for key in order:
        group = [c for c in configs if c.deployment == key]
        try:
            name = f"{tag}-{'-'.join(map(str, key))}"
            with deploy(key, name, baseline_root, engine, ws_direct) as dep:
                for cfg in group:
                    print(f"running {cfg.name} ...", flush=True)
                    runs.append(run_config(cfg, dep, encoding))
        except (RuntimeError, TimeoutError, OSError) as error:
            # A server that does not start (a baseline too old for these options, say)
            # fails its configurations, not the whole suite.
            done = {str(run["name"]) for run in runs}
            failed = f"deployment: {type(error).__name__}: {error}"
            runs += [{"name": c.name, "config": asdict(c), "failed": failed}
                     for c in group if c.name not in done]  # fmt: skip
    runs.sort(key=lambda run: [c.name for c in configs].index(str(run["name"])))
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Closeknit's standard benchmark suite")
    parser.add_argument("--full", action="store_true", help="add the large configurations")
    parser.add_argument("--only", help="run configurations whose name contains this")
    parser.add_argument("--rooms", type=int, help="run configurations of this many rooms")
    parser.add_argument("--quick", action="store_true", help="short windows (smoke test)")
    parser.add_argument(
        "--baseline", metavar="COMMIT",
        help="also run this commit's server (from a temporary git worktree) in the same run",
    )  # fmt: skip
    parser.add_argument(
        "--mypyc", action="store_true",
        help="this checkout's servers run game/ and the hot server modules compiled by mypyc "
        "(scripts/build_mypyc.py); "
        "with --baseline HEAD, the same code interpreted in the same run",
    )  # fmt: skip
    parser.add_argument(
        "--ws-direct", action="store_true",
        help="this checkout's servers serve their sockets without ASGI (WS_DIRECT); "
        "with --baseline HEAD, the same code through ASGI in the same run",
    )  # fmt: skip
    parser.add_argument("--encoding", default="msgpack", choices=["msgpack", "json"])
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    procs.raise_fd_limit()
    procs.npm_install(procs.ROOT / "bench" / "loadgen")
    procs.npm_install(procs.ROOT / "bench" / "peers")
    configs = select(suite(args.full), args.only, args.rooms)
    if args.quick:
        configs = [replace(c, warmup=1.0, duration=2.0) for c in configs]
    try:
        baseline = procs.commit_of(args.baseline) if args.baseline else None
    except subprocess.CalledProcessError:
        parser.error(f"--baseline {args.baseline}: not a commit in this repository")
    if baseline:
        configs = with_baseline(configs)
    started = time.time()
    with ExitStack() as stack:
        root = None
        if baseline:
            root = procs.checkout(baseline)
            stack.callback(procs.remove_checkout, root)
            print(f"baseline {baseline} checked out in {root}", flush=True)
        engine = None
        if args.mypyc:
            engine = compiled_build()
            print(f"game/ and the hot server modules compiled by mypyc: {engine}", flush=True)
        if args.ws_direct:
            print("sockets served without ASGI (WS_DIRECT) by this checkout's servers", flush=True)
        runs = run_all(configs, args.encoding, root, engine, args.ws_direct)
    document = report.document(runs, started, args.encoding, baseline=baseline)
    print(report.table(document))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {os.path.relpath(args.output, procs.ROOT)} in {time.time() - started:.0f} s")
    failed = [str(run["name"]) for run in runs if "failed" in run]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
