"""What happened, past tense. Events never carry typed text or boundary tags of the
partner: a record of them may be sent to both seats and kept for resync."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Event:
    name: str  # past tense: "card_dealt", "card_passed", "level_raised", ...
    seat: int | None = None  # who caused it; None for system actions
    card: str | None = None
    level: int | None = None
    private: bool = False  # True: only ``seat`` may learn of it (a boundary change)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name}
        if self.seat is not None:
            out["seat"] = self.seat
        if self.card is not None:
            out["card"] = self.card
        if self.level is not None:
            out["level"] = self.level
        return out
