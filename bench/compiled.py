"""The engine interpreted against the engine compiled by mypyc, stage by stage.

``python -m bench.compiled [--moves N] [--reps R]`` builds ``game/`` with mypyc (or reuses
the build, ``scripts/build_mypyc.py``), then runs ``bench.engine``'s stages twice, each in
its own process: once on the sources, once with the build first on the path. It prints
CPU us per move, the median of ``R`` timed runs (default 3), for each and their ratio.
Figures only: nothing here asserts a speed.

Stages are ``bench.engine``'s (``apply``, both views, their msgpack, the stored blob,
``from_dict``) plus ``legal x2``: ``legality.legal`` for both seats of each new room (a
view computes it too, so it is not added to the total). Both processes play the same
moves; each prints a digest of the rooms it reached, and the two must agree.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOTAL = ("apply", "view_for x2", "packb views", "blob", "from_dict")


def child(moves_wanted: int, reps: int) -> dict[str, object]:
    """This process's figures, on whichever ``game`` the path gives it."""
    import msgpack

    import game.rules
    from bench.engine import measure, play, stages
    from decks.catalog import load_decks
    from game import to_dict
    from game.legality import legal

    decks = load_decks()
    moves = play(decks["closer"], decks, moves_wanted)
    runs = stages(moves, decks)
    rooms = [m.after for m in moves]

    def run_legal() -> None:
        for r in rooms:
            legal(r, 0)
            legal(r, 1)

    runs["legal x2"] = run_legal
    digest = hashlib.sha256()
    for r in rooms:
        digest.update(msgpack.packb(to_dict(r), use_bin_type=True))
    file = str(game.rules.__file__)
    return {
        "compiled": file.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)),
        "engine": file,
        "moves": len(moves),
        "digest": digest.hexdigest()[:16],
        "us": {name: measure(run, len(moves), reps)[0] for name, run in runs.items()},
    }


def _build() -> Path:
    spec = importlib.util.spec_from_file_location("build_mypyc", ROOT / "scripts/build_mypyc.py")
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    build: Path = builder.build(ROOT)
    return build


def _run(path: list[Path], moves: int, reps: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, path))}
    args = ["--child", "--moves", str(moves), "--reps", str(reps)]
    done = subprocess.run(
        [sys.executable, "-P", "-m", "bench.compiled", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--moves", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.moves, args.reps)))
        return
    build = _build()
    pure = _run([ROOT], args.moves, args.reps)
    compiled = _run([build, ROOT], args.moves, args.reps)
    if pure["compiled"] or not compiled["compiled"]:
        raise SystemExit(f"the engines were not the ones asked for: {pure} {compiled}")
    if pure["digest"] != compiled["digest"]:
        raise SystemExit("the compiled engine reached other rooms than the interpreted one")
    a, b = pure["us"], compiled["us"]
    assert isinstance(a, dict) and isinstance(b, dict)
    print(f"CPU us per move, median of {args.reps} ({pure['moves']} moves; same rooms reached)")
    print(f"{'stage':<12} {'interpreted':>11} {'mypyc':>8} {'ratio':>6}")
    for name in a:
        print(f"{name:<12} {a[name]:11.1f} {b[name]:8.1f} {b[name] / a[name]:6.2f}")
    ta, tb = sum(a[n] for n in TOTAL), sum(b[n] for n in TOTAL)
    print(f"{'total':<12} {ta:11.1f} {tb:8.1f} {tb / ta:6.2f}   (without legal x2)")


if __name__ == "__main__":
    main()
