"""Couple rooms: load -> apply -> commit; seats, tokens; knock and admit."""

from __future__ import annotations

__all__: list[str] = []
