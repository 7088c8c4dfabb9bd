"""How bench.run assembles a suite: picking configurations, doubling Closeknit's for a
baseline commit, and carrying on when a deployment cannot start."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.run import Config, run_all, select, with_baseline


def test_with_a_baseline_each_closeknit_configuration_runs_twice() -> None:
    configs = select(
        [Config("relay closed 10", "relay", 10), Config("memory closed 10", "closeknit", 10),
         Config("memory closed 100", "closeknit", 100)],
        None, 10,
    )  # fmt: skip
    doubled = with_baseline(configs)
    assert [c.name for c in doubled] == [
        "relay closed 10", "memory closed 10", "base memory closed 10",
    ]  # fmt: skip
    assert doubled[2].baseline and doubled[2].deployment != doubled[1].deployment


def test_a_baseline_whose_server_does_not_start_fails_its_runs_not_the_suite(
    tmp_path: Path,
) -> None:
    # A checkout whose server exits at once: its package shadows the installed one.
    (tmp_path / "server").mkdir()
    (tmp_path / "server" / "__init__.py").write_text("")
    (tmp_path / "server" / "cli.py").write_text("raise SystemExit(3)\n")
    configs = [Config("base memory closed 1", "closeknit", 1, baseline=True)]
    runs = run_all(configs, "msgpack", tmp_path)
    assert [r["name"] for r in runs] == ["base memory closed 1"]
    assert "exited with 3" in str(runs[0]["failed"])


def test_a_baseline_checkout_holds_the_commit_and_leaves_no_worktree_behind() -> None:
    from bench import procs

    commit = procs.commit_of("HEAD~1")
    folder = procs.checkout(commit)
    try:
        assert procs.commit_of("HEAD", folder) == commit
        assert (folder / "server" / "cli.py").is_file()
    finally:
        procs.remove_checkout(folder)
    assert not folder.exists()
    listed = subprocess.run(
        ["git", "worktree", "list"], cwd=procs.ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert str(folder) not in listed
