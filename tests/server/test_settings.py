"""Every setting is one definition: an environment variable, a ``closeknit serve``
option and a line of ``.env.example``; a bad value says which and what it accepts."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from server import serve
from server.cli import build_parser
from server.settings import (
    SettingError,
    Settings,
    env_example,
    env_name,
    from_options,
    option_name,
)

ROOT = Path(__file__).resolve().parents[2]
FIELDS = dataclasses.fields(Settings)


def sample(f: dataclasses.Field[Any]) -> tuple[str, object]:
    """A value other than the default, as typed and as parsed."""
    choices = f.metadata.get("choices")
    if choices:
        other = next(c for c in choices if c != f.default)
        return other, other
    if isinstance(f.default, bool):
        return ("no" if f.default else "yes"), not f.default
    if isinstance(f.default, int):
        return "7", 7
    if isinstance(f.default, float):
        return "2.5", 2.5
    if isinstance(f.default, tuple):
        return "a.test, b.test", ("a.test", "b.test")
    return "/somewhere/else", "/somewhere/else"


@pytest.mark.parametrize("f", FIELDS, ids=lambda f: f.name)
def test_every_setting_is_settable_by_variable_and_by_option(f: dataclasses.Field[Any]) -> None:
    raw, value = sample(f)
    assert getattr(Settings.from_env({env_name(f): raw}), f.name) == value
    args = build_parser().parse_args(["serve", option_name(f), raw])
    assert getattr(serve.settings_from(args), f.name) == value
    assert f.metadata.get("help"), "every setting says what it is for"


def test_an_option_wins_over_the_variable_and_absent_options_leave_it() -> None:
    args = build_parser().parse_args(["serve", "--port", "9002"])
    env = {"PORT": "9001", "MAX_TEXT": "500"}
    s = from_options(args, env)
    assert (s.port, s.max_text) == (9002, 500)


@pytest.mark.parametrize(
    ("name", "raw", "form"),
    [
        ("PORT", "eighty", "a whole number"),
        ("ROOM_TTL", "-5", "a number of 0 or more"),
        ("MSG_RATE", "nan", "a number of 0 or more"),
        ("LOG_LEVEL", "loud", "one of debug, info, warning, error"),
        ("LOG_FORMAT", "xml", "one of plain, json"),
    ],
)
def test_a_bad_variable_names_itself_and_the_accepted_form(name: str, raw: str, form: str) -> None:
    with pytest.raises(SettingError) as caught:
        Settings.from_env({name: raw})
    assert str(caught.value).startswith(f"{name}={raw!r}")
    assert form in str(caught.value)


def test_a_bad_option_names_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["serve", "--max-frame", "16k"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--max-frame='16k' is not valid: expected a whole number" in err
    assert "Traceback" not in err


def test_serve_stops_on_a_bad_variable_with_one_line_and_status_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MAX_TEXT", "lots")
    assert serve.main(serve.parse([])) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "closeknit serve: MAX_TEXT='lots' is not valid: expected a whole number of 0 or more\n"
    )


def test_env_example_lists_every_setting_with_its_default() -> None:
    text = (ROOT / ".env.example").read_text()
    assert text == env_example(), "regenerate: python -m server.settings > .env.example"
    parsed = dict(
        line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#")
    )
    assert list(parsed) == [env_name(f) for f in FIELDS]
    assert Settings.from_env(parsed) == Settings()  # the defaults, read back
