"""A catalogue of bad inputs: each gets its expected reply (exactly one), the room's
state does not change, the partner hears nothing, and the server keeps serving."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

import msgpack
import pytest

from server.wire import seal
from tests.server.client import JSON, MSGPACK, Client, Pair, hello_invite, hello_resume, pair
from tests.support.servers import InProcessServer

SEALED = seal.max_chars_for(2000)  # the longest envelope string of a default field


@dataclass(frozen=True)
class Bad:
    name: str
    frame: bytes | str | dict[str, object]
    code: str  # the error code of the one reply
    sender: str = "a"  # "a": seat 0's socket, "b": seat 1's, "fresh": a socket without hello
    sub: str = JSON
    close: int | None = None  # the socket is then closed with this code


def act(a: str, **fields: object) -> dict[str, object]:
    return {"t": "act", "id": "bad", "a": a, **fields}


CATALOGUE = [
    # frames
    Bad("text that is not JSON", "hello?", "protocol/bad_encoding"),
    Bad("binary frame on the JSON subprotocol", b"\x80", "protocol/bad_encoding"),
    Bad("text frame on the msgpack subprotocol", '{"t":"ping"}', "protocol/bad_encoding",
        "fresh", MSGPACK),
    Bad("malformed msgpack", b"\xc1\xc1", "protocol/bad_encoding", "fresh", MSGPACK),
    Bad("truncated msgpack", msgpack.packb({"t": "ping", "id": 1})[:-1],
        "protocol/bad_encoding", "fresh", MSGPACK),
    Bad("a JSON array", "[1,2,3]", "protocol/not_a_map"),
    Bad("a bare number", "42", "protocol/not_a_map"),
    Bad("no type", {"id": "bad"}, "protocol/unknown_type"),
    Bad("an unknown type", {"t": "shout", "id": "bad"}, "protocol/unknown_type"),
    Bad("no id", {"t": "ping"}, "protocol/bad_field"),
    Bad("an id that is a list", {"t": "ping", "id": [1]}, "protocol/bad_field"),
    Bad("an unexpected field", {"t": "ping", "id": "bad", "seat": 1}, "protocol/bad_field"),
    Bad("deep nesting", act("ready", x=[[[[["deep"]]]]]), "protocol/too_deep"),
    Bad("a huge integer", act("step_back", level=2**60), "protocol/number_too_big"),
    Bad("a 5000-digit number", '{"t":"act","id":"bad","a":"ready","n":1' + "0" * 5000 + "}",
        "protocol/number_too_big"),
    Bad("NaN", '{"t":"act","id":"bad","a":"ready","n":NaN}', "protocol/number_too_big"),
    Bad("msgpack bytes value", msgpack.packb(act("set_name", value=b"Ana")),
        "protocol/bad_field", "fresh", MSGPACK),
    # payloads and fields
    Bad("an unknown action", act("win_the_game"), "action/unknown"),
    Bad("a mistyped action field", act("step_back", level="zero"), "action/invalid"),
    Bad("a missing action field", act("mark_boundary"), "action/invalid"),
    Bad("an unexpected action field", act("ready", seat=1), "action/invalid"),
    Bad("a name with a control character", act("set_name", value="A\u0007na"), "name/invalid"),
    Bad("a name over 40 characters", act("set_name", value="n" * 41), "name/invalid"),
    Bad("an empty name", act("set_name", value="   "), "name/invalid"),
    # Rooms are sealed by default (issue 20): a typed text is an envelope, so "too long"
    # is an envelope over the largest a 2,000-character field needs.
    Bad("text over the sealed field's size", act("done_speaking", text="t" * (SEALED + 1)),
        "text/too_long"),
    Bad("plain text in a sealed room", act("done_speaking", text="hello"), "text/not_sealed"),
    Bad("text with a lone surrogate", '{"t":"act","id":"bad","a":"done_speaking",'
        '"text":"a\\ud800b"}', "text/invalid"),
    Bad("text with a control character", act("done_speaking", text="a\u0000b"), "text/invalid"),
    Bad("an action not legal now", act("draw"), "game/not_started"),
    Bad("a boolean field given as text", act("set_light_mode", on="yes"), "action/invalid"),
    Bad("typing without a flag", {"t": "typing", "id": "bad", "on": "yes"}, "protocol/bad_field"),
    Bad("admit by the invited seat", {"t": "admit", "id": "bad", "request": "k1",
                                      "accept": True}, "admit/not_creator", "b"),
    Bad("admit of no knock", {"t": "admit", "id": "bad", "request": "k1", "accept": True},
        "admit/unknown_request"),
    Bad("a second hello on a seated socket", {**hello_resume("X", "t"), "id": "bad"},
        "protocol/already_joined"),
    # seats and tokens
    Bad("an action before hello", act("ready"), "protocol/hello_first", "fresh"),
    Bad("typing before hello", {"t": "typing", "id": "bad", "on": True},
        "protocol/hello_first", "fresh"),
    Bad("a wrong token", {**hello_resume("{room}", "AAAAAAAAAAAAAAAAAAAAAA"), "id": "bad"},
        "join/failed", "fresh"),
    Bad("an unknown room", {**hello_resume("ZZZZZZ", "{token}"), "id": "bad"},
        "join/failed", "fresh"),
    Bad("a wrong invite", {**hello_invite("{room}", "AAAAAAAAAAAAAAAAAAAAAA"), "id": "bad"},
        "join/failed", "fresh"),
    Bad("a valid invite for a taken seat", {**hello_invite("{room}", "{invite}"), "id": "bad"},
        "join/seat_taken", "fresh"),
    Bad("a token in the wrong field", {**hello_invite("{room}", "{token}"), "id": "bad"},
        "join/failed", "fresh"),
    Bad("hello with token and invite", {**hello_resume("{room}", "{token}"),
                                        "invite": "x", "id": "bad"}, "protocol/bad_field",
        "fresh"),
    Bad("a knock with a 41-character name", {"t": "hello", "id": "bad", "v": "1.0",
                                             "room": "{room}", "knock": True, "name": "x" * 41},
        "protocol/bad_field", "fresh"),
    Bad("a room code with braces", {**hello_resume("{{x}}", "t"), "id": "bad"},
        "protocol/bad_field", "fresh"),
    Bad("another protocol major", {**hello_resume("{room}", "{token}"), "v": "2.0", "id": "bad"},
        "protocol/version", "fresh", close=4000),
]  # fmt: skip


def fill(frame: bytes | str | dict[str, object], p: Pair) -> bytes | str | dict[str, object]:
    if not isinstance(frame, dict):
        return frame
    text = json.dumps(frame)
    for key, value in (("{room}", p.code), ("{token}", p.a.token), ("{invite}", p.invite)):
        text = text.replace(key, value)
    return dict(json.loads(text))


def test_the_catalogue_holds_at_least_30_distinct_cases() -> None:
    assert len({b.name for b in CATALOGUE}) == len(CATALOGUE) >= 30


async def send(client: Client, frame: bytes | str | dict[str, object]) -> None:
    if isinstance(frame, dict):
        await client.send(frame)
    else:
        await client.send_raw(frame)


@pytest.mark.parametrize("sub", [JSON, MSGPACK])
async def test_each_bad_input_gets_its_reply_and_changes_nothing(
    server: InProcessServer, sub: str
) -> None:
    """Maps are sent in either subprotocol; raw frames only in the one they were made for."""
    p = await pair(server.url, server.ws_url, subprotocol=sub)
    await asyncio.sleep(0.1)
    marks = {"a": len(p.a.client.messages), "b": len(p.b.client.messages)}
    failures = []
    for bad in CATALOGUE:
        native = sub if isinstance(bad.frame, dict) else bad.sub
        if bad.sender != "fresh" and native != sub:
            continue
        if bad.sender == "fresh":
            client = await Client.connect(server.ws_url, native)
        else:
            client = p.a.client if bad.sender == "a" else p.b.client
        start = len(client.messages)
        await send(client, fill(bad.frame, p))
        reply = await client.expect(lambda m: m.get("t") in ("error", "ack", "welcome"))
        if reply.get("code") != bad.code:
            failures.append((bad.name, reply))
        if bad.close is not None and await client.close_code() != bad.close:
            failures.append((bad.name, "close", client.closed.result()))
        await asyncio.sleep(0.02)
        replies = [m for m in client.messages[start:] if m.get("t") in ("error", "ack")]
        if len(replies) != 1:
            failures.append((bad.name, "replies", replies))
        if bad.sender == "fresh":
            await client.close()
    assert not failures
    # nothing changed, nobody was told anything, and both still play
    await asyncio.sleep(0.1)
    for key, seat in (("a", p.a), ("b", p.b)):
        heard = seat.client.messages[marks[key] :]
        assert all(m["t"] == "error" for m in heard), (key, heard)
    ping = await p.a.client.request({"t": "ping"})
    assert ping["version"] == p.version
    ack = await p.a.client.act("ready")
    assert ack["version"] == p.version + 1


async def test_an_oversized_frame_closes_with_1009(memory_server: InProcessServer) -> None:
    client = await Client.connect(memory_server.ws_url)
    await client.send_raw(json.dumps({"t": "ping", "id": 1, "pad": "x" * 17_000}))
    assert await client.close_code() == 1009


async def test_sustained_flooding_is_rate_limited_then_closed_with_1008() -> None:
    async with InProcessServer(msg_rate=1, msg_burst=3, flood_strikes=5) as srv:
        client = await Client.connect(srv.ws_url)
        for i in range(12):
            await client.send({"t": "ping", "id": i})
        assert await client.close_code() == 1008
        codes = [m.get("code") for m in client.messages]
        assert codes.count("limit/rate_limited") == 5
        assert len([m for m in client.messages if m["t"] == "ack"]) == 3


async def test_failed_joins_are_rate_limited_per_address() -> None:
    async with InProcessServer(join_fail_rate=0.001, join_fail_burst=3) as srv:
        client = await Client.connect(srv.ws_url)
        codes = []
        for _ in range(5):
            reply = await client.request(hello_resume("ZZZZZZ", "AAAAAAAAAAAAAAAAAAAAAA"))
            codes.append(reply["code"])
        assert codes == ["join/failed"] * 3 + ["limit/rate_limited"] * 2


@pytest.mark.parametrize("sub", [JSON, MSGPACK])
async def test_the_server_keeps_serving_after_garbage(
    memory_server: InProcessServer, sub: str
) -> None:
    junk = await Client.connect(memory_server.ws_url, sub)
    for frame in (b"\x00\xff" * 10, "\x00", b"", ""):
        await junk.send_raw(frame)
    await asyncio.sleep(0.1)
    assert all(m["t"] == "error" for m in junk.messages) and len(junk.messages) == 4
    p = await pair(memory_server.url, memory_server.ws_url, subprotocol=sub)
    assert (await p.a.client.act("ready"))["t"] == "ack"
