"""The shape of a sealed text (issue 20): what the server can check of an envelope it
can never open. No decryption here: the server never holds a room key.

A sealed text travels where a typed text did, as a string::

    "ck1." + base64url(envelope)            (no "=" padding)

    envelope = version (1 byte, 0x01)
             | nonce   (12 bytes, fresh per message)
             | AES-256-GCM ciphertext of the padded text, with its 16-byte tag

The padded text is the UTF-8 text, one 0x80 byte, then zero bytes up to the smallest
bucket that holds it (``BUCKETS``), so a length leaks only its bucket. The associated
data is ``"ck1|" + room id + "|" + seat + "|" + card id + "|" + field`` (UTF-8;
field is answer, reflection or reveal), so an
envelope moved to another room, seat, card or field fails to open. docs/protocol.md
and docs/security.md say the same for client writers.
"""

from __future__ import annotations

import base64
import binascii
from typing import Final

PREFIX: Final = "ck1."
VERSION: Final = 1
NONCE: Final = 12
TAG: Final = 16
BUCKETS: Final = (64, 256, 1024, 4096, 8192)


class EnvelopeError(ValueError):
    """The text is not a well-formed sealed envelope (``reason`` says why, for the reply)."""


def bucket_for(size: int) -> int:
    """The padded size of a text of ``size`` UTF-8 bytes (its 0x80 marker included)."""
    for bucket in BUCKETS:
        if size + 1 <= bucket:
            return bucket
    raise EnvelopeError("the text is too long to seal")


def max_padded(max_chars: int) -> int:
    """The largest padded text a field of ``max_chars`` characters needs (4 bytes each)."""
    return bucket_for(4 * max_chars)


def check(text: str, *, max_chars: int) -> bytes:
    """The envelope's bytes when ``text`` is a sealed envelope whose padded text fits a
    field of ``max_chars`` characters; else EnvelopeError."""
    if not text.startswith(PREFIX):
        raise EnvelopeError("this room takes sealed texts only")
    body = text[len(PREFIX) :]
    if len(text) > max_chars_for(max_chars):
        raise EnvelopeError("the sealed text is too big")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise EnvelopeError("the sealed text is not base64url") from None
    if not raw or raw[0] != VERSION:
        raise EnvelopeError("unknown sealed text version")
    padded = len(raw) - 1 - NONCE - TAG
    if padded not in BUCKETS:
        raise EnvelopeError("the sealed text is not padded to a bucket")
    if padded > max_padded(max_chars):
        raise EnvelopeError("the sealed text is too big")
    return raw


def max_chars_for(max_text: int) -> int:
    """The longest envelope string a field of ``max_text`` characters may carry."""
    return len(PREFIX) + -(-4 * (1 + NONCE + max_padded(max_text) + TAG) // 3)
