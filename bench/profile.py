"""Where a server spends its time under load: py-spy samples the Closeknit process
(from outside, no code change) while the generator runs one benchmark configuration.

    python -m bench.profile "redis closed 1000"      # prints the hottest frames
    python -m bench.profile "memory closed 100" --top 40
    python -m bench.profile "redis closed 1000" --ws-direct   # sockets without ASGI
    python -m bench.profile "redis closed 1000" --ws-direct --mypyc --native
        # the compiled build (scripts/build_mypyc.py); --native: py-spy also unwinds C
        # frames, so mypyc's functions (``CPyDef_...``, ``..._env``) show by name

Writes the collapsed stacks to bench/results/profile-<name>.txt (flame graph input).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench import procs, run

OURS = ("game/", "server/", "decks/", "CPyDef_", "CPyPy_")


def collapse(path: Path) -> tuple[Counter[str], Counter[str], int]:
    """Self and inclusive sample counts per frame, from py-spy's raw (collapsed) output."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        n = int(count)
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    return own, inclusive, total


def show(title: str, counts: Counter[str], total: int, top: int, only_ours: bool) -> None:
    print(f"\n{title}")
    shown = 0
    for frame, n in counts.most_common():
        if only_ours and not any(part in frame for part in OURS):
            continue
        print(f"{100 * n / total:6.1f}%  {frame}")
        shown += 1
        if shown >= top:
            break


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", help="a configuration name from bench.run")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--rate", type=int, default=200, help="samples per second")
    parser.add_argument("--ws-direct", action="store_true",
                        help="the server serves its sockets without ASGI (WS_DIRECT)")  # fmt: skip
    parser.add_argument("--mypyc", action="store_true", help="the compiled build")
    parser.add_argument("--native", action="store_true", help="py-spy samples C frames too")
    args = parser.parse_args(argv)
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    configs = [c for c in run.suite(full=True) if c.name == args.config]
    if not configs:
        parser.error(f"no configuration named {args.config!r}")
    cfg = configs[0]
    procs.npm_install(procs.ROOT / "bench" / "loadgen")
    out = run.RESULTS / f"profile-{cfg.name.replace(' ', '-').replace('@', '-at-')}.txt"
    engine = run.compiled_build() if args.mypyc else None
    with run.deploy(cfg.deployment, "profile", engine=engine, ws_direct=args.ws_direct) as dep:
        argv_spy = [spy, "record", "-p", str(dep.pids[0]), "-f", "raw", "-o", str(out)]
        # py-spy unwinds C frames only while the process is stopped for each sample.
        argv_spy += ["-r", str(args.rate), "--native" if args.native else "--nonblocking"]
        recorder = subprocess.Popen(argv_spy, stdout=subprocess.DEVNULL)
        result = run.run_config(cfg, dep, "msgpack")
        recorder.send_signal(signal.SIGINT)
        recorder.wait(30)
    print(f"{cfg.name}: {result.get('moves_per_s')} moves/s, "
          f"{result.get('server_cpu_us_per_move')} us of server CPU per move")  # fmt: skip
    own, inclusive, total = collapse(out)
    show("self time, top frames", own, total, args.top, only_ours=False)
    show("inclusive time, our frames", inclusive, total, args.top, only_ours=True)
    print(f"\ncollapsed stacks: {out.relative_to(procs.ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
