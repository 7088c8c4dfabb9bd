"""Every server setting, defined once: a field of ``Settings`` is its environment
variable (the name in capitals), its ``closeknit serve`` option (``--the-name``), its
line in ``.env.example`` and its help text. Adding a setting is adding a field here.

A value that does not parse raises ``SettingError``, whose message names the variable
(or the option) and the accepted form: never a bare ``int()`` error."""

from __future__ import annotations

import argparse
import base64
import functools
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields
from typing import Any, get_origin, get_type_hints

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off", "")


def setting(
    default: Any, help: str = "", choices: tuple[str, ...] = (), most: float | None = None
) -> Any:
    """A field with its help text (and, for a word, the words it accepts; for a number
    with a ``most``, it must be above 0 and at most that)."""
    return field(default=default, metadata={"help": help, "choices": choices, "most": most})


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = setting("127.0.0.1", "address to listen on (0.0.0.0: every network)")
    port: int = setting(8000, "port to listen on")
    redis_url: str = setting("", "Redis URL; empty: rooms live in this process only")
    decks_dir: str = setting("", "folder of extra deck files to offer")
    log_level: str = setting("info", "logging level", ("debug", "info", "warning", "error"))
    log_format: str = setting("plain", "plain text, or a JSON object a line", ("plain", "json"))
    public_url: str = setting("", "public address, with any path prefix; empty: each request's")
    allowed_origins: tuple[str, ...] = setting((), "other page origins allowed ('*': any)")
    allowed_hosts: tuple[str, ...] = setting((), "Host headers served besides PUBLIC_URL's host")
    trusted_proxies: tuple[str, ...] = setting((), "proxies whose X-Forwarded-For is believed")
    client_dir: str = setting("web-client/dist", "folder of the built web client")
    metrics_port: int = setting(0, "port of the /metrics listener (0: none)")
    metrics_token: str = setting("", "bearer token for /metrics on the public port (empty: off)")
    # lifetimes (seconds)
    room_ttl: float = setting(12 * 3600, "seconds an idle room is kept")
    ended_room_ttl: float = setting(600, "seconds an ended room is kept")
    token_grace: float = setting(60, "seconds a replaced seat token still works")
    knock_timeout: float = setting(120, "seconds a knock waits to be let in")
    hello_timeout: float = setting(10, "seconds a new socket has to say hello")
    handshake_timeout: float = setting(10, "seconds a request head (a handshake too) may take")
    presence_ttl: float = setting(90, "seconds a silent partner still counts as here")
    reply_deadline: float = setting(
        2, "seconds within which a message needing the store is answered"
    )
    # limits
    max_frame: int = setting(16 * 1024, "largest WebSocket frame, in bytes")
    max_text: int = setting(2000, "longest typed answer, in characters")
    max_name: int = setting(40, "longest name, in characters")
    sealed_texts: bool = setting(
        True, "new rooms take sealed texts only (off: debugging only; docs/security.md)"
    )
    msg_rate: float = setting(20, "messages per second per connection, sustained ...")
    msg_burst: int = setting(40, "... with this burst")
    flood_strikes: int = setting(20, "rate-limited messages in a row before closing")
    create_rate: float = setting(10 / 60, "room creations per second per address ...")
    create_burst: int = setting(20, "... with this burst")
    join_fail_rate: float = setting(10 / 60, "failed joins per second per address ...")
    join_fail_burst: int = setting(10, "... with this burst")
    upload_rate: float = setting(2 / 60, "couple's deck uploads per second per address ...")
    upload_burst: int = setting(10, "... with this burst")
    send_queue: int = setting(64, "frames waiting for a slow client before it is dropped")
    commit_retries: int = setting(8, "retries of a commit after a concurrent change")
    shutdown_grace: float = setting(5, "seconds to finish in-flight actions on SIGTERM")
    ws_direct: bool = setting(
        True, "serve the sockets without the ASGI round trip (server/http/direct.py)"
    )
    # daily spaces (issue 22)
    daily_keep_days: float = setting(7, "days a daily space shows revealed answers", most=30)
    daily_idle_days: float = setting(
        30, "days a daily space is kept after its last answer or pass", most=365
    )
    vapid_public_key: str = setting(
        "", "Web Push: VAPID public key, base64url (all three VAPID_ or none: off)"
    )
    vapid_private_key: str = setting("", "Web Push: VAPID private key, base64url (32 bytes)")
    vapid_subject: str = setting("", "Web Push: the operator's mailto: or https: address")

    def __post_init__(self) -> None:
        check_vapid(self.vapid_public_key, self.vapid_private_key, self.vapid_subject)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``env`` (the process environment by default); ``overrides``
        (already typed, e.g. from options) win, except those that are None."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(env_name(f))
            if raw is not None:
                values[f.name] = parse(f, raw, env_name(f))
        # Checked together (``__post_init__``): a VAPID key may come from each side.
        return cls(**(values | {k: v for k, v in overrides.items() if v is not None}))

    @property
    def memory_store(self) -> bool:
        return not self.redis_url

    @property
    def push_on(self) -> bool:
        """Web Push is offered: the operator set the VAPID keys (all three, checked)."""
        return bool(self.vapid_public_key)


class SettingError(ValueError):
    """A setting's value does not parse; the message names where it came from."""


def env_name(f: Field[Any]) -> str:
    return f.name.upper()


def option_name(f: Field[Any]) -> str:
    return "--" + f.name.replace("_", "-")


def kind(f: Field[Any]) -> type:
    """The setting's type, from its annotation (``12 * 3600`` is an int, the field a
    float: the default's own type would refuse ``ROOM_TTL=1.5``)."""
    hint = _hints()[f.name]
    return tuple if get_origin(hint) is tuple else hint


@functools.cache
def _hints() -> dict[str, Any]:
    return get_type_hints(Settings)


FORMS = {bool: "true or false", int: "a whole number of 0 or more",
         float: "a number of 0 or more", tuple: "a comma-separated list"}  # fmt: skip


def accepted(f: Field[Any]) -> str:
    """The accepted form, in words, for error messages and help."""
    if f.metadata.get("choices"):
        return "one of " + ", ".join(f.metadata["choices"])
    if f.metadata.get("most"):
        return f"a number above 0 and at most {f.metadata['most']:g}"
    return FORMS.get(kind(f), "text")


def parse(f: Field[Any], raw: str, source: str) -> Any:
    """The typed value of ``raw`` for field ``f``; ``source`` names it in errors."""
    try:
        value = _convert(kind(f), raw.strip(), f.metadata.get("choices") or ())
        most = f.metadata.get("most")
        if most and not (isinstance(value, int | float) and 0 < value <= most):
            raise ValueError(raw)
    except ValueError:
        shown = raw if len(raw) <= 40 else raw[:40] + "..."
        raise SettingError(f"{source}={shown!r} is not valid: expected {accepted(f)}") from None
    return value


def _convert(want: type, raw: str, choices: tuple[str, ...]) -> object:
    if choices:
        if raw.lower() not in choices:
            raise ValueError(raw)
        return raw.lower()
    if want is bool:
        if raw.lower() not in TRUE + FALSE:
            raise ValueError(raw)
        return raw.lower() in TRUE
    if want is int or want is float:
        number = want(raw)
        if not number >= 0:  # also refuses nan
            raise ValueError(raw)
        return number
    if want is tuple:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


VAPID = ("VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY", "VAPID_SUBJECT")


def check_vapid(public: str, private: str, subject: str) -> None:
    """Web Push's three settings: all or none, each of its form (RFC 8292: an uncompressed
    P-256 point, the P-256 private key it belongs to, a contact). Raises ``SettingError``
    naming what is missing or wrong, never echoing a key."""
    given = dict(zip(VAPID, (public, private, subject), strict=True))
    missing = [name for name, value in given.items() if not value]
    if len(missing) == len(VAPID):
        return
    if missing:
        raise SettingError(
            f"{' and '.join(missing)} missing: Web Push needs all of {', '.join(VAPID)} (or none)"
        )
    if _b64url_length(public) != 65 or not public.startswith("B"):  # 0x04, uncompressed
        raise SettingError("VAPID_PUBLIC_KEY is not valid: expected a P-256 public key, base64url")
    if _b64url_length(private) != 32:
        raise SettingError("VAPID_PRIVATE_KEY is not valid: expected 32 bytes, base64url")
    if not CONTACT.fullmatch(subject):
        raise SettingError(
            "VAPID_SUBJECT is not valid: expected mailto:you@example.org or https://example.org"
        )
    derived = vapid_public_of(private)
    if derived is None:
        raise SettingError("VAPID_PRIVATE_KEY is not valid: expected a P-256 private key")
    if derived != public:
        raise SettingError("VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY")


# py_vapid's rule for the contact, less its corners: an address, or a site without a path.
CONTACT = re.compile(r"mailto:[^@\s]+@[\w-]+(\.[\w-]+)+|https://[\w-]+(\.[\w-]+)+", re.ASCII)


def vapid_public_of(private: str) -> str | None:
    """The public key (base64url, uncompressed point) of a P-256 private key given as
    base64url, or None when it is not one (zero, or not below the curve's order)."""
    # Imported here: only a server with VAPID keys needs cryptography at start-up.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    raw = base64.urlsafe_b64decode(private + "=" * (-len(private) % 4))
    try:
        key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError:
        return None
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def _b64url_length(text: str) -> int:
    """The length of ``text`` decoded as unpadded base64url, or -1 when it is not that."""
    if not text or set(text) - _B64URL or len(text) % 4 == 1:
        return -1
    return len(text) * 3 // 4


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def add_options(parser: argparse.ArgumentParser) -> None:
    """One option per setting; its default is None so the environment decides unless
    the option is given. argparse reports a bad value with the option's name."""
    for f in fields(Settings):
        parser.add_argument(
            option_name(f),
            dest=f.name,
            type=_option_type(f),
            metavar=env_name(f),
            help=f"{f.metadata.get('help', '')} [{accepted(f)}; default {_shown(f.default)}]",
        )


def _option_type(f: Field[Any]) -> Callable[[str], Any]:
    def convert(raw: str) -> Any:
        try:
            return parse(f, raw, option_name(f))
        except SettingError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = accepted(f)
    return convert


def from_options(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> Settings:
    """The environment's settings, overridden by the options that were given."""
    given = {f.name: getattr(args, f.name, None) for f in fields(Settings)}
    return Settings.from_env(env, **given)


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(value) or "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value) if value != "" else "empty"


def env_example() -> str:
    """The text of ``.env.example``: every setting with its default and help."""
    lines = [
        "# Closeknit's settings, each with its default. Every one is also a",
        "# `closeknit serve` option (PORT is --port). Copy it to .env for docker-compose.",
        "# Generated: python -m server.settings > .env.example",
    ]
    for f in fields(Settings):
        value = f.default
        text = ",".join(value) if isinstance(value, tuple) else str(value)
        form = "" if accepted(f) == "text" else f" ({accepted(f)})"
        lines += ["", f"# {f.metadata.get('help', '')}{form}", f"{env_name(f)}={text}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m server.settings > .env.example
    print(env_example(), end="")
