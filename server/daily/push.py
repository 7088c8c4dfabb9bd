"""Web Push for daily spaces (issue 22; docs/protocol.md, "Daily spaces"): a seat is told
"something new in Closeknit", never what.

- ``news_payload(language)``: the only plaintext ever pushed, pure.
- ``check_subscription(sub, allow_loopback_http=...)``: a browser's PushSubscription as
  it came off the wire, refused (``push/invalid``) unless its endpoint is an https web
  address (plain http only to this machine, and only when the sender was built so: a
  test's local endpoint, never something a client can ask for) and its keys are of the
  right size.
- ``PushSender``: encrypts (RFC 8291, aes128gcm) and signs (RFC 8292 VAPID) through
  pywebpush and py_vapid, off the event loop, then posts the message itself (aiohttp,
  pywebpush's own dependency) so that it follows no redirect and reads no answer body;
  bounded by a timeout; never raises into its caller; logs only the endpoint's host.
  ``await sender(sub, language)`` is the hub's ``Sender``: True when the push service
  said the subscription is gone (404, 410), so the caller forgets it.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import ipaddress
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import aiohttp
from py_vapid import Vapid
from pywebpush import WebPusher

from server import logs
from server.errors import ErrorCode, Refused
from server.settings import SettingError, Settings, check_vapid

log = logs.get("push")

TITLE: Final = "Closeknit"
NEWS: Final = {
    "en": "Something new in Closeknit",
    "de": "Etwas Neues in Closeknit",
    "es": "Algo nuevo en Closeknit",
}
SEND_TIMEOUT: Final = 10.0  # seconds for one push, encryption and answer included
PUSH_TTL: Final = 24 * 3600  # seconds a push service keeps it for an offline phone
VAPID_LIFE: Final = 12 * 3600  # seconds a VAPID signature is good for (RFC 8292: <= 24 h)
MAX_ENDPOINT: Final = 1000  # characters (the wire's own limit, server/wire/daily.py)
MAX_SUBSCRIPTION: Final = 1400  # characters of the whole subscription as JSON
ACCEPTED: Final = frozenset({200, 201, 202, 204})
GONE: Final = frozenset({404, 410})
LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})
B64URL: Final = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def news_payload(language: str) -> bytes:
    """The plaintext of every push: only that something is new, in ``language`` (English
    for a language without the words). No card, no answer, no name: ever."""
    body = NEWS.get(language, NEWS["en"])
    news = {"t": "news", "title": TITLE, "body": body}
    return json.dumps(news, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class Delivery:
    """What the push service said: ``accepted`` (2xx), ``gone`` (404/410: forget the
    subscription). Neither: it failed for now (no answer, refused, rate limited)."""

    accepted: bool
    gone: bool = False


def check_subscription(sub: object, *, allow_loopback_http: bool = False) -> dict[str, Any]:
    """``{"endpoint": ..., "keys": {"p256dh": ..., "auth": ...}}`` from a browser's
    ``PushSubscription.toJSON()`` (other members, like ``expirationTime``, dropped), or
    ``Refused(push/invalid)``. ``allow_loopback_http``: the sender's own flag."""
    if not isinstance(sub, Mapping):
        raise _invalid("not a subscription")
    try:
        size = len(json.dumps(sub))
    except (TypeError, ValueError, RecursionError):
        raise _invalid("not a subscription") from None
    if size > MAX_SUBSCRIPTION:
        raise _invalid("too large")
    endpoint, keys = sub.get("endpoint"), sub.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, Mapping):
        raise _invalid("an endpoint and keys are needed")
    _check_endpoint(endpoint, allow_loopback_http)
    p256dh = _key(keys.get("p256dh"), 65)
    if p256dh[:1] != b"\x04":
        raise _invalid("p256dh is not an uncompressed P-256 point")
    _key(keys.get("auth"), 16)
    return {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}


def _check_endpoint(endpoint: str, allow_loopback_http: bool) -> None:
    if len(endpoint) > MAX_ENDPOINT or not endpoint.isprintable() or " " in endpoint:
        raise _invalid("not a web address")
    try:
        parts = urlsplit(endpoint)
        host, _ = parts.hostname, parts.port  # a bad port raises here
    except ValueError:
        raise _invalid("not a web address") from None
    if not host or parts.username is not None or parts.password is not None:
        raise _invalid("not a web address")
    loopback = host in LOOPBACK_HOSTS
    if parts.scheme == "http" and loopback and allow_loopback_http:
        return
    if parts.scheme != "https":
        raise _invalid("the endpoint must be https")
    if _ip_literal(host) and not (loopback and allow_loopback_http):
        raise _invalid("a push service has a name, not an address")  # no internal targets


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost"
    return True


def _key(value: object, size: int) -> bytes:
    """A base64url key (padded or not) of exactly ``size`` bytes."""
    if not isinstance(value, str) or len(value) > 4 * size:
        raise _invalid("keys are base64url text")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise _invalid("keys are base64url text") from None
    if len(raw) != size or not B64URL.fullmatch(value):
        raise _invalid("a key has the wrong size")
    return raw


def _invalid(why: str) -> Refused:
    return Refused(ErrorCode.PUSH_INVALID, f"This is not a push subscription: {why}.")


class PushSender:
    """One per instance, built from the VAPID settings (``from_settings``)."""

    def __init__(
        self,
        public_key: str,
        private_key: str,
        subject: str,
        *,
        timeout: float = SEND_TIMEOUT,
        allow_loopback_http: bool = False,
    ) -> None:
        """Raises ``SettingError`` as the settings do (``check_vapid``: the keys must
        belong together, or every push service would refuse every push)."""
        check_vapid(public_key, private_key, subject)
        vapid = Vapid.from_raw(private_key.encode())
        try:  # py_vapid's own rule for the contact, should it ever be stricter than ours
            vapid.sign({"aud": "https://push.example", "sub": subject})
        except Exception:
            raise SettingError("VAPID_SUBJECT is not valid: py_vapid refuses it") from None
        self.public_key = public_key
        self._vapid = vapid
        self._subject = subject
        self.timeout = timeout
        self.allow_loopback_http = allow_loopback_http

    @classmethod
    def from_settings(cls, settings: Settings) -> PushSender | None:
        """None when the operator set no VAPID keys (push is off)."""
        if not settings.push_on:
            return None
        return cls(settings.vapid_public_key, settings.vapid_private_key, settings.vapid_subject)

    def check(self, sub: object) -> dict[str, Any]:
        """``check_subscription`` with this sender's rule for plain http."""
        return check_subscription(sub, allow_loopback_http=self.allow_loopback_http)

    async def __call__(self, sub: Mapping[str, Any], language: str) -> bool:
        """The hub's ``Sender``: True when the subscription is gone (forget it)."""
        return (await self.send(sub, language)).gone

    async def send(self, sub: Mapping[str, Any], language: str) -> Delivery:
        """Push the news to ``sub``. Never raises (but lets a cancellation through);
        a subscription this sender would not accept counts as gone."""
        try:
            checked = self.check(sub)
        except Refused:
            log.info("push: a stored subscription is not one; forgetting it")
            return Delivery(accepted=False, gone=True)
        endpoint = checked["endpoint"]
        host = urlsplit(endpoint).hostname
        try:
            async with asyncio.timeout(self.timeout):
                body, headers = await asyncio.to_thread(self._seal, checked, language)
                status = await self._post(endpoint, body, headers)
        except TimeoutError:
            log.info("push to %s: no answer within %gs", host, self.timeout)
            return Delivery(accepted=False)
        except Exception as exc:  # never the message: it may carry the endpoint or body
            log.info("push to %s failed: %s", host, type(exc).__name__)
            return Delivery(accepted=False)
        if status in ACCEPTED:
            return Delivery(accepted=True)
        log.info("push to %s answered %s", host, status)
        return Delivery(accepted=False, gone=status in GONE)

    def _seal(self, sub: dict[str, Any], language: str) -> tuple[bytes, dict[str, str]]:
        """The encrypted body and the headers (CPU work: run in a thread)."""
        encoded = WebPusher(sub).encode(news_payload(language), "aes128gcm")
        parts = urlsplit(sub["endpoint"])
        # The real time, not the service's clock: the push service checks ``exp`` by its own.
        claims = {"aud": f"{parts.scheme}://{parts.netloc}",
                  "exp": int(time.time()) + VAPID_LIFE, "sub": self._subject}  # fmt: skip
        headers = {"TTL": str(PUSH_TTL), "Content-Encoding": "aes128gcm", "Urgency": "normal"}
        headers.update(self._vapid.sign(claims))
        return bytes(encoded["body"]), headers

    async def _post(self, endpoint: str, body: bytes, headers: dict[str, str]) -> int:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(endpoint, data=body, headers=headers, allow_redirects=False) as answer,
        ):
            return answer.status
