"""The benchmark's arithmetic: ratios to the peers and the issue's targets."""

from __future__ import annotations

from typing import Any

from bench import report


def run(
    name: str, target: str, rooms: int, moves: float, p99: float, **more: Any
) -> dict[str, Any]:
    mode, rate = more.pop("mode", "closed"), more.pop("rate", 0)
    config = {"target": target, "rooms": rooms, "mode": mode, "rate": rate}
    return {"name": name, "config": config, "moves_per_s": moves,
            "latency_ms": {"p99": p99}, **more}  # fmt: skip


def test_closeknit_figures_become_ratios_to_the_peer_with_the_same_load() -> None:
    runs = [
        run("relay closed 1000", "relay", 1000, 20000, 4.0, server_cpu_us_per_move=50.0),
        run("colyseus closed 1000", "colyseus", 1000, 10000, 8.0),
        run("colyseus closed 10", "colyseus", 10, 99999, 1.0),
        run("redis closed 1000", "closeknit", 1000, 6000, 6.0, server_cpu_us_per_move=200.0),
    ]
    report.ratios(runs)
    assert runs[3]["moves_vs_relay"] == 0.3
    assert runs[3]["moves_vs_colyseus"] == 0.6
    assert runs[3]["p99_vs_colyseus"] == 0.75
    assert runs[3]["capacity_vs_relay"] == 0.25  # four times the CPU per move
    assert runs[3]["capacity_vs_colyseus"] is None  # not measured for that peer
    assert "moves_vs_relay" not in runs[0]


def test_targets_are_judged_from_the_runs() -> None:
    runs = [
        run("relay closed 1000", "relay", 1000, 20000, 4.0),
        run("colyseus closed 1000", "colyseus", 1000, 10000, 8.0),
        run("redis closed 1000", "closeknit", 1000, 6000, 6.0),
        run("colyseus open 1000@1000", "colyseus", 1000, 1000, 12.0, mode="open", rate=1000),
        run("redis open 1000@1000", "closeknit", 1000, 1000, 9.0, mode="open", rate=1000),
    ]
    report.ratios(runs)
    targets = report.targets(runs)
    assert targets["redis_1000_closed_vs_relay>=0.5"] is False
    assert targets["redis_1000_closed_vs_colyseus>=0.35"] is True
    assert targets["open_1000_p99<10ms"] is True
    assert targets["open_1000_p99<colyseus"] is True
    assert "idle_kib_per_connection<30" not in targets


def test_a_failed_run_is_shown_as_failed_not_as_a_number() -> None:
    failed = {"name": "redis closed 10", "config": {"target": "closeknit"}, "failed": "exit 1"}
    doc = {"runs": [failed], "targets": {}}
    assert "FAILED: exit 1" in report.table(doc)


def test_sharded_generators_merge_into_one_result_with_exact_percentiles() -> None:
    from bench.drive import merge

    def shard(samples: list[float], moves_per_s: float) -> dict[str, Any]:
        return {"moves": len(samples), "errors": 1, "missed": 0, "rooms": 5, "rooms_open": 5,
                "rate": 50.0, "seconds": 2.0, "moves_per_s": moves_per_s, "loadgen_cpu": 0.1,
                "error_codes": {"timeout": 1}, "actions": {"draw": 2}, "samples": samples,
                "latency_ms": {}}  # fmt: skip

    merged = merge([shard([1.0, 3.0], 10.0), shard([2.0, 4.0, 100.0], 15.0)])
    assert merged["moves"] == 5 and merged["moves_per_s"] == 25.0 and merged["rooms"] == 10
    assert merged["rate"] == 100.0 and merged["error_codes"] == {"timeout": 2}
    assert merged["latency_ms"] == {"p50": 3.0, "p95": 100.0, "p99": 100.0, "max": 100.0}
    assert "samples" not in merged


def test_every_run_becomes_ratios_to_each_floor_but_itself_and_to_its_baseline() -> None:
    runs = [
        run("relay closed 100", "relay", 100, 20000, 4.0, server_cpu_us_per_move=50.0),
        run("colyseus closed 100", "colyseus", 100, 10000, 8.0, server_cpu_us_per_move=80.0),
        run(
            "colyseus-game closed 100",
            "colyseus-game",
            100,
            5000,
            10.0,
            server_cpu_us_per_move=160.0,
        ),
        run("memory closed 100", "closeknit", 100, 2500, 20.0, server_cpu_us_per_move=320.0),
        run("base memory closed 100", "closeknit", 100, 2000, 25.0, server_cpu_us_per_move=400.0),
    ]
    runs[4]["config"]["baseline"] = True
    report.ratios(runs)
    ck, game = runs[3], runs[2]
    assert (ck["moves_vs_relay"], ck["moves_vs_colyseus"], ck["moves_vs_colyseus_game"]) == (
        0.125, 0.25, 0.5,
    )  # fmt: skip
    assert (ck["cpu_vs_relay"], ck["cpu_vs_colyseus"], ck["cpu_vs_colyseus_game"]) == (
        6.4, 4.0, 2.0,
    )  # fmt: skip
    assert ck["p99_vs_colyseus_game"] == 2.0
    assert ck["moves_vs_baseline"] == 1.25 and ck["cpu_vs_baseline"] == 0.8
    # A floor is compared with the other floors, never with itself.
    assert game["moves_vs_colyseus"] == 0.5 and game["cpu_vs_relay"] == 3.2
    assert "moves_vs_colyseus_game" not in game
    # The baseline's run has floors but no baseline of its own.
    assert "moves_vs_baseline" not in runs[4] and runs[4]["cpu_vs_colyseus_game"] == 2.5


def test_the_ratio_table_prints_a_column_group_per_floor_measured() -> None:
    runs = [
        run("relay closed 100", "relay", 100, 20000, 4.0, server_cpu_us_per_move=50.0),
        run("memory closed 100", "closeknit", 100, 2500, 20.0, server_cpu_us_per_move=320.0),
        run("base memory closed 100", "closeknit", 100, 5000, 10.0, server_cpu_us_per_move=160.0),
    ]
    runs[2]["config"]["baseline"] = True
    for each in runs:
        each["errors"] = 0
    doc: dict[str, Any] = {"runs": runs, "targets": {}, "baseline": "abc1234", "machine": {}}
    report.ratios(runs)
    lines = report.table(doc).splitlines()
    header = next(line for line in lines if "base abc1234" in line)
    assert "relay" in header and "thin" not in header and "game" not in header
    row = next(line for line in lines if line.strip().startswith("memory closed 100 |"))
    relay_cells, base_cells = (part.split() for part in row.split("|")[1:])
    assert relay_cells == ["0.12", "5.00", "6.40"]
    assert base_cells == ["0.50", "2.00", "2.00"]
    # Without a baseline there is no baseline group.
    doc["baseline"] = None
    assert "base " not in "\n".join(report.ratio_table(doc)[:3])


def test_sharded_generators_add_up_the_sockets_they_still_hold() -> None:
    from bench.drive import merge

    def shard(sockets: int | None) -> dict[str, Any]:
        return {"moves": 0, "errors": 0, "missed": 0, "rooms": 5, "rooms_open": 5,
                "sockets_open": sockets, "rate": None, "seconds": 8.0, "moves_per_s": 0,
                "loadgen_cpu": 0.1, "error_codes": {}, "samples": [], "latency_ms": {}}  # fmt: skip

    assert merge([shard(10), shard(9)])["sockets_open"] == 19
    # A target whose generator does not count its sockets has no count, not a sum.
    assert merge([shard(10), shard(None)])["sockets_open"] is None


def test_the_19k_idle_target_is_not_met_by_a_run_that_held_fewer() -> None:
    held = run("redis idle 9500 (19k conns)", "closeknit", 9500, 0, 0.0, mode="idle",
               idle_kib_per_connection=22.0)  # fmt: skip
    targets = report.targets([held])
    assert targets["idle_19000_held_on_one_process"] is True
    assert targets["idle_19000_kib_per_connection<=23.8"] is True
    short = {**held, "failed": "held 18991 of 19000 connections"}
    targets = report.targets([short])
    assert targets["idle_19000_held_on_one_process"] is False
    assert targets["idle_19000_kib_per_connection<=23.8"] is False
