"""Delivery on one instance: bounded writers and the seat registry."""

from __future__ import annotations

__all__: list[str] = []
