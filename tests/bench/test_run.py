"""How bench.run assembles a suite: picking configurations, doubling Closeknit's for a
baseline commit, carrying on when a deployment cannot start, and judging an idle run by
the sockets actually held (and the descriptors there are to hold them)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bench.measure import Held, Sample
from bench.run import (
    Config,
    Deployment,
    descriptor_shortfall,
    generator_argvs,
    idle_figures,
    run_all,
    select,
    suite,
    with_baseline,
)


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


def test_each_idle_size_is_weighed_on_a_fresh_server_process() -> None:
    small = Config("redis idle 5000", "closeknit", 5000, "idle", store="redis")
    large = Config("redis idle 9500", "closeknit", 9500, "idle", store="redis", shards=2)
    closed = Config("redis closed 1000", "closeknit", 1000, store="redis")
    opened = Config("redis open 1000@1000", "closeknit", 1000, "open", 1000, "redis")
    assert small.deployment != large.deployment
    assert closed.deployment == opened.deployment != small.deployment


def test_the_19k_idle_configuration_holds_19000_sockets_on_one_process_in_two_shards() -> None:
    (cfg,) = [c for c in suite(full=True) if c.name == "redis idle 9500 (19k conns)"]
    assert (cfg.rooms, cfg.servers, cfg.shards, cfg.mode) == (9500, 1, 2, "idle")
    argvs = generator_argvs(cfg, ["http://127.0.0.1:1"], "msgpack")
    rooms = [int(argv[argv.index("--rooms") + 1]) for argv in argvs]
    assert rooms == [4750, 4750]  # 9,500 sockets per generator process
    # Together the shards open as many rooms at once as one generator does.
    assert sum(int(argv[argv.index("--concurrency") + 1]) for argv in argvs) == 32


def idle_result(rooms_open: int, sockets_open: int | None) -> dict[str, object]:
    return {"rooms_open": rooms_open, "sockets_open": sockets_open, "error_codes": {}}


def test_an_idle_run_weighs_the_growth_per_socket_the_server_held() -> None:
    cfg = Config("redis idle 10", "closeknit", 10, "idle", store="redis")
    base, weighed = Sample(0.0, 100 * 2**20), Sample(0.0, 100 * 2**20 + 20 * 24 * 1024)
    figures = idle_figures(cfg, base, weighed, Held(20, 40, 20000), idle_result(10, 20))
    assert "failed" not in figures
    assert figures["idle_connections"] == 20 and figures["idle_kib_per_connection"] == 24.0


def test_an_idle_run_that_held_fewer_sockets_than_it_opens_fails_with_the_count() -> None:
    cfg = Config("redis idle 10", "closeknit", 10, "idle", store="redis")
    base = Sample(0.0, 0)
    # The server counted fewer than the rooms' two seats each.
    short = idle_figures(cfg, base, base, Held(19, 40, 20000), idle_result(10, 20))
    assert "held 19 of 20 connections" in str(short["failed"])
    # A room that did not open, or a socket the generator lost before the end, fails it
    # even when the server's count looks whole.
    assert "failed" in idle_figures(cfg, base, base, Held(20, 40, 20000), idle_result(9, 18))
    assert "failed" in idle_figures(cfg, base, base, Held(20, 40, 20000), idle_result(10, 19))


def test_sockets_beyond_the_descriptor_limit_fail_the_configuration_before_it_runs() -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    dep = Deployment(["http://127.0.0.1:1"], [os.getpid()], None)
    # Every process started from bench.run runs at the hard limit: this one does too.
    assert descriptor_shortfall(Config("idle", "closeknit", 100, "idle"), dep) is None
    too_many = Config("idle", "closeknit", hard // 2, "idle", shards=4)
    assert "a server process may open" in str(descriptor_shortfall(too_many, dep))
    one_shard = Config("idle", "closeknit", hard * 2 // 3, "idle", servers=2)
    assert "a generator shard may open" in str(descriptor_shortfall(one_shard, dep))
