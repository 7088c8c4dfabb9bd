"""Bytes on the wire and in the store: the sockets protocol, broker messages, stored blobs."""

from __future__ import annotations

__all__: list[str] = []
