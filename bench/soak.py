"""Random games with reconnects for a while, then checks that nothing leaked.

    python -m bench.soak --seconds 600            # `make soak`
    python -m bench.soak --seconds 60 --couples 8 # the soak in `make test`

Couples play random games (progress mostly, sometimes pass, skip, pause, boundaries,
stepping back, ending and playing again), drop their connection now and then and come
back, and leave after a while while new couples arrive. The server runs on Redis
(started here) unless --store memory. Checks, printed and in --json:
- memory (RSS) settles: over the last third of the measured phase it grows by less
  than 2% (`settles`; a run with under a minute of samples: its drift from the first
  tenth to the last stays under 10%, which is reported for every run);
- after everyone leaves, open descriptors, threads and (when the server exports them)
  asyncio tasks return to the baseline taken after warm-up;
- zero errors: every action is chosen from the acting seat's own legal list with one
  action in flight per room, so any refusal is a bug;
- no lost and no doubled moves: nothing but the couple acts in its room, one action at
  a time, so the acked versions must climb by exactly one each and a fresh resume at the
  end must find the last of them (`Ledger`).

`--mix` runs the variant that mixes faults in (two instances, slow readers, floods,
reconnect storms, an instance and a Redis restart): `bench.soak_mix`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bench import procs
from bench.client import JoinFailed, Seat, join_pair, move
from bench.policy import choose_random

LATE_GROWTH_LIMIT = 0.02  # RSS growth over the last third of a process's samples
LEVEL_LIMIT = 0.10  # a younger process's late RSS above the oldest one's
SHORT_SPAN = 60.0  # seconds of samples under which a run is judged on its drift
DRIFT_LIMIT = 0.10  # first tenth to last, for such a run
FD_TOLERANCE = 2  # pooled Redis connections may settle one or two apart


@dataclass
class Tally:
    moves: int = 0
    games: int = 0
    drops: int = 0
    lost: int = 0  # acked moves the room no longer holds
    doubled: int = 0  # versions no acked move accounts for: an action applied twice
    regressions: int = 0  # a resume welcomed a seat at a version older than it held
    catch_ups: int = 0  # pings sent because a state was slow to come
    errors: Counter[str] = field(default_factory=Counter)
    provoked: Counter[str] = field(default_factory=Counter)  # replies a fault asked for
    closes: Counter[str] = field(default_factory=Counter)  # how the seats' sockets ended

    def seat_left(self, seat: Seat) -> None:
        self.errors.update(seat.errors)
        self.provoked.update(seat.retried)
        self.closes.update(seat.closes)
        self.regressions += seat.regressions
        self.catch_ups += seat.catch_ups


@dataclass
class Ledger:
    """A room's acked versions. Nothing but its couple acts in it, one action at a time,
    so each accepted action moves the version by exactly one: a version acked again
    means acked moves were lost, a version skipped means an action was applied twice
    (a retried id applied again; every action's reply is awaited, so none is unknown)."""

    version: int
    lost: int = 0
    doubled: int = 0
    start: int = field(init=False)  # the version before the first move

    def __post_init__(self) -> None:
        self.start = self.version

    def acked(self, version: int) -> None:
        if version <= self.version:
            self.lost += self.version - version + 1
        elif version > self.version + 1:
            self.doubled += version - self.version - 1
        self.version = version

    def gone(self) -> None:
        """The room no longer exists: every move acked in it is lost."""
        self.lost += self.version - self.start

    def audit(self, seen: int) -> None:
        """The room's version read by a fresh resume once the couple has left."""
        if seen < self.version:
            self.lost += self.version - seen
        elif seen > self.version:
            self.doubled += seen - self.version


Join = Callable[[], Awaitable[tuple[Seat, Seat]]]
Over = Callable[[], bool]  # whether a couple should stop now


async def couple(join: Join, over: Over, rng: random.Random, tally: Tally, *,
                 live: set[Seat] | None = None) -> None:  # fmt: skip
    """One couple: join, play random moves with pauses and drops, leave, and audit the
    room (``live``: where its seats are while they play, for reconnect storms)."""
    seats = list(await join())
    tally.games += 1
    ledger = Ledger(max(s.version for s in seats))
    live = set() if live is None else live
    live.update(seats)
    try:
        await random_moves(seats, ledger, over, rng, tally)
    finally:
        live.difference_update(seats)
        for seat in seats:
            await seat.close()
            tally.seat_left(seat)
        await audit(seats[0], ledger, tally)  # after a failure too: what did land?


async def random_moves(seats: list[Seat], ledger: Ledger, over: Over, rng: random.Random,
                       tally: Tally) -> None:  # fmt: skip
    last = 1
    for _ in range(rng.randint(20, 120)):
        if over():
            break
        if rng.random() < 0.03:
            tally.drops += 1
            await seats[rng.randrange(2)].drop()
        choice = choose_random([s.view for s in seats], last, rng)
        if choice is None:
            tally.errors["stuck"] += 1
            break
        last = choice.seat
        reply = await move(seats, choice.seat, choice.action, **choice.fields)
        if reply["t"] == "ack":
            tally.moves += 1
            ledger.acked(int(reply["version"]))
        else:
            tally.errors[f"{choice.action}:{reply.get('code')}"] += 1
        await asyncio.sleep(rng.random() * 0.02)


async def audit(seat: Seat, ledger: Ledger, tally: Tally) -> None:
    """Resume seat 0 afresh and read the room's version: it must be the last acked."""
    fresh = Seat(seat.urls, seat.room, token=seat.token, catch_up=seat.catch_up)
    try:
        await fresh.start(timeout=20)
        ledger.audit(fresh.version)
    except JoinFailed:
        ledger.gone()
        raise
    finally:
        await fresh.close()
        tally.seat_left(fresh)
        tally.lost += ledger.lost
        tally.doubled += ledger.doubled


async def crowd(join: Join, seconds: float, couples: int, seed: int, *,
                live: set[Seat] | None = None, busy: Over | None = None) -> Tally:  # fmt: skip
    """``couples`` lanes, each a couple after another, for ``seconds`` (and while
    ``busy()`` says so: the mix's faults must find couples playing)."""
    tally = Tally()
    until = time.monotonic() + seconds

    def over() -> bool:
        return time.monotonic() > until and not (busy and busy())

    rng = random.Random(seed)

    async def lane(n: int) -> None:
        lane_rng = random.Random(rng.random())
        while not over():
            try:
                await couple(join, over, lane_rng, tally, live=live)
            except Exception as error:  # a soak reports failures, it does not stop at one
                tally.errors[f"{type(error).__name__}"] += 1
                await asyncio.sleep(0.2)

    await asyncio.gather(*(lane(n) for n in range(couples)))
    return tally


def tasks(http: str) -> int | None:
    """asyncio tasks in the server (its /metrics gauge); None when it does not answer,
    which fails the check: a soak that cannot count tasks has not shown they came back."""
    with contextlib.suppress(OSError), urllib.request.urlopen(f"{http}/metrics", timeout=2) as r:
        for line in r.read().decode().splitlines():
            if line.startswith("closeknit_tasks "):
                return int(float(line.split()[1]))
    return None


def resources(proc: psutil.Process, http: str, redis: int = 0) -> dict[str, int | None]:
    """Descriptors, threads and tasks; given Redis's port, also the live connections to
    it: the client's pool keeps as many as were ever busy at once (a Redis restart with
    every seat retrying raises that mark), which `back` does not count as a leak. A
    broken one never closed would not be ESTABLISHED, and still counts."""
    now = {"fds": proc.num_fds(), "threads": proc.num_threads(), "tasks": tasks(http)}
    if redis:
        now["redis_pool"] = sum(
            1 for c in proc.net_connections("tcp")
            if c.raddr and c.raddr.port == redis and c.status == psutil.CONN_ESTABLISHED
        )  # fmt: skip
    return now


async def settle(
    proc: psutil.Process, http: str, baseline: dict[str, int | None] | None, redis: int = 0
) -> dict[str, Any]:
    """Wait (up to 15 s) for descriptors, threads and tasks to come back to baseline
    (none: now is the baseline)."""
    now = resources(proc, http, redis)
    baseline = baseline or now
    for _ in range(150):
        now = resources(proc, http, redis)
        if back(now, baseline):
            break
        await asyncio.sleep(0.1)
    return now


def back(now: dict[str, int | None], baseline: dict[str, int | None]) -> bool:
    pooled = (now.get("redis_pool") or 0) - (baseline.get("redis_pool") or 0)
    fds_ok = (now["fds"] or 0) - pooled <= (baseline["fds"] or 0) + FD_TOLERANCE
    tasks_ok = (
        now["tasks"] is not None and baseline["tasks"] is not None
        and now["tasks"] <= baseline["tasks"]
    )  # fmt: skip
    return fds_ok and (now["threads"] or 0) <= (baseline["threads"] or 0) and tasks_ok


async def soak(args: argparse.Namespace, server: procs.Proc) -> dict[str, Any]:
    proc = psutil.Process(server.pid)
    ws = [f"{server.ws}/ws"]

    def join() -> Awaitable[tuple[Seat, Seat]]:
        return join_pair(server.http, ws, ws)

    warmup = max(5.0, args.seconds * 0.15)
    # Warm-up: the same load, so pools, caches and code paths exist before the baseline.
    await crowd(join, warmup, args.couples, args.seed)
    metrics = server.extra["metrics"]  # tasks are read from the metrics listener
    baseline = await settle(proc, metrics, None)
    rss: list[int] = []
    sampler = asyncio.create_task(_sample_rss(proc, rss))
    tally = await crowd(join, args.seconds - warmup, args.couples, args.seed + 1)
    sampler.cancel()
    after = await settle(proc, metrics, baseline)
    early, late, drift = drifted(rss)
    memory = settles(rss, args.seconds - warmup)
    checks = {
        "memory_settles": memory["settles"],
        "resources_back_to_baseline": back(after, baseline),
        "zero_errors": not tally.errors,
        "no_lost_or_doubled_moves": tally.lost == tally.doubled == tally.regressions == 0,
        "played": tally.moves > 0,
    }
    return {
        "seconds": args.seconds, "couples": args.couples, "store": args.store,
        "moves": tally.moves, "games": tally.games, "drops": tally.drops,
        "lost": tally.lost, "doubled": tally.doubled, "regressions": tally.regressions,
        "errors": dict(tally.errors), "rss_mib": {"early": early / 2**20, "late": late / 2**20},
        "drift": drift, "late_growth": memory["late_growth"], "baseline": baseline,
        "after": after, "checks": checks,
    }  # fmt: skip


def drifted(rss: list[int]) -> tuple[float, float, float]:
    """RSS early and late (medians of the first and last tenth) and the drift between:
    reported, not judged (a process that climbs to a plateau drifts and leaks nothing)."""
    tenth = max(1, len(rss) // 10)
    early, late = statistics.median(rss[:tenth]), statistics.median(rss[-tenth:])
    return early, late, (late - early) / early


def late_growth(rss: list[int]) -> float:
    """How much RSS grows over the last third of the samples (the medians of that
    third's first and last fifths): a leak grows at the same pace to the end, a
    warm-up (pools, caches, the allocator's arenas) slows down and stops."""
    last = rss[len(rss) * 2 // 3 :]
    fifth = max(1, len(last) // 5)
    start, end = statistics.median(last[:fifth]), statistics.median(last[-fifth:])
    return (end - start) / start


def settles(rss: list[int], span: float, oldest: list[int] | None = None) -> dict[str, Any]:
    """The memory verdict on one process's RSS samples after its warm-up, ``span``
    seconds of them. It settles when its last third grows by less than
    ``LATE_GROWTH_LIMIT``; a process started later than ``oldest`` (a restarted
    instance, still climbing when the run ends) may instead end no more than
    ``LEVEL_LIMIT`` above where the oldest process ends, which climbed the same way and
    held. Under ``SHORT_SPAN`` seconds the whole run is still the climb: such a run is
    judged only on its drift staying under ``DRIFT_LIMIT`` (a gross leak still shows)."""
    growth = late_growth(rss)
    if span < SHORT_SPAN:
        drift = drifted(rss)[2]
        return {
            "late_growth": round(growth, 4),
            "judged_on": "drift",
            "settles": drift < DRIFT_LIMIT,
        }
    verdict: dict[str, Any] = {"late_growth": round(growth, 4), "judged_on": "late_growth",
                               "settles": growth < LATE_GROWTH_LIMIT}  # fmt: skip
    if oldest is not None and not verdict["settles"]:
        above = (
            statistics.median(rss[-max(1, len(rss) // 10) :])
            / statistics.median(oldest[-max(1, len(oldest) // 10) :])
            - 1
        )
        verdict |= {
            "above_oldest": round(above, 4),
            "judged_on": "level",
            "settles": above < LEVEL_LIMIT,
        }
    return verdict


async def _sample_rss(proc: psutil.Process, out: list[int]) -> None:
    while True:
        out.append(proc.memory_info().rss)
        await asyncio.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Random games with reconnects; leak checks")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--couples", type=int, default=12)
    parser.add_argument("--store", choices=["redis", "memory"], default="redis")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the summary here")
    parser.add_argument("--mix", action="store_true", help="mix faults in: bench.soak_mix")
    argv = sys.argv[1:] if argv is None else argv
    if "--mix" in argv:  # its own options (and --help)
        from bench import soak_mix  # it builds on this module

        return soak_mix.main(argv)
    args = parser.parse_args(argv)
    redis = procs.start_redis() if args.store == "redis" else None
    try:
        url = f"redis://127.0.0.1:{redis.port}/0" if redis else ""
        server = procs.start_server(url)
        try:
            summary = asyncio.run(soak(args, server))
        finally:
            summary_exit = server.stop()
    finally:
        if redis:
            redis.stop()
    summary["server_exit"] = summary_exit
    return emit(summary, args.json, "soak")


def emit(summary: dict[str, Any], path: Path | None, name: str) -> int:
    """Print the summary (and write it to ``path``); the exit status its checks give."""
    text = json.dumps(summary, indent=2)
    print(text)
    if path:
        path.write_text(text + "\n")
    ok = all(summary["checks"].values())
    print(f"{name}:", "passed" if ok else "FAILED", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
