"""The soak in `make test`: random games with reconnects for 20 seconds against a
Redis-backed server, then memory drift, descriptors/threads/tasks back to baseline and
zero errors (bench.soak's own checks, run as `make soak` runs it, only shorter)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.redis import require_binary

pytestmark = [pytest.mark.redis, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def test_twenty_second_soak_leaks_nothing_and_errs_nowhere(tmp_path: Path) -> None:
    require_binary("redis-server")
    summary_path = tmp_path / "soak.json"
    argv = [
        sys.executable,
        "-m",
        "bench.soak",
        "--seconds",
        "20",
        "--couples",
        "8",
    ]  # longer: make soak
    result = subprocess.run(
        [*argv, "--json", str(summary_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert summary_path.exists(), result.stderr[-3000:]
    summary = json.loads(summary_path.read_text())
    assert summary["errors"] == {}
    assert summary["moves"] > 150  # the load was real
    assert summary["drops"] > 0  # and reconnects happened
    assert summary["baseline"]["tasks"] is not None  # the server's task gauge was read
    assert summary["checks"] == {
        "memory_drift_under_10pct": True,
        "resources_back_to_baseline": True,
        "zero_errors": True,
        "no_lost_or_doubled_moves": True,
        "played": True,
    }, summary
    assert result.returncode == 0
