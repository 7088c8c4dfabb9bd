"""Room codes and secrets: codes without look-alikes, secrets of 128 random bits."""

from __future__ import annotations

import base64

from server import tokens


def test_room_codes_have_six_characters_and_no_look_alikes() -> None:
    assert not set("01OIL") & set(tokens.CODE_ALPHABET)
    codes = {tokens.new_code() for _ in range(200)}
    assert len(codes) > 190  # random, not a counter
    assert all(len(c) >= 6 and set(c) <= set(tokens.CODE_ALPHABET) for c in codes)


def test_a_typed_code_is_read_whatever_its_case_and_spaces() -> None:
    assert tokens.normalise_code(" k7qm3x ") == "K7QM3X"


def test_secrets_carry_128_random_bits() -> None:
    secret = tokens.new_secret()
    assert len(base64.urlsafe_b64decode(secret + "==")) == 16
    assert tokens.new_secret() != secret


def test_a_secret_matches_only_its_own_digest() -> None:
    secret = tokens.new_secret()
    stored = tokens.digest(secret)
    assert secret not in stored
    assert tokens.matches(secret, stored)
    assert not tokens.matches(tokens.new_secret(), stored)
    assert not tokens.matches(secret, None) and not tokens.matches(secret, "")
