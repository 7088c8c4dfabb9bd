"""What the loader and the linter report: a problem with a stable code and a place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about a deck file.

    ``code`` is stable (``card/duplicate_id``) so tools and tests can rely on it;
    ``message`` is for people; ``pointer`` is an RFC 6901 JSON pointer into the file
    (``""`` is the whole document); ``line`` and ``column`` are 1-based, counted in
    characters of the decoded text.
    """

    code: str
    message: str
    pointer: str = ""
    line: int = 1
    column: int = 1
    severity: Severity = "error"
    topic: str = ""  # for the linter's topic rules: which topic (so a silence can name it)

    def as_dict(self) -> dict[str, str | int]:
        return {
            "code": self.code,
            "message": self.message,
            "pointer": self.pointer,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
        }


def escape_token(token: str) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(parent: str, token: str | int) -> str:
    return f"{parent}/{escape_token(str(token))}"
