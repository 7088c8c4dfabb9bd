"""Web Push from a daily space, end to end (issue 22): two server instances on one real
Redis, partners on different instances, a real subscription keypair. No push service is
reachable from here, so the test starts a local one on 127.0.0.1
(tests/support/push_service.py) and lets the servers' senders post to plain http on this
machine (the sender's constructor flag, set here on the running apps; no setting, header
or message can). What arrives is decrypted: the plaintext handed to the sender is only
the news, never the card, a name or an answer."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from server.daily.push import PushSender
from server.settings import Settings
from tests.server.daily_helpers import newest, partners
from tests.support.push_service import LocalPushService, Subscriber, VapidKeys
from tests.support.sealing import envelope_showing
from tests.support.servers import UNLIMITED, InProcessServer

pytestmark = pytest.mark.redis
# The create and join limits live in the shared test Redis: lifted, as every server the
# tests start has them (tests/support/servers.py), or later tests would find them spent.
SUBJECT = "mailto:ops@example.org"


def _loopback_sender(server: InProcessServer, keys: VapidKeys) -> None:
    app: Any = server.app
    while not hasattr(app, "state"):
        app = app.app
    hub = app.state.daily_hub
    assert isinstance(hub.sender, PushSender)  # the settings turned push on
    hub.sender = PushSender(keys.public, keys.private, SUBJECT, allow_loopback_http=True)


async def test_a_partners_answer_is_pushed_as_news_only_from_the_other_instance(
    redis_url: str,
) -> None:
    keys = VapidKeys.new()
    settings = Settings(redis_url=redis_url, vapid_public_key=keys.public,
                        vapid_private_key=keys.private, vapid_subject=SUBJECT,
                        **UNLIMITED)  # fmt: skip
    bo_phone = Subscriber.new()
    async with (
        InProcessServer(settings) as first,
        InProcessServer(settings) as second,
        LocalPushService() as service,
    ):
        for srv in (first, second):
            _loopback_sender(srv, keys)
        p = await partners(first.ws_url, second.ws_url, http_url=first.url)
        sub = bo_phone.info(service.url("/push/bo"))
        reply = await p.bo.request({"t": "push_subscribe", "subscription": sub})
        assert reply["t"] == "ack", reply
        card = newest(p.ana)["card"]
        secret = envelope_showing("AnaSecret")
        ack = await p.ana.act("answer", text=secret)  # on the first instance
        assert ack["t"] == "ack"
        for _ in range(100):
            if service.received:
                break
            await asyncio.sleep(0.05)
        assert [r.path for r in service.received] == ["/push/bo"]
        got = service.received[0]
        assert got.headers["authorization"].startswith("vapid t=")
        plain = bo_phone.decrypt(got.body)
        assert json.loads(plain) == {
            "t": "news",
            "title": "Closeknit",
            "body": "Etwas Neues in Closeknit",
        }  # Bo reads German
        for leak in (card["id"], card["text"], "Ana", "Bo", secret, "AnaSecret"):
            assert leak.encode() not in plain and leak.encode() not in got.body
        # unsubscribed: nothing more is sent
        assert (await p.bo.request({"t": "push_unsubscribe"}))["t"] == "ack"
        await p.bo.act("answer", text=envelope_showing("BoToo"))
        await p.ana.act("heart", day=card["day"])
        await asyncio.sleep(0.5)
        assert len(service.received) == 1


async def test_a_subscription_the_push_service_says_is_gone_is_forgotten(
    redis_url: str,
) -> None:
    keys = VapidKeys.new()
    settings = Settings(redis_url=redis_url, vapid_public_key=keys.public,
                        vapid_private_key=keys.private, vapid_subject=SUBJECT,
                        **UNLIMITED)  # fmt: skip
    phone = Subscriber.new()
    async with InProcessServer(settings) as srv, LocalPushService() as service:
        _loopback_sender(srv, keys)
        service.statuses["/gone"] = 410
        p = await partners(srv.ws_url, http_url=srv.url)
        await p.bo.request(
            {"t": "push_subscribe", "subscription": phone.info(service.url("/gone"))}
        )
        await p.ana.act("pass_day")
        for _ in range(100):
            state = await srv_state(srv, p.code)
            if state.push[1] is None:
                break
            await asyncio.sleep(0.05)
        assert len(service.received) == 1 and state.push[1] is None
        bad = await p.bo.request({"t": "push_subscribe", "subscription": {
            "endpoint": "https://10.0.0.1/x", "keys": sub_keys(phone)}})  # fmt: skip
        assert bad["t"] == "error" and bad["code"] == "push/invalid", bad


def sub_keys(phone: Subscriber) -> dict[str, str]:
    return phone.info("https://push.example/x")["keys"]  # type: ignore[no-any-return]


async def srv_state(srv: InProcessServer, code: str) -> Any:
    app: Any = srv.app
    while not hasattr(app, "state"):
        app = app.app
    loaded = await app.state.daily.load(code)
    return loaded[1]
