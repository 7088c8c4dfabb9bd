"""The sans-I/O codec: typed messages, stable error codes, and nothing else escapes."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game import ErrorCode as GameCode
from server.wire import protocol
from server.wire.protocol import (
    CLOSE_CODES,
    SUBPROTOCOL_JSON,
    SUBPROTOCOL_MSGPACK,
    Act,
    Admit,
    Codec,
    DeleteRoom,
    ErrorCode,
    Hello,
    Ping,
    ProtocolError,
    Typing,
)

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()
JSON_CODEC = Codec(SUBPROTOCOL_JSON)
MSGPACK_CODEC = Codec(SUBPROTOCOL_MSGPACK)
CLIENT_TYPES = {"hello", "act", "typing", "kx", "admit", "delete_room", "ping"}


def doc_examples() -> list[dict[str, object]]:
    blocks = re.findall(r"```json\n(.*?)```", DOC, re.S)
    return [json.loads(block) for block in blocks]


def codes_of(exc: pytest.ExceptionInfo[ProtocolError]) -> str:
    return exc.value.code.value


@pytest.mark.parametrize("codec", [JSON_CODEC, MSGPACK_CODEC], ids=["json", "msgpack"])
def test_every_client_example_in_the_doc_decodes(codec: Codec) -> None:
    examples = [e for e in doc_examples() if "id" in e]
    assert {e["t"] for e in examples} == CLIENT_TYPES
    for example in examples:
        frame = codec.encode(example)
        message = codec.decode(frame)
        assert message.id == example["id"]


def test_every_server_example_in_the_doc_is_a_message_the_server_builds() -> None:
    built = [
        protocol.ack("h1", 3), protocol.ack(8, 14, duplicate=True),
        protocol.error(None, "x/y", "m"), protocol.welcome("h1", 0, "t", "R", 1),
        protocol.welcome("h1", 0, "t", "R", 1, invite="i"),
        protocol.state(1, {}, []), protocol.presence(1, False), protocol.typing(1, True),
        protocol.kx(0, "p", False), protocol.knock("k", "n"), protocol.admitted(1, "t", "R", 1),
        protocol.declined("declined"), protocol.deleted(), protocol.bye(), protocol.deck({}),
    ]  # fmt: skip
    shapes = {(m["t"], frozenset(m)) for m in built}
    for example in doc_examples():
        if "id" in example:
            continue
        assert (example["t"], frozenset(example)) in shapes, example


def test_every_error_code_and_close_code_is_documented() -> None:
    for code in [*ErrorCode, *GameCode]:
        assert f"`{code.value}`" in DOC, code
    for close in CLOSE_CODES:
        assert re.search(rf"^\| {close} \|", DOC, re.M), close


def test_hello_forms() -> None:
    resume = JSON_CODEC.decode(json.dumps(
        {"t": "hello", "id": 1, "v": "1.0", "room": "ABCDEF", "token": "tok", "last_version": 3}
    ))  # fmt: skip
    assert resume == Hello(1, "1.0", "ABCDEF", token="tok", last_version=3)
    invite = JSON_CODEC.decode(json.dumps(
        {"t": "hello", "id": "a", "v": "1.7", "room": "ABCDEF", "invite": "s", "name": " Bo "}
    ))  # fmt: skip
    assert invite == Hello("a", "1.7", "ABCDEF", invite="s", name="Bo", minor=7)
    knock = MSGPACK_CODEC.decode(msgpack.packb(
        {"t": "hello", "id": 2, "v": "1.0", "room": "ABCDEF", "knock": True, "name": "Bo"}
    ))  # fmt: skip
    assert knock == Hello(2, "1.0", "ABCDEF", knock=True, name="Bo")


def test_other_messages() -> None:
    def dec(m: dict[str, object]) -> object:
        return JSON_CODEC.decode(json.dumps(m))

    assert dec({"t": "act", "id": 1, "a": "pass", "avoid_topic": True}) == Act(
        1, "pass", {"avoid_topic": True}
    )
    assert dec({"t": "typing", "id": 2, "on": False}) == Typing(2, False)
    assert dec({"t": "admit", "id": 3, "request": "k1", "accept": True}) == Admit(3, "k1", True)
    assert dec({"t": "delete_room", "id": 4}) == DeleteRoom(4)
    assert dec({"t": "ping", "id": 5}) == Ping(5)


BAD_FRAMES: list[tuple[str, bytes | str, str]] = [
    ("json", "{", "protocol/bad_encoding"),
    ("json", b"{}", "protocol/bad_encoding"),
    ("msgpack", "{}", "protocol/bad_encoding"),
    ("msgpack", b"\xc1", "protocol/bad_encoding"),
    ("json", "[1, 2]", "protocol/not_a_map"),
    ("json", '"hello"', "protocol/not_a_map"),
    ("json", '{"id": 1}', "protocol/unknown_type"),
    ("json", '{"t": "shout", "id": 1}', "protocol/unknown_type"),
    ("json", '{"t": "ping"}', "protocol/bad_field"),
    ("json", '{"t": "ping", "id": true}', "protocol/bad_field"),
    ("json", '{"t": "ping", "id": -1}', "protocol/bad_field"),
    ("json", '{"t": "ping", "id": ""}', "protocol/bad_field"),
    ("json", '{"t": "ping", "id": 1, "extra": 1}', "protocol/bad_field"),
    ("json", '{"t": "typing", "id": 1, "on": "yes"}', "protocol/bad_field"),
    ("json", '{"t": "act", "id": 1}', "protocol/bad_field"),
    ("json", '{"t": "act", "id": 1, "a": "x y"}', "protocol/bad_field"),
    ("json", '{"t": "hello", "id": 1, "v": "2.0", "room": "A", "token": "t"}', "protocol/version"),
    ("json", '{"t": "hello", "id": 1, "v": "one", "room": "A", "token": "t"}',
     "protocol/bad_field"),
    ("json", '{"t": "hello", "id": 1, "v": "1.0", "room": "A"}', "protocol/bad_field"),
    ("json", '{"t": "hello", "id": 1, "v": "1.0", "room": "A", "token": "t", "invite": "i",'
             ' "name": "x"}', "protocol/bad_field"),
    ("json", '{"t": "hello", "id": 1, "v": "1.0", "room": "A{b}", "token": "t"}',
     "protocol/bad_field"),
    ("json", '{"t": "hello", "id": 1, "v": "1.0", "room": "A", "invite": "i", "name": ""}',
     "protocol/bad_field"),
    ("json", '{"t": "hello", "id": 1, "v": "1.0", "room": "A", "invite": "i", "name": "' + "x" * 41
     + '"}', "protocol/bad_field"),
    ("json", '{"t": "hello", "id": 1, "v": "1.0", "room": "A", "knock": true, "name": "a\\u0007"}',
     "protocol/bad_field"),
    ("json", '{"t": "hello", "id": 1, "v": "1.0", "room": "A", "knock": true, "name": "\\ud800"}',
     "protocol/bad_field"),
    ("json", '{"t": "ping", "id": "\\ud800"}', "protocol/bad_field"),
    ("json", '{"t": "act", "id": 1, "a": "x", "n": 9007199254740992}', "protocol/number_too_big"),
    ("json", '{"t": "act", "id": 1, "a": "x", "n": NaN}', "protocol/number_too_big"),
    ("json", '{"t": "act", "id": 1, "a": "x", "n": 1' + "0" * 5000 + "}",
     "protocol/number_too_big"),
    ("json", '{"t": "act", "id": 1, "a": "x", "n": 1e999}', "protocol/number_too_big"),
    ("json", '{"t": "act", "id": 1, "a": "x", "n": [[[[[1]]]]]}', "protocol/too_deep"),
    ("json", "[" * 100_00 + "]" * 100_00, "protocol/frame_too_big"),
    ("json", "[" * 5000 + "]" * 5000, "protocol/too_deep"),
    ("json", json.dumps({"t": "act", "id": 1, "a": "x", **{f"k{i}": i for i in range(40)}}),
     "protocol/too_deep"),
    ("json", json.dumps({"t": "act", "id": 1, "a": "x", "text": "é" * 9000}),
     "protocol/frame_too_big"),
    ("msgpack", msgpack.packb({"t": "act", "id": 1, "a": "x", "b": b"\x00"}), "protocol/bad_field"),
    ("msgpack", msgpack.packb({"t": "act", "id": 1, "a": "x", 1: 2}), "protocol/bad_field"),
    ("msgpack", msgpack.packb({"t": "act", "id": 1, "a": "x", "e": msgpack.ExtType(5, b"x")}),
     "protocol/bad_field"),
    ("msgpack", msgpack.packb({"t": "ping", "id": 2**64 - 1}), "protocol/number_too_big"),
    ("msgpack", b"\x81" * 20000, "protocol/frame_too_big"),
    ("msgpack", b"\x81\xa1a" * 10 + b"\xc0", "protocol/too_deep"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "frame", "code"), BAD_FRAMES)
def test_bad_frames_raise_their_documented_code(kind: str, frame: bytes | str, code: str) -> None:
    codec = JSON_CODEC if kind == "json" else MSGPACK_CODEC
    with pytest.raises(ProtocolError) as exc:
        codec.decode(frame)
    assert codes_of(exc) == code


def test_an_error_names_the_message_id_when_it_was_readable() -> None:
    with pytest.raises(ProtocolError) as exc:
        JSON_CODEC.decode('{"t": "typing", "id": 7, "on": 1}')
    assert exc.value.msg_id == 7
    with pytest.raises(ProtocolError) as exc:
        JSON_CODEC.decode('{"t": "nope", "id": "x"}')
    assert exc.value.msg_id == "x"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                   max_size=4),
    max_leaves=20,
)  # fmt: skip
message_like = st.fixed_dictionaries(
    {"t": st.sampled_from([*CLIENT_TYPES, "x"]), "id": st.one_of(st.integers(), st.text())},
    optional={k: json_values for k in ("v", "room", "token", "invite", "knock", "name", "on",
                                       "request", "accept", "a", "last_version", "text")},
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_ever_raise_protocol_error(data: bytes) -> None:
    for frame in (data, data.decode("utf-8", "replace")):
        for codec in (JSON_CODEC, MSGPACK_CODEC):
            with contextlib.suppress(ProtocolError):
                codec.decode(frame)


@settings(max_examples=100, deadline=None)
@given(st.one_of(message_like, json_values))
def test_arbitrary_structures_only_ever_raise_protocol_error(value: object) -> None:
    frames: list[bytes | str] = []
    with contextlib.suppress(OverflowError):  # msgpack holds at most 64-bit integers
        frames.append(msgpack.packb(value, use_bin_type=True))
    with contextlib.suppress(ValueError):  # NaN and friends are not JSON
        frames.append(json.dumps(value, allow_nan=False))
    for frame in frames:
        codec = MSGPACK_CODEC if isinstance(frame, bytes) else JSON_CODEC
        try:
            message = codec.decode(frame)
        except ProtocolError as exc:
            assert exc.code in ErrorCode
        else:
            assert type(message).__name__ in {"Hello", "Act", "Typing", "Admit", "DeleteRoom",
                                               "Ping"}  # fmt: skip


def test_encoding_round_trips_in_both_subprotocols() -> None:
    msg = protocol.state(3, {"phase": "lobby", "legal": ["ready"]}, [{"name": "x"}])
    assert json.loads(JSON_CODEC.encode(msg)) == msg
    assert msgpack.unpackb(MSGPACK_CODEC.encode(msg), raw=False) == msg
    assert isinstance(MSGPACK_CODEC.encode(msg), bytes)
    assert isinstance(JSON_CODEC.encode(msg), str)


def test_an_unknown_subprotocol_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="subprotocol"):
        Codec("closeknit.v2.cbor")


@pytest.mark.parametrize("name", ["", "   ", "n" * 41, "a\x00b", 7])
def test_a_bad_name_in_hello_is_a_bad_field_as_the_doc_says(name: object) -> None:
    hello = {"t": "hello", "id": 1, "v": "1.0", "room": "ABCDEF", "invite": "s", "name": name}
    with pytest.raises(ProtocolError) as caught:
        JSON_CODEC.decode(json.dumps(hello))
    assert caught.value.code is ErrorCode.BAD_FIELD
    assert "A bad name in a `hello` is answered with `protocol/bad_field`" in DOC


def test_the_doc_says_how_many_changes_a_resume_can_catch_up_on() -> None:
    from server.store.records import LOG_LIMIT

    assert f"the last {LOG_LIMIT} changes of a room" in DOC
    assert f"at most {LOG_LIMIT} changes behind" in DOC
