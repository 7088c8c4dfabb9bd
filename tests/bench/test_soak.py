"""The soaks in `make test`: random games with reconnects for 20 seconds against a
Redis-backed server, then memory drift, descriptors/threads/tasks back to baseline,
zero errors and no lost or doubled move (bench.soak's own checks, as `make soak-plain`
runs them, only shorter); and 12 seconds of the mix `make soak` runs for 30 minutes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.soak import Ledger
from tests.support.redis import require_binary

ROOT = Path(__file__).resolve().parents[2]


def soak(tmp_path: Path, *args: str) -> tuple[dict[str, Any], int]:
    """Run `python -m bench.soak` as make runs it; its JSON summary and exit status."""
    path = tmp_path / "soak.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench.soak", *args, "--json", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert path.exists(), result.stderr[-3000:]
    summary: dict[str, Any] = json.loads(path.read_text())
    return summary, result.returncode


@pytest.mark.redis
@pytest.mark.slow
def test_twenty_second_soak_leaks_nothing_and_errs_nowhere(tmp_path: Path) -> None:
    require_binary("redis-server")
    summary, status = soak(tmp_path, "--seconds", "20", "--couples", "8")  # make soak-plain: 600
    assert summary["errors"] == {}
    assert summary["moves"] > 150  # the load was real
    assert summary["drops"] > 0  # and reconnects happened
    assert summary["baseline"]["tasks"] is not None  # the server's task gauge was read
    assert summary["checks"] == {
        "memory_settles": True,
        "resources_back_to_baseline": True,
        "zero_errors": True,
        "no_lost_or_doubled_moves": True,
        "played": True,
    }, summary
    assert status == 0


@pytest.mark.redis
@pytest.mark.slow
def test_a_mixed_soak_loses_and_doubles_no_move_through_every_fault(tmp_path: Path) -> None:
    """`make soak`'s run, short: two instances on one Redis, and on a schedule a
    reconnect storm, a slow reader, a flood, an instance killed and started again, and
    Redis stopped and started again, while couples play across both instances."""
    require_binary("redis-server")
    summary, status = soak(
        tmp_path, "--mix", "--seconds", "12", "--couples", "4"
    )  # make soak: 1800
    assert summary["errors"] == {}, summary
    assert summary["lost"] == summary["doubled"] == 0
    assert summary["moves"] > 150
    for fault in ("storm", "slow_reader", "flood", "instance_restart", "redis_restart"):
        assert summary["faults"][fault] >= 1, summary["faults"]
    provoked = summary["provoked"]
    assert provoked["close/1008"] == summary["faults"]["flood"]  # the flood was limited
    assert provoked["limit/rate_limited"] > 0
    assert [i["after"]["tasks"] for i in summary["per_instance"]] == [
        i["baseline"]["tasks"] for i in summary["per_instance"]
    ]
    assert all(summary["checks"].values()), summary["checks"]
    assert status == 0


def test_the_ledger_counts_a_version_acked_twice_as_lost_and_a_skipped_one_as_doubled() -> None:
    ledger = Ledger(4)
    for version in (5, 6, 7):
        ledger.acked(version)
    assert (ledger.lost, ledger.doubled) == (0, 0)
    ledger.acked(6)  # versions 6 and 7 were acked and are no longer the room's
    assert ledger.lost == 2
    ledger.acked(8)  # version 7 was made by no acked move: an action applied twice
    assert ledger.doubled == 1
    ledger.audit(7)  # the room read afresh is behind the last ack
    assert (ledger.lost, ledger.doubled) == (3, 1)


def test_the_ledger_counts_every_acked_move_of_a_room_gone_as_lost() -> None:
    ledger = Ledger(2)
    for version in (3, 4, 5):
        ledger.acked(version)
    ledger.gone()
    assert (ledger.lost, ledger.doubled) == (3, 0)
