"""/metrics: prometheus_client's exposition with our counters and the process and
platform collectors, on the metrics listener (METRICS_PORT) and not on the public one
unless a bearer token opens it; the Grafana dashboard asks only for metrics that exist."""

from __future__ import annotations

import gc
import json
import re
from pathlib import Path

import httpx

from server.metrics import GcClock
from tests.server.client import pair
from tests.support.servers import InProcessServer, free_port

ROOT = Path(__file__).resolve().parents[2]
PROMQL_WORDS = {"sum", "by", "rate", "histogram_quantile", "le", "max", "job", "instance"}


def sample_names(text: str) -> set[str]:
    return {re.split(r"[{ ]", line, maxsplit=1)[0] for line in text.splitlines()
            if line and not line.startswith("#")}  # fmt: skip


async def scrape_after_a_short_game(srv: InProcessServer, metrics_url: str) -> str:
    p = await pair(srv.url, srv.ws_url)
    await p.a.client.act("ready")
    await p.a.client.act("draw")
    await p.b.client.act("nonsense")
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{metrics_url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return response.text


async def test_metrics_are_not_on_the_public_port_by_default() -> None:
    async with InProcessServer() as srv, httpx.AsyncClient(base_url=srv.url) as http:
        assert (await http.get("/metrics")).status_code == 404
        assert (await http.get("/healthz")).status_code == 200


async def test_the_metrics_port_serves_metrics_with_process_collectors_and_nothing_else() -> None:
    port = free_port()
    async with InProcessServer(metrics_port=port) as srv:
        metrics_url = f"http://127.0.0.1:{port}"
        text = await scrape_after_a_short_game(srv, metrics_url)
        async with httpx.AsyncClient(base_url=metrics_url) as http:
            assert (await http.get("/")).status_code == 404  # no game pages there
            assert (await http.get("/api/decks")).status_code == 404
        async with httpx.AsyncClient(base_url=srv.url) as http:
            assert (await http.get("/metrics")).status_code == 404
    lines = set(text.splitlines())
    assert "closeknit_connections 2.0" in lines
    assert "closeknit_rooms 1.0" in lines
    assert "closeknit_rooms_created_total 1.0" in lines
    assert 'closeknit_actions_total{action="ready"} 1.0' in lines
    assert 'closeknit_errors_total{code="game/not_started"} 1.0' in lines
    assert 'closeknit_errors_total{code="action/unknown"} 1.0' in lines
    count = next(line for line in lines if line.startswith("closeknit_store_seconds_count"))
    assert float(count.split()[1]) > 0
    tasks = next(line for line in lines if line.startswith("closeknit_tasks "))
    assert float(tasks.split()[1]) >= 2  # at least the subscriber and this request
    names = sample_names(text)
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes",
                 "process_open_fds", "python_info", "closeknit_gc_seconds_total"):  # fmt: skip
        assert name in names, name


async def test_a_metrics_token_opens_the_public_port_to_its_bearer_only() -> None:
    async with (
        InProcessServer(metrics_token="s3cret-scraper") as srv,
        httpx.AsyncClient(base_url=srv.url) as http,
    ):
        assert (await http.get("/metrics")).status_code == 404
        wrong = {"Authorization": "Bearer guess"}
        assert (await http.get("/metrics", headers=wrong)).status_code == 404
        right = {"Authorization": "Bearer s3cret-scraper"}
        response = await http.get("/metrics", headers=right)
    assert response.status_code == 200 and "closeknit_connections " in response.text


async def test_every_metric_the_grafana_dashboard_queries_exists() -> None:
    dashboard = json.loads((ROOT / "deploy/grafana-dashboard.json").read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    queried = {
        word for expr in exprs for word in re.findall(r"[a-z_]+(?=[\[{ )/]|$)", expr)
        if "_" in word and word not in PROMQL_WORDS
    }  # fmt: skip
    assert len(queried) >= 15, queried
    port = free_port()
    async with InProcessServer(metrics_port=port) as srv:
        text = await scrape_after_a_short_game(srv, f"http://127.0.0.1:{port}")
    assert sorted(queried - sample_names(text)) == []


def test_the_gc_clock_counts_collections_and_time_once_installed() -> None:
    clock = GcClock()
    assert list(clock.collect()) == []  # not installed: nothing claimed
    clock.install()
    clock.install()  # once per process, however often asked
    try:
        assert gc.callbacks.count(clock._on_collect) == 1
        gc.collect(1)
        assert clock.collections[1] >= 1 and clock.seconds[1] > 0
        runs, _ = clock.collect()
        assert ("closeknit_gc_collections_total", {"generation": "1"}) in [
            (s.name, s.labels) for s in runs.samples
        ]
    finally:
        gc.callbacks.remove(clock._on_collect)
