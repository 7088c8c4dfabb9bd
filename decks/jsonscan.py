"""A position-aware, iterative JSON parser for untrusted deck files.

``json.loads`` forgets where values were and silently keeps the last of two equal keys.
This parser records the offset of every value by JSON pointer, refuses duplicate keys,
caps nesting depth and the number of cards while it reads (so a hostile file is refused
before it is parsed deeply), and never recurses, so no input can exhaust the stack.
Tokens are matched with regular expressions using possessive quantifiers, so a failed
match cannot backtrack exponentially.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from decks.problems import Problem, join_pointer

MAX_DEPTH = 20
MAX_CARDS = 2000
CARDS_POINTER = "/cards"

_WS = re.compile(r"[ \t\n\r]*+")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]++|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*+"')
_NUMBER = re.compile(r"-?+(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?+(?:[eE][+-]?+[0-9]++)?+")
_LITERALS: tuple[tuple[str, Any], ...] = (("true", True), ("false", False), ("null", None))


class ScanError(Exception):
    """Internal: stops the scan; carried out as a Problem, never escapes this module."""

    def __init__(self, code: str, message: str, offset: int, pointer: str) -> None:
        super().__init__(message)
        self.code, self.message, self.offset, self.pointer = code, message, offset, pointer


@dataclass(slots=True)
class Positions:
    """Maps offsets in the text to 1-based line and column."""

    text: str
    _line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_column(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1


@dataclass(slots=True)
class ScanResult:
    value: Any = None
    where: dict[str, int] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    positions: Positions | None = None

    def locate(self, pointer: str) -> tuple[int, int]:
        """Line and column of the value (or member) at ``pointer``, else of its parent."""
        if self.positions is None:
            return 1, 1
        while pointer not in self.where and pointer:
            pointer = pointer.rsplit("/", 1)[0]
        return self.positions.line_column(self.where.get(pointer, 0))


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    pointer: str
    key: str = ""
    key_offsets: dict[str, int] = field(default_factory=dict)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.where: dict[str, int] = {}
        self.positions = Positions(text)
        self.duplicates: list[Problem] = []

    # -- small helpers ------------------------------------------------------------
    def fail(
        self,
        message: str,
        code: str = "json/syntax",
        offset: int | None = None,
        pointer: str | None = None,
    ) -> None:
        at = self.pos if offset is None else offset
        if pointer is None:
            pointer = self.stack[-1].pointer if self.stack else ""
        raise ScanError(code, message, at, pointer)

    def skip_ws(self) -> str:
        match = _WS.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def found(self) -> str:
        if self.pos >= len(self.text):
            return "end of file"
        return f"{self.text[self.pos]!r}"

    def child_pointer(self) -> str:
        if not self.stack:
            return ""
        top = self.stack[-1]
        if isinstance(top.container, dict):
            return join_pointer(top.pointer, top.key)
        return join_pointer(top.pointer, len(top.container))

    def attach(self, value: Any, pointer: str, offset: int) -> None:
        if pointer not in self.where:  # a member's key offset was recorded already
            self.where[pointer] = offset
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.container, dict):
            top.container.setdefault(top.key, value)
        else:
            if top.pointer == CARDS_POINTER and len(top.container) >= MAX_CARDS:
                self.fail(
                    f"a deck has at most {MAX_CARDS} cards", "deck/too_many_cards", offset, pointer
                )
            top.container.append(value)

    # -- tokens -------------------------------------------------------------------
    def read_string(self) -> str:
        start = self.pos
        match = _STRING.match(self.text, start)
        if match is None:
            self.fail(self.string_fault(start))
            raise AssertionError  # unreachable: fail() raises
        self.pos = match.end()
        value: str = json.loads(match.group())
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("string contains an unpaired surrogate escape", offset=start)
        return value

    def string_fault(self, start: int) -> str:
        """Say why the string at ``start`` is malformed (only runs on the error path)."""
        index = start + 1
        text = self.text
        while index < len(text):
            char = text[index]
            if char == '"':
                break
            if ord(char) < 0x20:
                self.pos = index
                return "control character in string (escape it, e.g. \\n)"
            if char == "\\":
                if not re.match(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})', text[index : index + 6]):
                    self.pos = index
                    return "invalid escape sequence in string"
                index += 1
            index += 1
        self.pos = start
        return "unterminated string"

    def read_scalar(self) -> Any:
        char = self.text[self.pos] if self.pos < len(self.text) else ""
        if char == '"':
            return self.read_string()
        if char == "-" or char.isdigit():
            return self.read_number()
        for word, value in _LITERALS:
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return value
        self.fail(f"expected a value, found {self.found()}")
        return None

    def read_number(self) -> int | float:
        start = self.pos
        match = _NUMBER.match(self.text, start)
        if match is None or match.end() == start:
            self.fail("invalid number")
            raise AssertionError  # unreachable
        token = match.group()
        self.pos = match.end()
        try:
            number: int | float = float(token) if any(c in token for c in ".eE") else int(token)
        except ValueError:
            number = math.inf
        if isinstance(number, float) and not math.isfinite(number):
            self.fail("number out of range", offset=start)
        return number

    # -- the state machine ------------------------------------------------------------
    def parse(self) -> Any:
        state = "value"
        while True:
            char = self.skip_ws()
            if state == "value":
                state = self.begin_value(char)
            elif state in ("key", "first_key"):
                state = self.read_key(char, first=state == "first_key")
            elif state == "first_item":
                state = self.close() if char == "]" else "value"
            else:  # "after": a value just ended
                if not self.stack:
                    if char:
                        self.fail(f"unexpected {self.found()} after the end of the JSON value")
                    return self.root
                state = self.after_value(char)

    def begin_value(self, char: str) -> str:
        pointer, offset = self.child_pointer(), self.pos
        if char in "{[" and char:
            if len(self.stack) >= MAX_DEPTH:
                self.fail(
                    f"nested deeper than {MAX_DEPTH} levels", "json/too_deep", pointer=pointer
                )
            container: dict[str, Any] | list[Any] = {} if char == "{" else []
            self.attach(container, pointer, offset)
            self.stack.append(_Frame(container, pointer))
            self.pos += 1
            return "first_key" if char == "{" else "first_item"
        self.attach(self.read_scalar(), pointer, offset)
        return "after"

    def read_key(self, char: str, *, first: bool) -> str:
        if first and char == "}":
            return self.close()
        if char != '"':
            self.fail(f"expected a property name in double quotes, found {self.found()}")
        offset = self.pos
        key = self.read_string()
        top = self.stack[-1]
        pointer = join_pointer(top.pointer, key)
        if key in top.key_offsets:
            self.duplicate_key(key, pointer, offset, top.key_offsets[key])
        else:
            top.key_offsets[key] = offset
            self.where[pointer] = offset
        if self.skip_ws() != ":":
            self.fail(f"expected ':' after a property name, found {self.found()}")
        self.pos += 1
        top.key = key
        return "value"

    def duplicate_key(self, key: str, pointer: str, offset: int, first: int) -> None:
        line, column = self.positions.line_column(offset)
        first_line, first_column = self.positions.line_column(first)
        self.duplicates.append(
            Problem(
                "json/duplicate_key",
                f"duplicate key {key!r} (first at line {first_line}, column {first_column})",
                pointer,
                line,
                column,
            )
        )

    def after_value(self, char: str) -> str:
        top = self.stack[-1]
        is_object = isinstance(top.container, dict)
        if char == ",":
            self.pos += 1
            return "key" if is_object else "value"
        if char == ("}" if is_object else "]"):
            return self.close()
        expected = "',' or '}'" if is_object else "',' or ']'"
        self.fail(f"expected {expected}, found {self.found()}")
        return "after"

    def close(self) -> str:
        self.stack.pop()
        self.pos += 1
        return "after"


def scan(text: str) -> ScanResult:
    """Parse ``text`` as JSON; problems come back in ``errors``, never as exceptions."""
    scanner = _Scanner(text)
    result = ScanResult(positions=scanner.positions)
    try:
        result.value = scanner.parse()
    except ScanError as error:
        line, column = scanner.positions.line_column(error.offset)
        result.errors.append(Problem(error.code, error.message, error.pointer, line, column))
    result.where = scanner.where
    result.errors[:0] = scanner.duplicates
    return result
