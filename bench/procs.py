"""Start and stop the processes a benchmark or soak needs: redis-server, Closeknit
server processes (this checkout's, or a baseline commit's from a temporary git
worktree), the bare relay floor and the two Colyseus peers, each optionally pinned to a
core with taskset. Everything listens on 127.0.0.1 on a free port."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / "bench" / "peers"
# Benchmarks and soaks come from one address at rates no person reaches: lift the
# per-address and per-connection limits (the limits themselves are tested elsewhere).
UNLIMITED = {
    "MSG_RATE": "1000000",
    "MSG_BURST": "1000000",
    "CREATE_RATE": "1000000",
    "CREATE_BURST": "1000000",
    "JOIN_FAIL_RATE": "1000000",
    "JOIN_FAIL_BURST": "1000000",
    "LOG_LEVEL": "warning",
}


def raise_fd_limit() -> tuple[int, int]:
    """Lifts this process's soft descriptor limit to its hard limit, so that every
    process started from here inherits it (a server holding 19,000 idle sockets, a
    generator shard holding 10,000); returns (soft, hard) as they are now. The hard
    limit cannot be raised without privileges it would be wrong to ask for here."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return soft, hard


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pinned(argv: list[str], cpu: int | None) -> list[str]:
    if cpu is None or shutil.which("taskset") is None:
        return argv
    return ["taskset", "-c", str(cpu), *argv]


def wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


def wait_http(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.05)


@dataclass
class Proc:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode


def _spawn(
    argv: list[str], log: Path | None, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.Popen[bytes]:
    env = {**os.environ, **(env or {})}
    raise_fd_limit()  # inherited by the child
    if log is None:
        return subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
    # The child gets its own copy of the descriptor: ours is closed at once, or a
    # process that fails to start would leave it open.
    with open(log, "ab") as out:
        return subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


def start_redis(
    cpu: int | None = None,
    log: Path | None = None,
    *,
    data: Path | None = None,
    port: int | None = None,
) -> Proc:
    """``data``: keep an append-only file there, so that a Redis stopped with SIGTERM
    (which flushes it) and started again on the same ``port`` has every room back."""
    port = port or free_port()
    argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    if data is None:
        argv += ["--appendonly", "no"]
    else:
        argv += ["--appendonly", "yes", "--dir", str(data)]
    argv += ["--maxclients", "20000"]
    proc = _spawn(pinned(argv, cpu), log)
    wait_port(port, proc)
    return Proc("redis", port, proc, log)


def start_server(
    redis_url: str = "",
    cpu: int | None = None,
    log: Path | None = None,
    env: dict[str, str] | None = None,
    root: Path = ROOT,
    *,
    port: int | None = None,
    metrics_port: int | None = None,
) -> Proc:
    """One Closeknit server process (`closeknit serve`), with benchmark limits.
    ``root``: the checkout whose code it runs (a baseline's worktree), on this same
    interpreter: ``-m`` puts the working directory first on ``sys.path``, and
    PYTHONPATH is pointed there too, so the editable install's copy is not imported.
    Given ``port`` and ``metrics_port``, on those (a process started again in its place)."""
    port, metrics_port = port or free_port(), metrics_port or free_port()
    # With the engine compiled by mypyc first on PYTHONPATH (``env``): -P, so that the
    # working directory's interpreted game/ is not put before it.
    path = (env or {}).get("PYTHONPATH")
    safe = ["-P"] if path and path.split(os.pathsep)[0] != str(root) else []
    argv = [sys.executable, *safe, "-m", "server.cli", "serve", "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--metrics-port", str(metrics_port)]
    if redis_url:
        argv += ["--redis-url", redis_url]
    extra = {**UNLIMITED, "PYTHONPATH": str(root), **(env or {})}
    proc = _spawn(pinned(argv, cpu), log, extra, cwd=root)
    wait_port(port, proc)
    wait_http(f"http://127.0.0.1:{port}/healthz")
    return Proc("closeknit", port, proc, log, {"metrics": f"http://127.0.0.1:{metrics_port}"})


def start_relay(cpu: int | None = None, log: Path | None = None, *, echo: bool = False) -> Proc:
    """The bare relay floor, on the same uvicorn setup the server uses; ``echo``: each
    message also goes back to its sender (a move's socket work, see the relay)."""
    port = free_port()
    argv = [sys.executable, "-m", "bench.peers.relay", "--port", str(port)]
    if echo:
        argv.append("--echo")
    proc = _spawn(pinned(argv, cpu), log)
    wait_port(port, proc)
    return Proc("relay", port, proc, log)


def start_colyseus(cpu: int | None = None, log: Path | None = None) -> Proc:
    port = free_port()
    argv = ["node", str(PEERS / "colyseus_peer.js"), "--port", str(port)]
    proc = _spawn(pinned(argv, cpu), log)
    wait_port(port, proc)
    return Proc("colyseus", port, proc, log)


def start_colyseus_game(cpu: int | None = None, log: Path | None = None) -> Proc:
    """The Colyseus game peer: the couple game itself on Colyseus (see its header)."""
    port = free_port()
    argv = ["node", str(PEERS / "colyseus_game.js"), "--port", str(port)]
    proc = _spawn(pinned(argv, cpu), log)
    wait_port(port, proc)
    return Proc("colyseus-game", port, proc, log)


def checkout(commit: str) -> Path:
    """A detached git worktree of ``commit`` under /tmp (removed by ``remove_checkout``)."""
    folder = Path(tempfile.mkdtemp(prefix="closeknit-baseline-"))
    folder.rmdir()  # git creates it
    run = subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), commit],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if run.returncode != 0:
        raise RuntimeError(f"git worktree add {commit}: {run.stderr.strip()}")
    return folder


def remove_checkout(folder: Path) -> None:
    subprocess.run(
        ["git", "worktree", "remove", "--force", str(folder)],
        cwd=ROOT, capture_output=True, check=False,
    )  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run(["git", "worktree", "prune"], cwd=ROOT, capture_output=True, check=False)


def commit_of(rev: str, root: Path = ROOT) -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", f"{rev}^{{commit}}"],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout.strip()


def npm_install(folder: Path) -> None:
    """Install a Node package's locked dependencies when they are missing or older than
    the lock. npm writes ``node_modules/.package-lock.json`` last, so a folder emptied or
    left half-installed (an interrupted ``npm ci``) is installed again."""
    done = folder / "node_modules" / ".package-lock.json"
    lock = folder / "package-lock.json"
    if done.is_file() and done.stat().st_mtime >= lock.stat().st_mtime:
        return
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder, check=True
    )
    done.touch()
