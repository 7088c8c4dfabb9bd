"""Web Push for daily spaces (server/daily/push.py). No push service is reachable from a
test machine, so each test starts a local one on 127.0.0.1 (tests/support/push_service.py)
and a real subscription keypair, and decrypts what arrived: the plaintext is exactly the
news payload (no card, no answer, no name), signed with the operator's VAPID key. A
subscription's endpoint must be https; plain http to this machine is allowed only by
the sender's own constructor flag, which these tests set and no client can."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest
from py_vapid import Vapid

from server.daily.push import (
    Delivery,
    PushSender,
    check_subscription,
    news_payload,
)
from server.errors import ErrorCode, Refused
from server.settings import SettingError, Settings
from tests.support.push_service import LocalPushService, Subscriber, VapidKeys, b64url

SUBJECT = "mailto:ops@example.org"
KEYS = VapidKeys.new()


def sender(timeout: float = 5.0) -> PushSender:
    return PushSender(KEYS.public, KEYS.private, SUBJECT, timeout=timeout,
                      allow_loopback_http=True)  # fmt: skip


def claims(authorization: str) -> dict[str, Any]:
    token = authorization.split("t=", 1)[1].split(",", 1)[0]
    part = token.split(".")[1]
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return data


@pytest.mark.parametrize(
    ("language", "body"),
    [("en", "Something new in Closeknit"), ("de", "Etwas Neues in Closeknit"),
     ("es", "Algo nuevo en Closeknit"), ("fr", "Something new in Closeknit")],
)  # fmt: skip
def test_the_news_payload_says_only_that_something_is_new(language: str, body: str) -> None:
    payload = news_payload(language)
    assert json.loads(payload) == {"t": "news", "title": "Closeknit", "body": body}
    assert payload == json.dumps(json.loads(payload), ensure_ascii=False,
                                 separators=(",", ":")).encode()  # fmt: skip


async def test_a_push_arrives_encrypted_for_the_subscription_and_signed_with_vapid() -> None:
    browser = Subscriber.new()
    async with LocalPushService() as service:
        delivery = await sender().send(browser.info(service.url("/push/v2/tok3n")), "de")
    assert delivery == Delivery(accepted=True, gone=False)
    (got,) = service.received
    assert got.path == "/push/v2/tok3n"
    assert got.headers["content-encoding"] == "aes128gcm" and int(got.headers["ttl"]) > 0
    plain = browser.decrypt(got.body)
    assert plain == news_payload("de")
    assert json.loads(plain) == {"t": "news", "title": "Closeknit",
                                 "body": "Etwas Neues in Closeknit"}  # fmt: skip
    assert b"Etwas" not in got.body  # what travels is the ciphertext only
    auth = got.headers["authorization"]
    assert auth.startswith("vapid t=") and f"k={KEYS.public}" in auth
    assert Vapid.verify(auth)  # signed by the operator's private key
    said = claims(auth)
    assert said["aud"] == f"http://127.0.0.1:{service.port}" and said["sub"] == SUBJECT


async def test_a_subscription_the_service_says_is_gone_is_reported_gone() -> None:
    browser = Subscriber.new()
    async with LocalPushService(statuses={"/gone": 410, "/unknown": 404}) as service:
        push = sender()
        assert await push.send(browser.info(service.url("/gone")), "en") == Delivery(False, True)
        assert await push(browser.info(service.url("/unknown")), "en") is True  # the hub's call
        assert await push(browser.info(service.url("/fine")), "en") is False
    assert len(service.received) == 3


async def test_a_failing_service_is_neither_accepted_nor_gone_and_nothing_is_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    browser = Subscriber.new()
    paths = ["/busy/s3cret-1", "/broken/s3cret-2", "/moved/s3cret-3", "/slow/s3cret-4"]
    async with LocalPushService(statuses={paths[0]: 429, paths[1]: 500},
                                redirects={paths[2]: "/elsewhere"},
                                hang={paths[3]}) as service:  # fmt: skip
        push = sender(timeout=0.5)
        with caplog.at_level(logging.INFO):
            for path in paths:
                sub = browser.info(service.url(path))
                assert await push.send(sub, "en") == Delivery(False, False), path
    # A redirect is not followed: the service got the four requests and no fifth.
    assert [r.path for r in service.received] == paths
    logged = caplog.text
    assert "127.0.0.1" in logged and "s3cret" not in logged
    assert browser.info("x")["keys"]["auth"] not in logged and KEYS.private not in logged


async def test_an_unreachable_service_is_a_failure_not_an_exception() -> None:
    async with LocalPushService() as service:
        closed = service.url("/x")
    assert await sender().send(Subscriber.new().info(closed), "en") == Delivery(False, False)


async def test_a_stored_subscription_this_sender_refuses_counts_as_gone() -> None:
    strict = PushSender(KEYS.public, KEYS.private, SUBJECT)  # no loopback http
    async with LocalPushService() as service:
        delivery = await strict.send(Subscriber.new().info(service.url("/s")), "en")
    assert delivery == Delivery(False, True) and not service.received


def good(endpoint: str = "https://push.example.org/wpush/v2/abc") -> dict[str, Any]:
    return Subscriber.new().info(endpoint)


def refused(sub: object, **flags: bool) -> None:
    with pytest.raises(Refused) as caught:
        check_subscription(sub, **flags)
    assert caught.value.code is ErrorCode.PUSH_INVALID


def test_a_browser_subscription_is_kept_without_its_other_members() -> None:
    sub = good()
    assert check_subscription(sub) == {"endpoint": sub["endpoint"], "keys": sub["keys"]}


@pytest.mark.parametrize(
    "endpoint",
    ["http://push.example.org/x", "http://127.0.0.1:9/x", "https://127.0.0.1/x",
     "https://10.0.0.7/x", "https://[::1]/x", "https://localhost/x", "ftp://push.example.org/",
     "https://user:pw@push.example.org/x", "https:///x", "https://push.example.org:99999/x",
     "https://push.example.org/" + "a" * 1000, "https://push.example.org/a b"],
)  # fmt: skip
def test_an_endpoint_that_is_not_an_https_push_service_is_refused(endpoint: str) -> None:
    refused(good(endpoint))


def test_plain_http_only_to_this_machine_and_only_by_the_senders_flag() -> None:
    assert check_subscription(good("http://127.0.0.1:8123/x"), allow_loopback_http=True)
    refused(good("http://127.0.0.1:8123/x"))
    refused(good("http://push.example.org/x"), allow_loopback_http=True)


@pytest.mark.parametrize(
    "change",
    [{"keys": {"auth": b64url(bytes(16))}},  # no p256dh
     {"keys": {"p256dh": b64url(b"\x04" + bytes(63)), "auth": b64url(bytes(16))}},  # 64 bytes
     {"keys": {"p256dh": b64url(b"\x02" + bytes(64)), "auth": b64url(bytes(16))}},  # not 0x04
     {"keys": {"p256dh": b64url(b"\x04" + bytes(64)), "auth": b64url(bytes(15))}},
     {"keys": {"p256dh": b64url(b"\x04" + bytes(64)), "auth": "!!!!" * 6}},
     {"keys": "none"}, {"endpoint": 7}, {"padding": "x" * 2000}],
)  # fmt: skip
def test_a_subscription_with_wrong_keys_or_too_large_is_refused(change: dict[str, Any]) -> None:
    refused({**good(), **change})


def test_something_that_is_not_a_subscription_is_refused() -> None:
    for thing in (None, "https://push.example.org/x", [good()], {"endpoint": "https://a.b/"}):
        refused(thing)


def test_a_sender_is_built_only_from_a_matching_vapid_pair() -> None:
    other = VapidKeys.new()
    with pytest.raises(SettingError, match="VAPID_PUBLIC_KEY is not the public key"):
        PushSender(other.public, KEYS.private, SUBJECT)
    with pytest.raises(SettingError, match="VAPID_PRIVATE_KEY is not valid: expected"):
        PushSender(KEYS.public, b64url(bytes(32)), SUBJECT)  # zero is no private key
    with pytest.raises(SettingError, match="VAPID_SUBJECT is not valid"):
        PushSender(KEYS.public, KEYS.private, "ops@example.org")
    assert PushSender.from_settings(Settings()) is None  # push off
    on = Settings(vapid_public_key=KEYS.public, vapid_private_key=KEYS.private,
                  vapid_subject=SUBJECT)  # fmt: skip
    built = PushSender.from_settings(on)
    assert built is not None and built.public_key == KEYS.public
    assert not built.allow_loopback_http
