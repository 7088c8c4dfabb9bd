"""Real Closeknit servers for tests, on free 127.0.0.1 ports.

- ``ServerProcess``: a separate ``python -m server.serve`` process (real uvicorn, the
  production entry point, graceful SIGTERM). ``start()`` waits for ``/healthz``;
  ``stop()`` sends SIGTERM and waits; ``kill()`` is SIGKILL. Its stderr (every log line,
  uvicorn's included) is kept in ``log_path`` so tests can search it.
- ``InProcessServer``: the same uvicorn ``Server`` running as a task in the test's own
  event loop (fast; for tests that do not need a second process).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from server.settings import Settings

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float = 1.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


# Every test connects from 127.0.0.1, and on Redis the per-address limits are shared by
# every instance: the whole suite would spend one address's buckets. Test servers lift
# them; a test of the limits sets its own.
UNLIMITED = {"create_burst": 100_000, "join_fail_burst": 100_000}


def ws_env(direct: bool) -> dict[str, str]:
    """A server process's environment for one way of serving the sockets (``WS_DIRECT``)."""
    return {"WS_DIRECT": "true" if direct else "false"}


class ServerProcess:
    """One real server process. ``env`` adds to (and overrides) the environment."""

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        port: int | None = None,
        clock: Path | None = None,
    ) -> None:
        """``clock``: a file of seconds the server's clock runs ahead of the wall clock
        (``tests.support.clocked``; the test moves it with ``move_clock``)."""
        self.port = port or free_port()
        self.clock = clock
        self.env = {**os.environ, "HOST": HOST, "PORT": str(self.port), **(env or {})}
        self.env.setdefault("LOG_LEVEL", "info")
        self.env.setdefault("METRICS_PORT", str(free_port()))  # /metrics is not on PORT
        for name, value in UNLIMITED.items():
            self.env.setdefault(name.upper(), str(value))
        self.env["PYTHONPATH"] = str(ROOT)
        handle, name = tempfile.mkstemp(prefix="ck-server-", suffix=".log")
        os.close(handle)
        self.log_path = Path(name)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}/ws"

    def start(self, timeout: float = 20.0) -> ServerProcess:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server.serve"]
                if self.clock is None
                else [sys.executable, "-m", "tests.support.clocked", str(self.clock)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            with contextlib.suppress(OSError):
                if _get(f"{self.url}/healthz", 0.5)[0] == 200:
                    return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"server did not become healthy:\n{self.log()}")

    def get(self, path: str) -> tuple[int, str]:
        return _get(self.url + path)

    def metrics(self) -> tuple[int, str]:
        """``/metrics`` from the metrics listener (METRICS_PORT)."""
        return _get(f"http://{HOST}:{self.env['METRICS_PORT']}/metrics")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM (graceful) and wait; SIGKILL if it does not exit in time."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def cleanup(self) -> None:
        self.kill()
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        self.cleanup()


@contextlib.contextmanager
def server_processes(env: Mapping[str, str], count: int = 2) -> Iterator[list[ServerProcess]]:
    """``count`` server processes on one environment, started in turn; every one is
    stopped (gracefully) and cleaned up however the block ends."""
    servers = [ServerProcess(env) for _ in range(count)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()
            server.cleanup()


def _quiet(base: type[uvicorn.Server]) -> type[uvicorn.Server]:
    class Quiet(base):  # type: ignore[valid-type,misc]
        """Leaves the test runner's signal handlers alone."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    return Quiet


class InProcessServer:
    """``async with InProcessServer(settings) as srv:`` serves the app in this loop."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        clock: Callable[[], float] = time.time,
        **overrides: Any,
    ) -> None:
        self.clock = clock
        fields: dict[str, Any] = {"host": HOST, "port": free_port(), "log_level": "warning"}
        if settings is None:
            fields |= UNLIMITED
        self.settings = replace(settings or Settings(), **{**fields, **overrides})
        self.server: uvicorn.Server | None = None
        self.task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        return self.settings.port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}/ws"

    @property
    def app(self) -> object:
        assert self.server is not None
        return self.server.config.loaded_app

    async def __aenter__(self) -> InProcessServer:
        from server.http.app import create_app
        from server.serve import Server, config_for

        s = self.settings
        config = config_for(create_app(s, clock=self.clock), s, loop="asyncio", log_config=None,
                            log_level="warning", timeout_graceful_shutdown=2)  # fmt: skip
        self.server = _quiet(Server)(config)
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                await self.task
                raise RuntimeError("server did not start")
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None and self.task is not None
        self.server.should_exit = True
        await asyncio.wait_for(self.task, 15)
