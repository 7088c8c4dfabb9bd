"""Closeknit's measuring instruments: load generator driver, peers, soak."""

from __future__ import annotations

__all__: list[str] = []
