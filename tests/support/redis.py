"""Real ``redis-server`` processes for tests: one server, or a three-node Cluster.

Every server listens on 127.0.0.1 only, on a free port, in its own temporary
directory, with persistence off (as in production by default). Readiness is checked
over a raw socket, so the fixtures do not depend on the client under test.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import pytest

HOST = "127.0.0.1"
START_TIMEOUT = 10.0
CLUSTER_BUS_OFFSET = 10_000  # Redis Cluster's node-to-node port is port + 10000


def require_binary(name: str) -> str:
    """The path of a system binary. Missing: a failure under CI=true, else a skip."""
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (scripts/system-deps.sh installs it; `make test`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port(*, with_bus: bool = False) -> int:
    """A port free on loopback now (and its cluster bus port, when asked)."""
    if not with_bus:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((HOST, 0))
            return int(sock.getsockname()[1])
    for _ in range(200):
        port = random.randint(20_000, 55_000 - CLUSTER_BUS_OFFSET)
        if _port_free(port) and _port_free(port + CLUSTER_BUS_OFFSET):
            return port
    raise RuntimeError("no free port pair for a cluster node")


def command(port: int, *args: str, timeout: float = 2.0) -> bytes:
    """Send one command over a raw socket and return the whole raw RESP reply."""
    payload = f"*{len(args)}\r\n".encode()
    for arg in args:
        data = arg.encode()
        payload += b"$%d\r\n%b\r\n" % (len(data), data)
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(payload)
        with sock.makefile("rb") as reader:
            return _read_reply(reader)


def _read_reply(reader: BinaryIO) -> bytes:
    line = reader.readline()
    if not line.endswith(b"\r\n"):
        raise ConnectionError("connection closed mid-reply")
    kind, size = line[:1], line[1:].strip()
    if kind == b"$" and int(size) >= 0:
        return line + reader.read(int(size) + 2)
    if kind == b"*":
        return line + b"".join(_read_reply(reader) for _ in range(max(int(size), 0)))
    return line


class RedisServer:
    """One ``redis-server`` process; ``stop()`` then ``start()`` reuses the port."""

    def __init__(
        self, binary: str, workdir: Path, *, cluster: bool = False, extra: Sequence[str] = ()
    ) -> None:
        """``extra``: more ``redis-server`` options; a later one wins, so ``("--appendonly",
        "yes")`` turns on the persistence the defaults here leave off."""
        self.binary = binary
        self.dir = workdir
        self.cluster = cluster
        self.extra = tuple(extra)
        self.port = free_port(with_bus=cluster)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"

    def _argv(self) -> list[str]:
        argv = [
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            HOST,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.dir),
            "--daemonize",
            "no",
            "--logfile",
            str(self.dir / "redis.log"),
        ]
        if self.cluster:
            argv += ["--cluster-enabled", "yes", "--cluster-node-timeout", "2000"]
            argv += ["--cluster-config-file", str(self.dir / "nodes.conf")]
        return [*argv, *self.extra]

    def start(self) -> None:
        if self.running:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            self._argv(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited: see {self.dir / 'redis.log'}")
            with contextlib.suppress(OSError):
                if command(self.port, "PING", timeout=0.5).startswith(b"+PONG"):
                    return
            time.sleep(0.02)
        self.kill()
        raise RuntimeError("redis-server did not answer PING in time")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """A clean shutdown (SIGTERM); nothing is saved: persistence is off."""
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        """A crash (SIGKILL)."""
        self._end(signal.SIGKILL)

    def _end(self, sig: signal.Signals) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def dbsize(self) -> int:
        reply = command(self.port, "DBSIZE")
        assert reply.startswith(b":"), reply
        return int(reply[1:].strip())


class RedisClusterNodes:
    """Three masters, no replicas, all 16384 slots assigned, state ok."""

    def __init__(self, server_bin: str, cli_bin: str, workdir: Path, size: int = 3) -> None:
        self.cli = cli_bin
        self.nodes = [
            RedisServer(server_bin, workdir / f"node{i}", cluster=True) for i in range(size)
        ]

    @property
    def url(self) -> str:
        return "redis+cluster://" + ",".join(node.address for node in self.nodes)

    def start(self) -> None:
        for node in self.nodes:
            node.start()
        create = [self.cli, "--cluster", "create", *(n.address for n in self.nodes)]
        create += ["--cluster-replicas", "0", "--cluster-yes"]
        done = subprocess.run(create, capture_output=True, timeout=60, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"redis-cli --cluster create failed: {done.stdout[-500:]!r}")
        self.wait_ok()

    def wait_ok(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replies = [command(n.port, "CLUSTER", "INFO") for n in self.nodes]
            if all(b"cluster_state:ok" in reply for reply in replies):
                return
            time.sleep(0.05)
        raise RuntimeError("the cluster never reached cluster_state:ok")

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def dbsize(self) -> int:
        return sum(node.dbsize() for node in self.nodes)


def temp_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
