"""The codec under a coverage-guided fuzzer (atheris), for a bounded time: any
exception other than ProtocolError is a crash (atheris exits non-zero and prints the
input). Each crash found becomes an example in tests/server/test_protocol.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECONDS = int(os.environ.get("FUZZ_SECONDS", "5"))


def test_the_codec_raises_only_protocol_errors_under_coverage_guided_fuzzing(
    tmp_path: Path,
) -> None:
    try:
        import atheris  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("atheris is not installed (make venv installs it)")
        pytest.skip("atheris is not installed")
    argv = [sys.executable, "-m", "tests.fuzz.codec_target", f"-max_total_time={SECONDS}",
            "-rss_limit_mb=1024", f"-artifact_prefix={tmp_path}/"]  # fmt: skip
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True,
                          timeout=SECONDS + 60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done" in done.stderr, done.stderr[-2000:]
