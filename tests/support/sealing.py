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
