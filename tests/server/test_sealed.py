"""Sealed texts (issue 20): the server checks an envelope's shape and size, never its
contents, and in a sealed room refuses a typed text that is not one."""

from __future__ import annotations

import logging

import pytest
import redis.asyncio as aioredis

from decks.catalog import load_decks
from game import ActionFormatError
from game import ErrorCode as GameCode
from server.errors import ErrorCode, Refused
from server.http.app import open_store
from server.rooms.service import Service
from server.settings import Settings
from server.store.factory import from_url
from server.wire import seal
from tests.server.client import Client, create_room, resume, split_invite
from tests.server.party_helpers import create_party, join
from tests.support import sealing
from tests.support.servers import InProcessServer

DECKS = load_decks()
CANARY = "canary-velvet-heron"


def envelope(padded: int = 256, version: int = seal.VERSION) -> str:
    return sealing.envelope(padded, version)


def test_an_envelope_of_every_bucket_is_accepted() -> None:
    for bucket in seal.BUCKETS:
        assert len(seal.check(envelope(bucket), max_chars=2000)) == 29 + bucket


@pytest.mark.parametrize(
    "text",
    [
        CANARY,
        seal.PREFIX + "not base64!",
        envelope(version=2),
        envelope(padded=100),
        seal.PREFIX,
    ],
)
def test_plain_text_and_malformed_envelopes_are_refused(text: str) -> None:
    with pytest.raises(seal.EnvelopeError):
        seal.check(text, max_chars=2000)


def test_an_envelope_bigger_than_the_fields_bucket_is_refused() -> None:
    with pytest.raises(seal.EnvelopeError, match="too big"):
        seal.check(envelope(8192), max_chars=200)  # 200 characters fit 1,024 bytes


def test_padding_buckets_hold_the_text_and_its_marker() -> None:
    assert seal.bucket_for(63) == 64
    assert seal.bucket_for(64) == 256
    assert seal.max_padded(2000) == 8192


async def test_a_sealed_room_refuses_plain_text_and_keeps_only_envelopes(redis_url: str) -> None:
    store = from_url(redis_url)
    svc = Service(store, DECKS, Settings(sealed_texts=True))
    try:
        created = await svc.create_room("closer", name="Ana", language=None, light_mode=False)
        code = created.code
        await svc.join_invite(code, created.invite, "Bo")
        await svc.act(code, 0, "r0", "ready", {})
        await svc.act(code, 1, "r1", "ready", {})
        speaker = (await svc.load(code)).room.next_speaker  # type: ignore[union-attr]
        await svc.act(code, speaker, "d", "draw", {})
        room = (await svc.load(code)).room  # type: ignore[union-attr]
        # A shown card is taken up with "answer" first; a reveal card is then written
        # (its texts are write_reveal's), any other spoken (done_speaking's). The reveal
        # branch lacked the "answer" and failed whenever the deal opened with one.
        await svc.act(code, speaker, "a", "answer", {})
        if room.card() is not None and room.card().mode.value == "reveal":  # type: ignore[union-attr]
            name, seat = "write_reveal", speaker
        else:
            name, seat = "done_speaking", speaker
        with pytest.raises(Refused) as refused:
            await svc.act(code, seat, "t1", name, {"text": CANARY})
        assert refused.value.code is ErrorCode.NOT_SEALED
        with pytest.raises(ActionFormatError) as too_big:  # over the field's envelope size
            await svc.act(code, seat, "t2", name, {"text": envelope(8192 * 2)})
        assert too_big.value.code is GameCode.TEXT_TOO_LONG
        sealed = envelope(256)
        await svc.act(code, seat, "t3", name, {"text": sealed})
        raw = aioredis.from_url(redis_url)
        try:
            dump = b"".join(
                [bytes(await raw.dump(k) or b"") async for k in raw.scan_iter(match="ck:*")]
            )
        finally:
            await raw.aclose()
        assert CANARY.encode() not in dump
    finally:
        await store.close()


PUB = "B" + "x" * 86  # a public key in base64url; opaque to the server
WRAPPED = f"{'C' + 'y' * 86}.{'z' * 80}"  # "<creator pub>.<wrapped room key>"


async def test_a_knock_hands_the_creators_wrapped_key_to_the_knocker_and_forgets_it(
    server: InProcessServer,
) -> None:
    """Admission by typed code (issue 20): the server relays the knocker's public key
    (also to a creator who comes back later) and the key the creator's page wrapped,
    opaque; once the seat is claimed, neither is kept."""
    created = await create_room(server.url, name="Ana")
    code, _ = split_invite(created["invite_url"])
    b = await Client.connect(server.ws_url)
    hello = {"t": "hello", "v": "1.0", "room": code, "knock": True, "name": "Bo", "pub": PUB}
    assert (await b.request(hello))["t"] == "ack"
    a, welcome = await resume(server.ws_url, code, created["token"])  # back after the knock
    assert welcome["sealed"] is True
    knock = await a.next("knock")
    assert knock["pub"] == PUB
    bad = await a.request({"t": "admit", "request": knock["request"], "accept": True,
                           "key": "not a key!"})  # fmt: skip
    assert bad["code"] == "protocol/bad_field"
    reply = await a.request({"t": "admit", "request": knock["request"], "accept": True,
                             "key": WRAPPED})  # fmt: skip
    assert reply["t"] == "ack", reply
    admitted = await b.next("admitted")
    assert admitted["key"] == WRAPPED and admitted["sealed"] is True
    store = from_url(server.settings.redis_url or None) if server.settings.redis_url else None
    if store is not None:
        try:
            secrets = await store.secrets(code)
        finally:
            await store.close()
        assert not [k for k in secrets if k.startswith(("kpub:", "kkey:"))], secrets
    for c in (a, b):
        await c.close()


async def test_sealing_off_warns_at_start_and_makes_rooms_that_take_plain_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    for sealed in (True, False):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="closeknit.app"):
            await open_store(Settings(sealed_texts=sealed)).close()
        assert ("SEALED_TEXTS is off" in caplog.text) is not sealed
    async with InProcessServer(sealed_texts=False) as srv:
        created = await create_room(srv.url)
        code, _ = split_invite(created["invite_url"])
        a, welcome = await resume(srv.ws_url, code, created["token"])
        assert "sealed" not in welcome  # the client sends plain text
        await a.close()


X25519_PUB = "A" * 42 + "E"  # 32 bytes in base64url, the shape of an X25519 public key


async def test_a_party_table_is_sealed_and_relays_its_guests_public_keys_only(
    server: InProcessServer,
) -> None:
    """A party table (issue 20) is created sealed; a guest's ``kx`` reaches the other
    seat, as sent, and nothing else; a couple's room refuses ``kx``."""
    code = (await create_party(server.url))["code"]
    ana, ben = [await join(server.ws_url, code, n) for n in ("Ana", "Ben")]
    assert (await ana.act("make_pair_code"))["t"] == "ack"
    made = await ana.client.expect(
        lambda m: m.get("t") == "party" and m["view"]["you"]["pair_code"]
    )
    assert (await ben.act("enter_pair_code", code=made["view"]["you"]["pair_code"]))["t"] == "ack"
    for g in (ana, ben):
        state = await g.sit(server.ws_url)
        assert g.table is not None and g.table.last("welcome")["sealed"] is True, state
    assert ana.table is not None and ben.table is not None
    bad = await ana.table.request({"t": "kx", "pub": "short"})
    assert bad["code"] == "protocol/bad_field"
    assert (await ana.table.request({"t": "kx", "pub": X25519_PUB}))["t"] == "ack"
    kx = await ben.table.next("kx")
    assert kx == {"t": "kx", "seat": ana.seat, "pub": X25519_PUB, "answer": False}
    answer = {"t": "kx", "pub": "B" * 42 + "A", "answer": True}
    assert (await ben.table.request(answer))["t"] == "ack"
    assert (await ana.table.next("kx"))["answer"] is True
    created = await create_room(server.url, name="Ana")
    room, _ = split_invite(created["invite_url"])
    couple, _ = await resume(server.ws_url, room, created["token"])
    refused = await couple.request({"t": "kx", "pub": X25519_PUB})
    assert refused["t"] == "error" and refused["code"] == "protocol/bad_field"
    for c in (couple, ana.client, ben.client, ana.table, ben.table):
        await c.close()
