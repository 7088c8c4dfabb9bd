"""The scale-out deployment in the repo is complete and well-formed: compose, the
Dockerfile and the one nginx template (rendered both ways) are accepted by the tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml


def compose_config(compose_bin: str, root: Path, **env: str) -> dict[str, Any]:
    """The compose file as docker-compose resolves it (anchors, folding, ${VARS})."""
    result = subprocess.run(
        [compose_bin, "-f", str(root / "docker-compose.yml"), "config"],
        cwd=root,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    config: dict[str, Any] = yaml.safe_load(result.stdout)
    return config


def test_compose_file_is_accepted_by_docker_compose(compose_bin: str, repo_root: Path) -> None:
    result = subprocess.run(
        [compose_bin, "-f", "docker-compose.yml", "config", "-q"],
        cwd=repo_root,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_every_file_the_compose_file_references_exists(compose_bin: str, repo_root: Path) -> None:
    config = compose_config(compose_bin, repo_root)
    referenced: list[Path] = []
    for service in config["services"].values():
        build = service.get("build")
        if build:
            context = Path(build["context"])
            referenced += [context, context / build.get("dockerfile", "Dockerfile")]
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume["source"]
            if source.startswith(("/", ".")):
                referenced.append(Path(source))
    assert referenced, "the compose file references no file at all"
    missing = [str(path) for path in referenced if not path.exists()]
    assert missing == []


def test_every_file_the_dockerfile_copies_exists(repo_root: Path) -> None:
    sources: list[str] = []
    for line in (repo_root / "Dockerfile").read_text().splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(w.startswith("--from") for w in words):
            sources += words[1:-1]
    assert sources
    assert [s for s in sources if not (repo_root / s).exists()] == []


def test_compose_with_the_https_profile_is_accepted_too(compose_bin: str, repo_root: Path) -> None:
    result = subprocess.run(
        [compose_bin, "-f", "docker-compose.yml", "--profile", "https", "config", "-q"],
        cwd=repo_root, check=False, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_every_service_has_a_healthcheck_and_waits_for_healthy_dependencies(
    compose_bin: str, repo_root: Path
) -> None:
    services = compose_config(compose_bin, repo_root, COMPOSE_PROFILES="https")["services"]
    assert "caddy" in services  # the https profile
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), name
        for dependency, rule in service.get("depends_on", {}).items():
            assert rule == {"condition": "service_healthy"}, (name, dependency)
    assert set(services["nginx"]["depends_on"]) == {"closeknit-1", "closeknit-2"}
    assert set(services["caddy"]["depends_on"]) == {"closeknit-1", "closeknit-2"}
    assert set(services["closeknit-1"]["depends_on"]) == {"redis"}


def test_the_instances_healthcheck_asks_the_port_they_listen_on(
    compose_bin: str, repo_root: Path
) -> None:
    service = compose_config(compose_bin, repo_root)["services"]["closeknit-1"]
    probe = " ".join(service["healthcheck"]["test"])
    assert f"127.0.0.1:{service['environment']['PORT']}/readyz" in probe
    assert service["environment"]["METRICS_PORT"] not in service.get("ports", [])


def test_neither_proxy_passes_metrics_on(repo_root: Path) -> None:
    nginx = (repo_root / "deploy/nginx.conf.template").read_text()
    assert re.search(r"location = \$\{CK_PATH\}/metrics \{\s*return 404;", nginx)
    caddy = (repo_root / "deploy/Caddyfile").read_text()
    assert "@metrics path /metrics */metrics" in caddy and "respond @metrics 404" in caddy


def test_caddy_never_installs_its_local_ca_anywhere(repo_root: Path) -> None:
    """Run as root, Caddy would put its CA into the system's trust store; it must not."""
    lines = (repo_root / "deploy/Caddyfile").read_text().splitlines()
    caddy = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert caddy.lstrip().startswith("{")  # a global options block comes first
    options = caddy[: caddy.index("\n}")]
    assert re.search(r"^\s*skip_install_trust\s*$", options, re.M)


def test_compose_has_two_named_instances_sharing_one_redis(
    compose_bin: str, repo_root: Path
) -> None:
    services = compose_config(compose_bin, repo_root)["services"]
    instances = [s for s in services.values() if s.get("build")]
    assert len(instances) == 2
    assert {s["environment"]["REDIS_URL"] for s in instances} == {"redis://redis:6379/0"}
    upstreams = services["nginx"]["environment"]["CK_UPSTREAMS"]
    for name, service in services.items():
        if service.get("build"):
            assert f"server {name}:8000 " in upstreams


def test_redis_persists_nothing_unless_aof_is_switched_on(
    compose_bin: str, repo_root: Path
) -> None:
    default = compose_config(compose_bin, repo_root)["services"]["redis"]["command"]
    assert default[default.index("--appendonly") + 1] == "no"
    assert default[default.index("--save") + 1] == ""
    switched = compose_config(compose_bin, repo_root, REDIS_AOF="yes")["services"]["redis"]
    assert switched["command"][switched["command"].index("--appendonly") + 1] == "yes"


def test_render_replaces_only_closeknit_placeholders(render_module: ModuleType) -> None:
    template = "map $http_upgrade $x { default ${CK_A}; }\nlisten ${CK_B};\n"
    text = render_module.render({"CK_A": "upgrade", "CK_B": "80"}, template)
    assert text == "map $http_upgrade $x { default upgrade; }\nlisten 80;\n"


def test_render_refuses_a_placeholder_without_value(render_module: ModuleType) -> None:
    with pytest.raises(render_module.MissingValueError):
        render_module.render({"CK_A": "x"}, "${CK_A} ${CK_B}")


def test_template_keeps_websocket_upgrade_and_edge_forwarded_for(repo_root: Path) -> None:
    template = (repo_root / "deploy/nginx.conf.template").read_text()
    assert "proxy_set_header Upgrade $http_upgrade;" in template
    assert "proxy_set_header Connection $connection_upgrade;" in template
    # Appending ($proxy_add_x_forwarded_for) would pass a client's forged header on.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in template
    assert "$proxy_add_x_forwarded_for" not in template
    assert re.search(r"^\s*(least_conn|ip_hash);", template, re.M)


def nginx_test(nginx_bin: str, conf: Path, prefix: Path, wrap: list[str]) -> None:
    result = subprocess.run(
        [*wrap, nginx_bin, "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "e.log")],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_loopback_rendering_passes_nginx_t(
    render_module: ModuleType, nginx_bin: str, run_dir: Path
) -> None:
    values = render_module.loopback_values("127.0.0.1:1", ["127.0.0.1:2", "127.0.0.1:3"], run_dir)
    conf = run_dir / "nginx.conf"
    conf.write_text(render_module.render(values))
    nginx_test(nginx_bin, conf, run_dir, [])


def test_compose_rendering_passes_nginx_t(
    render_module: ModuleType, compose_bin: str, nginx_bin: str, repo_root: Path, run_dir: Path
) -> None:
    """The template rendered with the compose file's own values. nginx -t resolves the
    upstream names, so they are mapped to loopback in a private mount namespace's
    /etc/hosts; only the pid/temp/log paths are moved to a temporary prefix."""
    unshare = shutil.which("unshare")
    assert unshare, "util-linux's unshare is part of the base system"
    services = compose_config(compose_bin, repo_root)["services"]
    env = {k: str(v) for k, v in services["nginx"]["environment"].items()}
    env |= {"CK_RUN_DIR": str(run_dir), "CK_ERROR_LOG": str(run_dir / "error.log")}
    conf = run_dir / "nginx.conf"
    conf.write_text(render_module.render(env))
    hosts = run_dir / "hosts"
    names = [name for name, service in services.items() if service.get("build")]
    hosts.write_text(Path("/etc/hosts").read_text() + f"\n127.0.0.1 {' '.join(names)}\n")
    script = f'mount --bind "{hosts}" /etc/hosts && exec "$@"'
    nginx_test(nginx_bin, conf, run_dir, [unshare, "-m", "sh", "-c", script, "sh"])
