"""The HTTP and WebSocket shell: the only Starlette and uvicorn code."""

from __future__ import annotations

__all__: list[str] = []
