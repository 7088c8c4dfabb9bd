"""Fixtures for the deployment and scale-out tests: system binaries, the nginx
template renderer, and a loopback nginx in front of server processes."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def require_binary(name: str, *candidates: str) -> str:
    """The path of a system binary. Missing: a failure under CI=true, else a skip."""
    for candidate in (*candidates, name):
        found = shutil.which(candidate) or (candidate if os.access(candidate, os.X_OK) else None)
        if found:
            return found
    message = f"{name} is not installed (scripts/system-deps.sh installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def node() -> str:
    """Node, with the load generator's and the peers' packages installed."""
    found = shutil.which("node")
    if not found:
        message = "node is not installed (scripts/system-deps.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from bench import procs

    procs.npm_install(procs.ROOT / "bench" / "loadgen")
    procs.npm_install(procs.ROOT / "bench" / "peers")
    return found


@pytest.fixture(scope="session")
def render_module() -> ModuleType:
    return load_render()


def load_render() -> ModuleType:
    """deploy/render.py, loaded from its path (deploy/ is not a package)."""
    spec = importlib.util.spec_from_file_location("ck_deploy_render", ROOT / "deploy/render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def nginx_bin() -> str:
    return require_binary("nginx", "/usr/sbin/nginx")


@pytest.fixture
def compose_bin() -> str:
    return require_binary("docker-compose")


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture
def run_dir() -> Iterator[Path]:
    """A directory nginx's unprivileged workers can traverse (pytest's tmp_path is 0700)."""
    path = Path(tempfile.mkdtemp(prefix="ck-nginx-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@dataclass
class Nginx:
    port: int
    proc: subprocess.Popen[bytes]
    run_dir: Path

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def error_log(self) -> str:
        path = self.run_dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "nginx exited at start-up"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nginx is not listening on {port}")


@pytest.fixture
def nginx_front(
    nginx_bin: str, render_module: ModuleType, run_dir: Path
) -> Iterator[Callable[[list[int]], Nginx]]:
    """Starts Debian's nginx from the deployment template, rendered for loopback."""
    started: list[Nginx] = []

    def start(upstream_ports: list[int]) -> Nginx:
        front = start_nginx(nginx_bin, render_module, run_dir, upstream_ports)
        started.append(front)
        return front

    yield start
    for front in started:
        stop_nginx(front)


def start_nginx(
    nginx_bin: str, render: ModuleType, run_dir: Path, upstream_ports: list[int], path: str = ""
) -> Nginx:
    """Debian's nginx from the deployment template, rendered for loopback (``path``:
    the prefix it serves Closeknit under)."""
    port = _free_port()
    upstreams = [f"127.0.0.1:{p}" for p in upstream_ports]
    values = render.loopback_values(f"127.0.0.1:{port}", upstreams, run_dir, path=path)
    conf = run_dir / "nginx.conf"
    conf.write_text(render.render(values))
    argv = [nginx_bin, "-p", str(run_dir), "-c", str(conf), "-e", str(run_dir / "e.log")]
    proc = subprocess.Popen(
        [*argv, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    front = Nginx(port, proc, run_dir)
    try:
        _wait_port(port, proc)
    except BaseException:
        stop_nginx(front)
        raise
    return front


def stop_nginx(front: Nginx) -> None:
    front.proc.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
    try:
        front.proc.wait(10)
    except subprocess.TimeoutExpired:
        front.proc.kill()
        front.proc.wait(5)
