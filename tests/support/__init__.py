"""Shared test support: real external servers (Redis) started on loopback.

The fixtures themselves live in ``tests/conftest.py``; helpers are imported as
``tests.support.redis``.
"""

from __future__ import annotations

__all__ = ["redis"]
