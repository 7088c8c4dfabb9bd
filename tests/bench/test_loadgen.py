"""The Node load generator drives every target through its real protocol: a short
closed-loop run against a real server, the relay floor, the thin Colyseus peer and the
Colyseus game peer, with moves measured and no error."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from bench import procs
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.slow
LOADGEN = procs.ROOT / "bench" / "loadgen" / "loadgen.js"


def drive(node: str, target: str, url: str, *extra: str) -> dict[str, Any]:
    argv = [node, str(LOADGEN), "--target", target, "--url", url, "--rooms", "4"]
    argv += ["--warmup", "0.5", "--duration", "1.5", *extra]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert [e["event"] for e in events] == ["connected", "measure_start", "measure_end", "result"]
    result: dict[str, Any] = events[-1]
    return result


def check(result: dict[str, Any]) -> None:
    assert result["rooms_open"] == 4
    assert result["errors"] == 0, result["error_codes"]
    assert result["moves"] > 10
    latency = result["latency_ms"]
    assert 0 < latency["p50"] <= latency["p95"] <= latency["p99"] <= latency["max"]
    assert 0 < result["loadgen_cpu"] < 1.5


def test_loadgen_plays_closeknit_games_through_the_protocol(node: str) -> None:
    with ServerProcess(procs.UNLIMITED) as server:
        result = drive(node, "closeknit", server.url)
    check(result)
    # Real games: cards drawn, answered and heard, not one action over and over.
    # Read over the whole run: a loaded machine's 1.5 s window once held no draw (CI).
    played = set(result["actions_total"])
    assert {"draw", "answer", "done_speaking"} <= played, result["actions_total"]


def test_an_idle_closeknit_run_reports_the_sockets_it_still_holds(node: str) -> None:
    with ServerProcess(procs.UNLIMITED) as server:
        result = drive(node, "closeknit", server.url, "--mode", "idle")
    assert result["rooms_open"] == 4 and result["errors"] == 0, result["error_codes"]
    assert result["sockets_open"] == 8  # counted before the generator closes them


def test_loadgen_drives_the_relay_floor_and_the_colyseus_peer(node: str) -> None:
    peers = [procs.start_relay(), procs.start_colyseus()]
    try:
        for peer, target in zip(peers, ("relay", "colyseus"), strict=True):
            check(drive(node, target, peer.http))
    finally:
        for peer in peers:
            peer.stop()


def test_loadgen_plays_the_colyseus_game_peer_through_its_client(node: str) -> None:
    # The game on Colyseus: every move chosen from the seats' synchronised state must be
    # accepted (a refusal counts as an error), and the game must really be played.
    peer = procs.start_colyseus_game()
    try:
        result = drive(node, "colyseus-game", peer.http)
    finally:
        peer.stop()
    check(result)
    played = set(result["actions_total"])
    assert {"draw", "answer", "done_speaking", "reflect", "felt_heard"} <= played, played


def test_open_loop_holds_the_requested_rate(node: str) -> None:
    relay = procs.start_relay()
    try:
        result = drive(node, "relay", relay.http, "--mode", "open", "--rate", "200")
    finally:
        relay.stop()
    assert result["errors"] == 0
    assert 120 < result["moves_per_s"] < 260


def test_an_emptied_node_modules_folder_is_installed_again(node: str, tmp_path: Any) -> None:
    # A folder that exists but lost its packages (an interrupted or foreign `npm ci`)
    # must not pass for installed: the generator would fail with "Cannot find module".
    folder = tmp_path / "loadgen"
    folder.mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copy(procs.ROOT / "bench" / "loadgen" / name, folder / name)
    (folder / "node_modules").mkdir()
    procs.npm_install(folder)
    assert (folder / "node_modules" / "ws" / "package.json").is_file()
    stamp = (folder / "node_modules" / ".package-lock.json").stat().st_mtime
    procs.npm_install(folder)  # installed and current: nothing to do
    assert (folder / "node_modules" / ".package-lock.json").stat().st_mtime == stamp
