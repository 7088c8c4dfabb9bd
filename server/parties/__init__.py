"""Party rooms: the party blob and its tables; what each watching socket is sent."""

from __future__ import annotations

__all__: list[str] = []
