"""`make` builds the venv from the interpreter scripts/python.sh picks: the distribution's
optimised /usr/bin/python3 when it can make a venv, else python3 on the PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "python.sh"


def pick(candidates: str | None = None) -> str:
    env = dict(os.environ)
    if candidates is not None:
        env["PYTHON_CANDIDATES"] = candidates
    out = subprocess.run(
        ["bash", str(SCRIPT)], check=False, capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def can_make_venv(python: str) -> bool:
    probe = "import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))"
    found = shutil.which(python)
    return found is not None and subprocess.run([found, "-c", probe], check=False).returncode == 0


def test_the_distributions_python_is_chosen_when_it_can_make_a_venv() -> None:
    chosen = pick()
    if can_make_venv("/usr/bin/python3"):
        assert chosen == "/usr/bin/python3"
    else:
        assert chosen == "python3"


def test_a_missing_or_unfit_interpreter_is_passed_over() -> None:
    missing = Path(sys.executable).parent / "python-that-is-not-there"
    assert pick(f"{missing} {sys.executable}") == sys.executable
    # One that answers every check with a failure: older than 3.11, or without venv.
    old = Path(__file__).resolve().parent / "support" / "old_python.sh"
    assert pick(f"{old} {sys.executable}") == sys.executable


def test_python3_is_the_answer_when_nothing_qualifies() -> None:
    assert pick("/nonexistent/python") == "python3"
