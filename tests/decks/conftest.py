"""Fixtures for the deck tests."""

from __future__ import annotations

from typing import Any

import pytest
from deck_support import sample_data


@pytest.fixture
def sample() -> dict[str, Any]:
    """A fresh copy of a small valid deck to break in one way per test."""
    return sample_data()
