"""The engine's share of a move, in-process: no server, no sockets, no store.

``python -m bench.engine [--moves N] [--reps R]`` plays ``N`` moves of two-seat games on
the built-in ``closer`` deck with ``bench.policy.choose`` (deterministic: the same moves
every run; a new room after each ended game), then times each stage of a move over the
recorded rooms and prints, per move, the median (and the fastest) of ``R`` repetitions:

- ``apply``: the reducer;
- ``view_for x2``: both seats' views of the new room;
- ``packb views``: msgpack of those two views;
- ``blob``: ``to_dict`` of the new room plus its msgpack (what a store keeps);
- ``from_dict``: the room rebuilt from that dict (what another instance does on load).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import msgpack

from bench.policy import choose
from decks.catalog import load_decks
from game import Action, Phase, Room, apply, from_dict, from_wire, new_room, to_dict, view_for
from game.actions import Join
from game.deck import Deck


@dataclass(frozen=True, slots=True)
class Move:
    before: Room
    seat: int
    action: Action
    now: float
    after: Room


def _fresh(deck: Deck, seed: int) -> Room:
    return apply(new_room("bench", deck, seed=seed), None, Join(), now=0.0).room


def play(deck: Deck, decks: dict[str, Deck], moves: int) -> list[Move]:
    """``moves`` moves chosen by the policy from the seats' views, in order. A game
    that ended is followed by a new room (a whole game is ~700 moves on ``closer``)."""
    room = _fresh(deck, 0)
    views: list[dict[str, object] | None] = [view_for(room, 0), view_for(room, 1)]
    last, out = 1, []
    for i in range(moves):
        if room.phase is Phase.ENDED:
            room, last = _fresh(deck, i), 1
            views = [view_for(room, 0), view_for(room, 1)]
        choice = choose(views, last)
        if choice is None:
            raise SystemExit(f"the policy found no move after {i} moves")
        action = from_wire(choice.action, choice.fields, decks)
        now = 1000.0 + i
        after = apply(room, choice.seat, action, now=now).room
        out.append(Move(room, choice.seat, action, now, after))
        room, last = after, choice.seat
        views = [view_for(room, 0), view_for(room, 1)]
    return out


def stages(moves: list[Move], decks: dict[str, Deck]) -> dict[str, Callable[[], None]]:
    """One callable per stage, each doing that stage for every recorded move."""
    rooms = [m.after for m in moves]
    views = [(view_for(r, 0), view_for(r, 1)) for r in rooms]
    dicts = [to_dict(r) for r in rooms]
    packb = msgpack.packb

    def run_apply() -> None:
        for m in moves:
            apply(m.before, m.seat, m.action, now=m.now)

    def run_views() -> None:
        for r in rooms:
            view_for(r, 0)
            view_for(r, 1)

    def run_packb() -> None:
        for v0, v1 in views:
            packb(v0, use_bin_type=True)
            packb(v1, use_bin_type=True)

    def run_blob() -> None:
        for r in rooms:
            packb(to_dict(r), use_bin_type=True)

    def run_decode() -> None:
        for d in dicts:
            from_dict(d, decks)

    return {
        "apply": run_apply,
        "view_for x2": run_views,
        "packb views": run_packb,
        "blob": run_blob,
        "from_dict": run_decode,
    }


def measure(run: Callable[[], None], count: int, reps: int) -> tuple[float, float]:
    """Median and fastest microseconds per move of ``reps`` timed runs (after a warm-up).
    CPU time of this process, not wall time: the machine may be shared, and time spent
    waiting for a core is not the engine's."""
    run()
    times = []
    for _ in range(reps):
        start = time.process_time()
        run()
        times.append((time.process_time() - start) / count * 1e6)
    return statistics.median(times), min(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--moves", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    decks = load_decks()
    moves = play(decks["closer"], decks, args.moves)
    results = {
        name: measure(run, len(moves), args.reps) for name, run in stages(moves, decks).items()
    }
    print(f"{'us/move':<12} {'median':>7} {'min':>7}   ({len(moves)} moves, {args.reps} reps)")
    for name, (median, fastest) in results.items():
        print(f"{name:<12} {median:7.1f} {fastest:7.1f}")
    totals = [sum(r[i] for r in results.values()) for i in (0, 1)]
    print(f"{'total':<12} {totals[0]:7.1f} {totals[1]:7.1f}")


if __name__ == "__main__":
    main()
