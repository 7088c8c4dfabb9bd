"""The project's papers say one thing: MIT for the code everywhere it is stated, CC BY 4.0
for the built-in decks' texts, the four papers present, the changelog at the current
version, pre-commit running exactly `make check`, and the nginx template's comment on
forwarded addresses saying what the server does."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

from server.ratelimit import client_address

ROOT = Path(__file__).resolve().parents[1]


def read(name: str) -> str:
    return (ROOT / name).read_text()


def test_one_licence_for_the_code_everywhere_it_is_stated() -> None:
    assert read("LICENSE").startswith("MIT License")
    assert tomllib.loads(read("pyproject.toml"))["project"]["license"] == "MIT"
    assert json.loads(read("web-client/package.json"))["license"] == "MIT"
    lock = json.loads(read("web-client/package-lock.json"))
    assert lock["packages"][""]["license"] == "MIT"
    assert 'org.opencontainers.image.licenses="MIT"' in read("Dockerfile")
    readme = read("README.md")
    assert "under the MIT licence" in readme and "CC BY 4.0" in readme


def test_the_built_in_decks_texts_are_cc_by_4_0() -> None:
    decks = sorted((ROOT / "decks/builtin").glob("*.json"))
    assert decks
    assert {json.loads(d.read_text())["license"] for d in decks} == {"CC-BY-4.0"}


def test_the_papers_exist_and_the_changelog_has_the_current_version() -> None:
    for paper in ("SECURITY.md", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md", "CHANGELOG.md"):
        assert len(read(paper)) > 300, paper
        assert f"({paper})" in read("README.md"), f"the README links {paper}"
    assert "privately" in read("SECURITY.md")
    changelog = read("CHANGELOG.md")
    assert "Keep a Changelog" in changelog and "## [Unreleased]" in changelog
    version = tomllib.loads(read("pyproject.toml"))["project"]["version"]
    assert re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d\d-\d\d$", changelog, re.M)


def test_pre_commit_runs_exactly_the_commands_of_make_check() -> None:
    makefile = read("Makefile")
    recipe = re.search(r"^check:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe
    venv = re.search(r"^VENV \?= (\S+)", makefile, re.M)
    assert venv
    lines = recipe.group(1).splitlines()
    check = [line.strip().replace("$(VENV)", venv.group(1)) for line in lines]
    config = yaml.safe_load(read(".pre-commit-config.yaml"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert [hook["entry"] for hook in hooks] == check
    assert all(hook["pass_filenames"] is False for hook in hooks)  # the whole tree, as make


def test_the_nginx_comment_on_forwarded_addresses_matches_the_server() -> None:
    template = read("deploy/nginx.conf.template")
    comment = " ".join(
        line.strip().lstrip("# ") for line in template.splitlines()
        if line.strip().startswith("#")
    )  # fmt: skip
    assert "TRUSTED_PROXIES" in comment and "right-most" in comment
    assert "proxy_headers handling is off" in comment
    serve = read("server/serve.py")
    assert re.search(r'"proxy_headers": False', serve)
    # the rule the comment states, as server/ratelimit.py applies it
    trusted = ["10.0.0.10"]
    assert client_address("10.0.0.10", "6.6.6.6, 1.2.3.4", trusted) == "1.2.3.4"
    assert client_address("1.2.3.4", "6.6.6.6", trusted) == "1.2.3.4"  # not a proxy


def test_the_readme_names_exactly_the_variables_compose_fills_in_from_env() -> None:
    compose = set(re.findall(r"\$\{([A-Z_]+)", read("docker-compose.yml")))
    readme = " ".join(read("README.md").split())
    said = re.search(r"a `\.env` file beside `docker-compose\.yml` fills in only (.*?);", readme)
    assert said, "the README's Settings say what compose's .env fills in"
    assert set(re.findall(r"`([A-Z_]+)`", said.group(1))) == compose
