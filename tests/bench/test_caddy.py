"""HTTPS for real: Debian's Caddy runs the shipped deploy/Caddyfile with its internal
CA (``tls internal``, ``skip_install_trust``) in front of two server processes on
loopback sharing one Redis, and a couple plays over ``wss://``. The test's client trusts
that CA and nothing else; the system's own trust store does not know it."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.bench.conftest import require_binary
from tests.server.client import Client, hello_invite, hello_resume, split_invite
from tests.server.test_game_flow import play_cards
from tests.support.servers import ROOT, ServerProcess, free_port, server_processes

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@dataclass
class Caddy:
    port: int
    http_port: int
    proc: subprocess.Popen[bytes]
    home: Path

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}"

    @property
    def root_ca(self) -> Path:
        return self.home / "data/caddy/pki/authorities/local/root.crt"

    def log(self) -> str:
        return (self.home / "caddy.log").read_text(errors="replace")


@pytest.fixture
def instances(redis_url: str) -> Iterator[list[ServerProcess]]:
    env = {"REDIS_URL": redis_url, "TRUSTED_PROXIES": "127.0.0.1", "SHUTDOWN_GRACE": "2"}
    with server_processes(env) as servers:
        yield servers


@pytest.fixture
def caddy(instances: list[ServerProcess]) -> Iterator[Caddy]:
    binary = require_binary("caddy")
    home = Path(tempfile.mkdtemp(prefix="ck-caddy-"))
    port, http_port, health_port = free_port(), free_port(), free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),  # Caddy keeps its CA and certificates under these, not ~
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "CLOSEKNIT_SITE": f"https://localhost:{port}",
        "CLOSEKNIT_TLS": "internal",
        "CLOSEKNIT_UPSTREAMS": " ".join(f"127.0.0.1:{s.port}" for s in instances),
        "CADDY_BIND": "127.0.0.1",
        "CADDY_HTTP_PORT": str(http_port),
        "CADDY_HTTPS_PORT": str(port),
        "CADDY_HEALTH_PORT": str(health_port),
    }
    argv = [binary, "run", "--config", str(ROOT / "deploy/Caddyfile"), "--adapter", "caddyfile"]
    with (home / "caddy.log").open("wb") as log:
        proc = subprocess.Popen(argv, env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT)
    front = Caddy(port, http_port, proc, home)
    try:
        _wait_ready(front)
        yield front
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        shutil.rmtree(home, ignore_errors=True)


def _wait_ready(front: Caddy, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert front.proc.poll() is None, f"caddy exited:\n{front.log()}"
        # Ready once a TLS handshake completes with its own CA: the port opens, and the
        # root certificate is written, before the site's certificate has been issued
        # (a handshake then gets "internal error"; seen once in CI).
        if front.root_ca.exists():
            trusted = ssl.create_default_context(cafile=str(front.root_ca))
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", front.port), 0.5) as raw,
                trusted.wrap_socket(raw, server_hostname="localhost"),
            ):
                return
        time.sleep(0.1)
    raise TimeoutError(f"caddy did not start:\n{front.log()}")


def metric(server: ServerProcess, name: str) -> float:
    status, text = server.metrics()
    assert status == 200
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith((f"{name} ", f"{name}{{")))  # fmt: skip


async def test_a_couple_plays_over_wss_through_caddy_with_its_internal_ca(
    caddy: Caddy, instances: list[ServerProcess]
) -> None:
    trusted = ssl.create_default_context(cafile=str(caddy.root_ca))  # that CA only
    with (
        pytest.raises(ssl.SSLCertVerificationError),  # never installed system-wide
        socket.create_connection(("127.0.0.1", caddy.port), 5) as raw,
    ):
        ssl.create_default_context().wrap_socket(raw, server_hostname="localhost")
    origin = {"Origin": caddy.url}
    async with httpx.AsyncClient(base_url=caddy.url, verify=trusted, timeout=10) as http:
        page = await http.get("/")
        assert page.status_code == 200
        assert page.headers["strict-transport-security"].startswith("max-age=")
        assert "screen-wake-lock=(self)" in page.headers["permissions-policy"]
        assert (await http.get("/metrics")).status_code == 404  # never proxied
        created = (await http.post("/api/rooms", json={"deck": "closer"}, headers=origin)).json()
    async with httpx.AsyncClient(verify=False) as plain:  # port 80's job: off to https
        moved = await plain.get(
            f"http://127.0.0.1:{caddy.http_port}/", headers={"Host": "localhost"}
        )
    assert moved.status_code in (301, 302, 307, 308)
    assert moved.headers["location"].startswith("https://localhost")
    assert "strict-transport-security" not in moved.headers
    assert created["invite_url"].startswith(f"{caddy.url}/#join=")
    code, invite = split_invite(created["invite_url"])
    ws_url = caddy.url.replace("https://", "wss://") + "/ws"
    a = await Client.connect(ws_url, origin=caddy.url, ssl=trusted)
    wa = await a.request(hello_resume(code, created["token"]))
    b = await Client.connect(ws_url, origin=caddy.url, ssl=trusted)
    wb = await b.request(hello_invite(code, invite))
    assert (wa["t"], wb["t"]) == ("welcome", "welcome")
    # least_conn: the second long-lived socket went to the other process
    assert [metric(s, "closeknit_connections") for s in instances] == [1, 1]
    await a.latest_view(wb["version"])
    await a.act("ready")
    version = int((await b.act("ready"))["version"])
    version = await play_cards(a, b, cards=3, version=version)
    views = [await c.latest_view(version) for c in (a, b)]
    assert [v["version"] for v in views] == [version, version]
    assert all(metric(s, "closeknit_actions_total") > 0 for s in instances)
    await a.close()
    await b.close()
