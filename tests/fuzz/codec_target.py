"""An atheris (coverage-guided) fuzz target for the wire codec of both sockets (the
couple's and the party's): whatever bytes a peer sends, ``Codec.decode`` returns a typed
message or raises ``ProtocolError``, nothing else.
``python -m tests.fuzz.codec_target -max_total_time=N`` runs it (``make fuzz``);
tests/server/test_codec_fuzz.py runs it for a few seconds in ``make test``."""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    from server.wire import party, protocol

CODECS = (
    protocol.Codec(protocol.SUBPROTOCOL_MSGPACK),
    protocol.Codec(protocol.SUBPROTOCOL_JSON),
    party.Codec(protocol.SUBPROTOCOL_MSGPACK),
    party.Codec(protocol.SUBPROTOCOL_JSON),
)


def one_input(data: bytes) -> None:
    if not data:
        return
    codec = CODECS[data[0] & 3]
    frame: bytes | str = data[1:]
    if not codec.binary:
        frame = data[1:].decode("utf-8", "surrogateescape")
    with contextlib.suppress(protocol.ProtocolError):  # anything else is a crash
        codec.decode(frame)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
