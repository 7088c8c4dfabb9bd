"""Fixtures for the deployment and scale-out tests: system binaries, the nginx
template renderer, and a loopback nginx in front of server processes."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def render_module() -> ModuleType:
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
