"""The soaks' memory verdict (bench.soak.settles) on made-up RSS series, one sample a
second for 25 minutes: a climb to a plateau (what the 30-minute mixed soak showed) is
no leak; steady growth is one, however it starts."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from bench.soak import drifted, settles

MIB = 2**20
Level = Callable[[float], float]
SECONDS = 25 * 60


def series(level: Level, rng: random.Random, seconds: int = SECONDS) -> list[int]:
    """``level(t)`` in MiB, sampled each second, with +-0.3 MiB of noise."""
    return [int((level(t) + rng.uniform(-0.3, 0.3)) * MIB) for t in range(seconds)]


def plateau(start: float, top: float, minutes: float) -> Level:
    """A climb from ``start`` that has covered 95% of the way to ``top`` after ``minutes``."""
    return lambda t: top - (top - start) * math.exp(-3 * t / (minutes * 60))


def test_a_climb_to_a_plateau_settles_though_it_drifts_over_ten_percent() -> None:
    rss = series(plateau(57.5, 71.0, 8), random.Random(1))
    assert drifted(rss)[2] > 0.10  # the old check failed this
    assert settles(rss, SECONDS)["settles"]


def test_steady_growth_of_ten_percent_over_the_run_is_a_leak() -> None:
    rss = series(lambda t: 60 + 6 * t / SECONDS, random.Random(2))
    verdict = settles(rss, SECONDS)
    assert not verdict["settles"] and verdict["late_growth"] > 0.02


def test_a_plateau_followed_by_steady_growth_is_a_leak() -> None:
    def level(t: float) -> float:
        return plateau(57.5, 71.0, 8)(t) + max(0.0, t - 600) * 7 / SECONDS

    assert not settles(series(level, random.Random(3)), SECONDS)["settles"]


def test_flat_noise_settles() -> None:
    assert settles(series(lambda t: 64.0, random.Random(4)), SECONDS)["settles"]


def test_a_restarted_process_still_climbing_settles_under_the_oldest_ones_level() -> None:
    rng = random.Random(5)
    oldest = series(plateau(57.5, 71.0, 8), rng)
    young = series(plateau(49.0, 71.0, 12), rng, seconds=9 * 60)  # 9 minutes old
    assert settles(young, 540)["late_growth"] > 0.02  # on its own it still climbs
    verdict = settles(young, 540, oldest)
    assert verdict["settles"] and verdict["above_oldest"] < 0.0


def test_a_restarted_process_climbing_past_the_oldest_ones_level_is_a_leak() -> None:
    rng = random.Random(6)
    oldest = series(plateau(57.5, 71.0, 8), rng)
    young = series(lambda t: 60 + 30 * t / (9 * 60), rng, seconds=9 * 60)
    verdict = settles(young, 540, oldest)
    assert not verdict["settles"] and verdict["above_oldest"] > 0.10


def test_a_run_under_a_minute_is_judged_on_its_drift() -> None:
    climbing = series(plateau(57.5, 71.0, 8), random.Random(7), seconds=40)
    verdict = settles(climbing, 40)
    assert verdict["judged_on"] == "drift" and verdict["settles"]
    leaking = series(lambda t: 60 + t, random.Random(8), seconds=40)  # 1 MiB a second
    assert not settles(leaking, 40)["settles"]
