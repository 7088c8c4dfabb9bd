"""`closeknit deck validate | lint | stats` and the `serve` entry point."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from deck_support import BROKEN, REPO, SAMPLE, sample_data

from server.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return str(path)


def test_validate_valid_deck_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "deck", "validate", str(SAMPLE))
    assert code == 0
    assert out == f"{SAMPLE}: ok: deck 'sample', 7 cards\n"


def test_validate_prints_file_line_column_pointer_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(BROKEN / "unknown-tag.json")
    code, out = run(capsys, "deck", "validate", path)
    assert code == 1
    assert out == (
        f"{path}:68:9: /cards/0/tags/0: unknown topic 'childhood': not in the shared "
        "vocabulary (decks/topics.json) nor in this deck's tags\n"
    )


def test_validate_exits_one_if_any_file_has_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "deck", "validate", str(SAMPLE), str(BROKEN / "bad-version.json"))
    assert code == 1
    assert "ok: deck 'sample'" in out and "/version: '1.0' is not a valid version" in out


def test_validate_warnings_do_not_fail(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = sample_data()
    del data["cards"][0]["text"]["de"]
    path = write(tmp_path, "partial.json", data)
    code, out = run(capsys, "deck", "validate", path)
    assert code == 0
    assert f"{path}:63:7: /cards/0/text: warning: no translation for 'de'\n" in out


def test_validate_reports_a_missing_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(tmp_path / "nope.json")
    code, out = run(capsys, "deck", "validate", path)
    assert code == 1
    assert out.startswith(f"{path}:1:1: (root): cannot read file:")


def test_validate_json_output_shape(capsys: pytest.CaptureFixture[str]) -> None:
    broken = str(BROKEN / "duplicate-card-id.json")
    code, out = run(capsys, "deck", "validate", "--json", str(SAMPLE), broken)
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    good, bad = report["files"]
    assert good == {
        "file": str(SAMPLE),
        "valid": True,
        "deck": "sample",
        "errors": [],
        "warnings": [],
    }
    assert bad["valid"] is False and bad["deck"] is None
    assert bad["errors"] == [
        {
            "code": "card/duplicate_id",
            "message": "card id 'l1' is already used by /cards/0",
            "pointer": "/cards/2/id",
            "line": 82,
            "column": 7,
            "severity": "error",
        }
    ]


def test_lint_prints_warnings_and_exits_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = sample_data()
    data["cards"][1]["text"]["en"] = "Do you like lazy Sundays?"
    path = write(tmp_path, "yesno.json", data)
    code, out = run(capsys, "deck", "lint", path)
    assert code == 0
    assert out == (
        f"{path}:77:9: /cards/1/text/en: warning: card 'l2' is a yes/no question "
        "(en: starts with 'do')\n"
    )


def test_lint_clean_deck_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "deck", "lint", str(SAMPLE)) == (0, f"{SAMPLE}: no warnings\n")


def test_lint_exits_one_only_for_an_invalid_deck(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "deck", "lint", str(BROKEN / "trailing-comma.json"))
    assert code == 1 and "expected a property name" in out


def test_lint_json_output_lists_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = sample_data()
    data["cards"][1]["text"]["en"] = "What would your boyfriend say?"
    code, out = run(capsys, "deck", "lint", "--json", write(tmp_path, "g.json", data))
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True
    assert [w["code"] for w in report["files"][0]["warnings"]] == ["lint/assumes_gender"]


def test_stats_json_counts_cards(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "deck", "stats", "--json", str(SAMPLE))
    assert code == 0
    assert json.loads(out) == {
        "deck": "sample",
        "cards": 7,
        "levels": {"light": 3, "deep": 3},
        "both_or_reveal": {"light": "67%", "deep": "33%"},  # l2, l3 (action); d1 (reveal)
        "tags": {"past": 1},
        "follow_up_tags": {"past": 0},
        "modes": {"one": 3, "both": 3, "reveal": 1},
        "kinds": {"question": 4, "action": 1, "appreciation": 1, "closing": 1},
        "languages": {"en": 7, "de": 7},
        "habits": {
            "speaking": 0, "listening": 0, "vulnerability": 0, "appreciation": 0,
            "shared-experience": 0,
        },
    }  # fmt: skip


def test_stats_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "deck", "stats", str(SAMPLE))
    assert code == 0
    assert out.startswith("deck 'sample': 7 cards\nlevels:\n  light")
    assert "kinds:\n" in out and "languages:\n" in out


def test_stats_of_an_invalid_deck_exits_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "deck", "stats", str(BROKEN / "unknown-kind.json"))[0] == 1


def test_deck_command_needs_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["deck"])
    assert exit_info.value.code == 2


def test_serve_without_a_server_module_exits_two(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.import_module

    def missing(name: str, package: str | None = None) -> types.ModuleType:
        if name == "server.serve":
            raise ModuleNotFoundError("No module named 'server.serve'", name="server.serve")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", missing)
    assert main(["serve"]) == 2
    assert "server/serve.py is missing" in capsys.readouterr().err


def test_serve_passes_its_options_to_server_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[argparse.Namespace] = []
    fake = types.ModuleType("server.serve")

    def fake_main(args: argparse.Namespace) -> int:
        received.append(args)
        return 0

    fake.main = fake_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "server.serve", fake)
    argv = ["serve", "--host", "127.0.0.1", "--port", "8123", "--redis-url", "redis://x/0"]
    argv += ["--decks-dir", "/tmp/decks", "--log-level", "debug"]
    assert main(argv) == 0
    (args,) = received
    assert (args.host, args.port, args.redis_url, args.decks_dir, args.log_level) == (
        "127.0.0.1",
        8123,
        "redis://x/0",
        "/tmp/decks",
        "debug",
    )


def test_serve_options_default_to_none_so_settings_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[argparse.Namespace] = []
    fake = types.ModuleType("server.serve")

    def fake_main(args: argparse.Namespace) -> int:
        received.append(args)
        return 3

    fake.main = fake_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "server.serve", fake)
    assert main(["serve"]) == 3
    assert received[0].port is None and received[0].redis_url is None


@pytest.mark.parametrize(
    ("module", "prefix"), [("server.cli", ["deck", "validate"]), ("decks.cli", ["validate"])]
)
def test_command_line_runs_as_a_program(module: str, prefix: list[str]) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", module, *prefix, str(SAMPLE)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (ok.returncode, ok.stdout) == (0, f"{SAMPLE}: ok: deck 'sample', 7 cards\n")
    bad = subprocess.run(
        [sys.executable, "-m", module, *prefix, str(BROKEN / "too-deep.json")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 1 and "nested deeper than 20 levels" in bad.stdout
