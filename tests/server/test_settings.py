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
from tests.support.push_service import VapidKeys

ROOT = Path(__file__).resolve().parents[2]
FIELDS = dataclasses.fields(Settings)


# A VAPID trio (Web Push's settings come all three or none), its keys a real pair.
KEYS = VapidKeys.new()
PUBLIC, PRIVATE, SUBJECT = KEYS.public, KEYS.private, "mailto:ops@example.org"
TRIO = {"VAPID_PUBLIC_KEY": PUBLIC, "VAPID_PRIVATE_KEY": PRIVATE, "VAPID_SUBJECT": SUBJECT}


def companions(f: dataclasses.Field[Any]) -> dict[str, str]:
    """The settings that must come with ``f`` for it to be valid: the rest of its trio."""
    return {k: v for k, v in TRIO.items() if k != env_name(f)} if env_name(f) in TRIO else {}


def sample(f: dataclasses.Field[Any]) -> tuple[str, object]:
    """A value other than the default, as typed and as parsed."""
    if env_name(f) in TRIO:
        return TRIO[env_name(f)], TRIO[env_name(f)]
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
    others = companions(f)
    assert getattr(Settings.from_env({**others, env_name(f): raw}), f.name) == value
    options = [f"--{k.lower().replace('_', '-')}={v}" for k, v in others.items()]
    # "--name=value": a base64url key may start with "-" (one VAPID pair in 64 did, and
    # argparse took "--vapid-private-key -..." for two options)
    args = build_parser().parse_args(["serve", *options, f"{option_name(f)}={raw}"])
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
        ("DAILY_KEEP_DAYS", "0", "a number above 0 and at most 30"),
        ("DAILY_KEEP_DAYS", "30.5", "a number above 0 and at most 30"),
        ("DAILY_IDLE_DAYS", "366", "a number above 0 and at most 365"),
        ("DAILY_IDLE_DAYS", "-1", "a number above 0 and at most 365"),
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


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"VAPID_PUBLIC_KEY": PUBLIC}, "VAPID_PRIVATE_KEY and VAPID_SUBJECT missing"),
        ({"VAPID_PUBLIC_KEY": PUBLIC, "VAPID_PRIVATE_KEY": PRIVATE}, "VAPID_SUBJECT missing"),
        ({"VAPID_SUBJECT": SUBJECT}, "VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY missing"),
    ],
)
def test_a_half_set_vapid_trio_names_what_is_missing(given: dict[str, str], missing: str) -> None:
    with pytest.raises(SettingError) as caught:
        Settings.from_env(given)
    assert str(caught.value).startswith(missing), caught.value
    assert "Web Push needs all of VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("VAPID_PUBLIC_KEY", "A" * 87),  # 65 bytes, but not an uncompressed point (0x04)
        ("VAPID_PUBLIC_KEY", "B" * 40),
        ("VAPID_PUBLIC_KEY", "B" + "A" * 85 + "="),  # not base64url
        ("VAPID_PRIVATE_KEY", "x" * 44),
        ("VAPID_SUBJECT", "ops@example.org"),
        ("VAPID_SUBJECT", "mailto:"),
        ("VAPID_SUBJECT", "http://example.org"),
        ("VAPID_SUBJECT", "https://example.org/contact"),  # py_vapid takes no path
        ("VAPID_PRIVATE_KEY", "A" * 43),  # zero is no private key
        ("VAPID_PRIVATE_KEY", "_" * 43),  # nor is a number past the curve's order
    ],
)
def test_a_vapid_setting_of_the_wrong_form_is_named(name: str, raw: str) -> None:
    with pytest.raises(SettingError) as caught:
        Settings.from_env({**TRIO, name: raw})
    assert str(caught.value).startswith(f"{name} is not valid: expected"), caught.value
    assert raw not in str(caught.value) or name == "VAPID_SUBJECT"  # keys are never echoed


def test_vapid_keys_that_do_not_belong_together_are_refused() -> None:
    with pytest.raises(SettingError) as caught:
        Settings.from_env({**TRIO, "VAPID_PUBLIC_KEY": VapidKeys.new().public})
    assert str(caught.value) == "VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY"


def test_no_vapid_setting_is_push_off_and_all_three_is_push_on() -> None:
    assert not Settings().push_on and Settings.from_env(TRIO).push_on
    s = Settings.from_env({"VAPID_PUBLIC_KEY": PUBLIC}, vapid_private_key=PRIVATE,
                          vapid_subject=SUBJECT)  # fmt: skip
    assert s.push_on  # a trio may come from the environment and the options together


def test_serve_stops_on_a_half_set_vapid_trio_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VAPID_PUBLIC_KEY", PUBLIC)
    assert serve.main(serve.parse([])) == 2
    err = capsys.readouterr().err
    assert err.startswith("closeknit serve: VAPID_PRIVATE_KEY and VAPID_SUBJECT missing")
    assert err.count("\n") == 1 and PUBLIC not in err
