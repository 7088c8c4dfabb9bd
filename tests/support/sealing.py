"""Sealed texts for tests that speak the protocol without a browser (issue 20).

The server never holds a room key and checks only an envelope's shape and size
(server/wire/seal.py), so random bytes of the right shape stand in for what a browser's
AES-GCM makes: to the server they are the same thing. The browser tests seal for real."""

from __future__ import annotations

import base64
import os

from server.wire import seal


def envelope(padded: int = 64, version: int = seal.VERSION) -> str:
    """A sealed-text string whose padded text is ``padded`` bytes (a bucket, or not)."""
    raw = bytes([version]) + os.urandom(seal.NONCE + padded + seal.TAG)
    return seal.PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def envelope_showing(marker: str, padded: int = 64) -> str:
    """A sealed-text string whose base64url holds ``marker`` (base64url characters) as
    it is: a stand-in for a typed text that lets a test see where the envelope went."""
    chunk = base64.urlsafe_b64decode(marker + "A" * (-len(marker) % 4))
    raw = bytearray(bytes([seal.VERSION]) + os.urandom(seal.NONCE + padded + seal.TAG))
    raw[15 : 15 + len(chunk)] = chunk  # at a multiple of 3 bytes: whole base64 groups
    out = seal.PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    assert marker in out
    return out
