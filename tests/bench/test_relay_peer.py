"""The relay floor forwards each message to the partner; with echo, the sender gets it
back too (a move's socket work: one write to each seat). Real relay processes."""

from __future__ import annotations

from websockets.sync.client import connect

from bench import procs


def test_the_relay_forwards_to_the_partner_only() -> None:
    relay = procs.start_relay()
    url = relay.http.replace("http", "ws") + "/relay/a"
    try:
        with connect(url) as ana, connect(url) as bo:
            bo.send(b"here")  # once ana hears it, both are in the room
            assert ana.recv(timeout=5) == b"here"
            ana.send(b"one")
            assert bo.recv(timeout=5) == b"one"
            bo.send(b"two")  # had "one" come back to ana, she would read it first
            assert ana.recv(timeout=5) == b"two"
    finally:
        relay.stop()


def test_the_echo_relay_sends_each_message_back_and_on() -> None:
    relay = procs.start_relay(echo=True)
    url = relay.http.replace("http", "ws") + "/relay/b"
    try:
        with connect(url) as ana, connect(url) as bo:
            bo.send(b"here")  # once ana hears it, both are in the room
            assert bo.recv(timeout=5) == b"here"
            assert ana.recv(timeout=5) == b"here"
            ana.send(b"one")
            assert ana.recv(timeout=5) == b"one"
            assert bo.recv(timeout=5) == b"one"
    finally:
        relay.stop()
