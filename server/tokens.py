"""Secrets: seat tokens, invite secrets, room codes. Stored hashed, compared in constant
time, never logged."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# No look-alikes: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def new_secret() -> str:
    """A 128-bit random secret, base64url without padding (22 characters)."""
    return secrets.token_urlsafe(16)


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    return code.strip().upper()


def digest(secret: str) -> str:
    # The secrets carry 128 random bits: a plain hash is enough, no salt or stretching.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def matches(secret: str, stored_digest: str | None) -> bool:
    if not stored_digest:
        return False
    return hmac.compare_digest(digest(secret), stored_digest)
