"""Sealed answers in play (issue 20): a couple joined by invite link types answers,
reflections and reveal texts; both phones show them in clear, while Redis (every key,
read raw), every pub/sub message between instances and every WebSocket frame either
phone sent or received hold only envelopes. A reload keeps reading; a device whose key
is gone shows that the text is sealed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from server import keys
from tests.browser.conftest import Phones
from tests.browser.flows import (
    check,
    create_room,
    draw_until,
    join_by_link,
    share_key,
    speak_half,
    start_game,
)
from tests.browser.phone import Phone
from tests.support.redis import RedisServer

CANARY = "zq7canary"
SEALED_WORDS = "This answer is sealed for your partner's devices."


class Wiretap:
    """Every message published on the Redis the server uses, raw. It subscribes to the
    instances' bus by name too: an instance publishes its commits (room blobs included)
    only when another subscriber listens, as a second instance would."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.pubsub = self.client.pubsub()
        self.pubsub.psubscribe("*")
        self.pubsub.subscribe(keys.BUS)
        self.messages: list[bytes] = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.stopping = threading.Event()
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.is_set():
            msg = self.pubsub.get_message(timeout=0.1)
            if msg and msg["type"] == "pmessage":  # (the bus's also come as "message")
                self.messages.append(bytes(msg["data"]))

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.pubsub.close()

    def everything_stored(self) -> bytes:
        """Every key and value in the store, read by type (not DUMP: it may compress)."""
        out: list[bytes] = []
        for key in self.client.scan_iter(match="*"):
            kind = self.client.type(key).decode()
            out.append(key)
            if kind == "string":
                out.append(self.client.get(key) or b"")
            elif kind == "hash":
                for k, v in self.client.hgetall(key).items():
                    out += [k, v]
            elif kind == "list":
                out += self.client.lrange(key, 0, -1)
            elif kind == "set":
                out += list(self.client.smembers(key))
            elif kind == "zset":
                out += [m for m, _ in self.client.zrange(key, 0, -1, withscores=True)]
            elif kind == "stream":
                for _, fields in self.client.xrange(key):
                    for k, v in fields.items():
                        out += [k, v]
            else:
                raise AssertionError(f"a key of a type this test does not read: {kind}")
        return b"\n".join(out)


@pytest.fixture
def wiretap(browser_redis: RedisServer) -> Iterator[Wiretap]:
    tap = Wiretap(browser_redis.url)
    yield tap
    tap.stop()


def record_frames(phone: Phone) -> list[bytes]:
    frames: list[bytes] = []

    def on_socket(ws: Any) -> None:
        def keep(payload: str | bytes) -> None:
            frames.append(payload.encode() if isinstance(payload, str) else payload)

        ws.on("framesent", keep)
        ws.on("framereceived", keep)

    phone.page.on("websocket", on_socket)
    return frames


def test_a_couple_by_invite_link_reads_sealed_texts_that_the_server_never_holds(
    phones: Phones, wiretap: Wiretap
) -> None:
    ana, bo = phones.open("sealed-ana"), phones.open("sealed-bo")
    ana_frames, bo_frames = record_frames(ana), record_frames(bo)
    link = create_room(ana)
    assert "&key=" in link  # the room key rides in the fragment, beside the invite
    join_by_link(bo, link)
    assert "key=" not in bo.page.evaluate("location.href")  # taken out of the address
    start_game(ana, bo)

    # A both card: each answers in turn, the other reflects, all typed.
    speaker, listener, _ = draw_until(ana, bo, lambda c: c["both"] or c["mode"] == "both")
    speaker.act("answer")
    check(ana, bo)
    speak_half(speaker, listener, answer=f"{CANARY} first answer",
               reflection=f"{CANARY} first reflection")  # fmt: skip
    listener.wait('v.phase === "speaking" && v.role === "speaker"')
    speak_half(listener, speaker, answer=f"{CANARY} second answer",
               reflection=f"{CANARY} second reflection")  # fmt: skip
    speaker.wait('v.phase === "between"')

    # A reveal card: both write, both read both once both are in.
    speaker, _, _ = draw_until(ana, bo, lambda c: c["mode"] == "reveal")
    speaker.act("answer")
    check(ana, bo)
    ana.wait('v.phase === "writing"')
    ana.type_into("text-reveal", f"{CANARY} Ana reveals")
    ana.act("write_reveal")
    check(ana, bo)
    assert f"{CANARY} Ana reveals" not in bo.text()
    bo.type_into("text-reveal", f"{CANARY} Bo reveals")
    bo.act("write_reveal")
    check(ana, bo)
    for p in (ana, bo):
        p.wait("v.revealed !== null")
        assert f"{CANARY} Ana reveals" in p.text() and f"{CANARY} Bo reveals" in p.text()
    ana.shot("sealed-revealed")

    # A reload keeps reading: the key is kept beside the seat.
    bo.reload()
    bo.wait("v.revealed !== null")
    assert f"{CANARY} Ana reveals" in bo.text()

    # A device without the key (its site data for the key cleared) shows it is sealed.
    bo.page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('closeknit:key:'))"
                     ".forEach((k) => localStorage.removeItem(k))")  # fmt: skip
    bo.reload()
    bo.wait("v.revealed !== null")
    assert CANARY not in bo.text() and SEALED_WORDS in bo.text()
    bo.shot("sealed-no-key")
    share_key(ana, bo)  # the partner re-shares it (Menu -> Invite): it reads again
    bo.wait("v.revealed !== null")
    assert f"{CANARY} Ana reveals" in bo.text() and SEALED_WORDS not in bo.text()
    assert not ana.errors and not bo.errors, ana.errors + bo.errors

    stored = wiretap.everything_stored()
    assert b"ck1." in stored  # the texts are there, sealed ...
    assert CANARY.encode() not in stored  # ... and nowhere in clear
    commits = [m for m in wiretap.messages if m[8:9] == b"c"]  # <tag>c<room>\0...
    assert commits and any(b"ck1." in m for m in commits)
    assert not [m for m in wiretap.messages if CANARY.encode() in m]
    assert ana_frames and bo_frames
    for frame in ana_frames + bo_frames:  # sent and received, both phones
        assert CANARY.encode() not in frame


def knock_and_admit(ana: Phone, bo: Phone) -> None:
    create_room(ana)
    code = ana.page.inner_text('[data-ui="room-code"]')
    bo.goto("/")
    bo.page.wait_for_selector('[data-ui="knock"]')
    bo.page.fill("#join-code", code)
    bo.page.fill("#join-name", "Bo")
    bo.page.click('[data-ui="knock"]')
    ana.page.wait_for_selector('[role="alertdialog"]')


def reveal_both(ana: Phone, bo: Phone, words: tuple[str, str]) -> None:
    speaker, _, _ = draw_until(ana, bo, lambda c: c["mode"] == "reveal")
    speaker.act("answer")
    check(ana, bo)
    for phone, text in zip((ana, bo), words, strict=True):
        phone.wait('v.phase === "writing"')
        phone.type_into("text-reveal", text)
        phone.act("write_reveal")
    for p in (ana, bo):
        p.wait("v.revealed !== null")
        assert all(w in p.text() for w in words), p.label


def test_a_couple_by_typed_code_compares_safety_codes_and_reads_sealed_texts(
    phones: Phones, wiretap: Wiretap
) -> None:
    """The knock carries an ephemeral ECDH key; the creator's page wraps the room key for
    it; both phones show the same safety code."""
    ana, bo = phones.open("ecdh-ana"), phones.open("ecdh-bo")
    frames = record_frames(ana)
    knock_and_admit(ana, bo)
    ana.page.wait_for_selector('[data-ui="knock-code"]')
    offered = ana.page.inner_text('[data-ui="knock-code"]')
    ana.page.click('[data-ui="admit"]')
    bo.wait_screen("lobby")
    codes = [p.page.inner_text('[data-ui="safety-code"]') for p in (ana, bo)]
    assert codes[0] == codes[1] and codes[0] in offered, (codes, offered)
    assert len(codes[0].replace(" ", "")) == 6
    assert not bo.page.locator('[data-ui="no-key"]').count()
    bo.shot("sealed-safety-code")
    start_game(ana, bo)
    reveal_both(ana, bo, (f"{CANARY} Ana by code", f"{CANARY} Bo by code"))
    assert CANARY.encode() not in wiretap.everything_stored()
    assert not [m for m in wiretap.messages if CANARY.encode() in m]
    assert not [f for f in frames if CANARY.encode() in f]


NO_SUBTLE = "Object.defineProperty(window.crypto, 'subtle', {value: undefined});"


def test_a_phone_without_webcrypto_let_in_by_code_compares_codes_and_reads(
    phones: Phones, wiretap: Wiretap
) -> None:
    """A page without crypto.subtle, as on a plain-http LAN address, knocks with an
    X25519 key of @noble/curves; the creator's page (WebCrypto's X25519) wraps the room
    key for it: the same safety code on both phones, and it reads and seals (noble)."""
    ana, bo = phones.open("code-ana"), phones.open("code-bo")
    bo.context.add_init_script(NO_SUBTLE)
    bo_frames = record_frames(bo)
    knock_and_admit(ana, bo)
    ana.page.wait_for_selector('[data-ui="knock-code"]')
    offered = ana.page.inner_text('[data-ui="knock-code"]')
    ana.page.click('[data-ui="admit"]')
    bo.wait_screen("lobby")
    bo.page.wait_for_selector('[data-ui="safety-code"]')
    codes = [p.page.inner_text('[data-ui="safety-code"]') for p in (ana, bo)]
    assert codes[0] == codes[1] and codes[0] in offered, (codes, offered)
    assert not bo.page.locator('[data-ui="no-key"]').count()
    assert bo.page.evaluate("window.crypto.subtle") is None  # noble did it all
    start_game(ana, bo)
    reveal_both(ana, bo, (f"{CANARY} Ana on https", f"{CANARY} Bo on plain http"))
    assert not ana.errors and not bo.errors, ana.errors + bo.errors
    assert CANARY.encode() not in wiretap.everything_stored()
    assert not [m for m in wiretap.messages if CANARY.encode() in m]
    assert not [f for f in bo_frames if CANARY.encode() in f]
