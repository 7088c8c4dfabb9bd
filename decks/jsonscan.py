"""A position-aware, iterative JSON parser for untrusted deck files.

``json.loads`` forgets where values were and silently keeps the last of two equal keys.
This parser remembers the offset of every value, refuses duplicate keys, caps nesting
depth and the number of cards while it reads (so a hostile file is refused before it is
parsed deeply), and never recurses, so no input can exhaust the stack. Tokens are
matched with regular expressions using possessive quantifiers, so a failed match cannot
backtrack exponentially.

Offsets are kept per container (keyed by the container's identity) rather than per
JSON pointer string: building a pointer for every value would dominate the run time,
and pointers are only needed for the few values a problem is reported on.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any

from decks.problems import Problem, join_pointer

MAX_DEPTH = 20
MAX_CARDS = 2000
CARDS_POINTER = "/cards"

_WS = re.compile(r"[ \t\n\r]*+")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]++|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*+"')
_NUMBER = re.compile(r"-?+(?:0|[1-9][0-9]*+)(\.[0-9]++)?+([eE][+-]?+[0-9]++)?+")
_ESCAPE = re.compile(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})')
_LITERALS: dict[str, tuple[str, Any]] = {
    "t": ("true", True),
    "f": ("false", False),
    "n": ("null", None),
}

Offsets = dict[str, int] | list[int]


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
    positions: Positions
    value: Any = None
    errors: list[Problem] = field(default_factory=list)
    root_offset: int = 0
    # id(container) -> offsets of its members' keys (objects) or of its items (arrays)
    offsets: dict[int, Offsets] = field(default_factory=dict)

    def locate(self, pointer: str) -> tuple[int, int]:
        """Line and column of the member (or value) at ``pointer``, else of its parent."""
        return self.positions.line_column(self.offset_of(pointer))

    def offset_of(self, pointer: str) -> int:
        value, offset = self.value, self.root_offset
        for escaped in pointer.split("/")[1:]:
            token = escaped.replace("~1", "/").replace("~0", "~")
            table = self.offsets.get(id(value))
            if isinstance(value, dict) and isinstance(table, dict) and token in table:
                value, offset = value[token], table[token]
            elif isinstance(value, list) and isinstance(table, list) and token.isdigit():
                if int(token) >= len(table):
                    break
                value, offset = value[int(token)], table[int(token)]
            else:
                break
        return offset


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    pointer: str
    key: str = ""
    key_offsets: dict[str, int] = field(default_factory=dict)
    item_offsets: list[int] = field(default_factory=list)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.stack: list[_Frame] = []
        self.result = ScanResult(Positions(text))
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
        self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]
        return self.text[self.pos : self.pos + 1]

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

    def attach(self, value: Any, offset: int) -> None:
        if not self.stack:
            self.result.value, self.result.root_offset = value, offset
            return
        top = self.stack[-1]
        if isinstance(top.container, dict):
            top.container.setdefault(top.key, value)  # a member's key offset is recorded
        else:
            if len(top.container) >= MAX_CARDS and top.pointer == CARDS_POINTER:
                message = f"a deck has at most {MAX_CARDS} cards"
                self.fail(message, "deck/too_many_cards", offset, self.child_pointer())
            top.container.append(value)
            top.item_offsets.append(offset)

    # -- tokens -------------------------------------------------------------------
    def read_string(self) -> str:
        start = self.pos
        match = _STRING.match(self.text, start)
        if match is None:
            self.fail(self.string_fault(start))
            raise AssertionError  # unreachable: fail() raises
        self.pos = match.end()
        token = match.group()
        if "\\" not in token:
            return token[1:-1]
        value: str = json.loads(token)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("string contains an unpaired surrogate escape", offset=start)
        return value

    def string_fault(self, start: int) -> str:
        """Say why the string at ``start`` is malformed (only runs on the error path)."""
        index, text = start + 1, self.text
        while index < len(text) and text[index] != '"':
            if ord(text[index]) < 0x20:
                self.pos = index
                return "control character in string (escape it, e.g. \\n)"
            if text[index] == "\\":
                if not _ESCAPE.match(text, index):
                    self.pos = index
                    return "invalid escape sequence in string"
                index += 1
            index += 1
        self.pos = start
        return "unterminated string"

    def read_scalar(self, char: str) -> Any:
        if char == '"':
            return self.read_string()
        if char == "-" or "0" <= char <= "9":
            return self.read_number()
        word, value = _LITERALS.get(char, ("", None))
        if word and self.text.startswith(word, self.pos):
            self.pos += len(word)
            return value
        self.fail(f"expected a value, found {self.found()}")
        return None

    def read_number(self) -> int | float:
        start = self.pos
        match = _NUMBER.match(self.text, start)
        if match is None:
            self.fail("invalid number")
            raise AssertionError  # unreachable
        self.pos = match.end()
        if match.group(1) is None and match.group(2) is None:
            if match.end() - start > 4000:  # int() refuses over 4300 digits
                self.fail("number out of range", offset=start)
            return int(match.group())
        number = float(match.group())
        if number in (float("inf"), float("-inf")):
            self.fail("number out of range", offset=start)
        return number

    # -- the state machine ------------------------------------------------------------
    def parse(self) -> None:
        state = "value"
        while True:
            char = self.skip_ws()
            if state == "value":
                state = self.begin_value(char)
            elif state == "after":  # a value just ended
                if not self.stack:
                    if char:
                        self.fail(f"unexpected {self.found()} after the end of the JSON value")
                    return
                state = self.after_value(char)
            elif state == "first_item":
                state = self.close() if char == "]" else "value"
            else:  # "key" or "first_key"
                state = self.read_key(char, first=state == "first_key")

    def begin_value(self, char: str) -> str:
        offset = self.pos
        if char in ("{", "["):
            if len(self.stack) >= MAX_DEPTH:
                message = f"nested deeper than {MAX_DEPTH} levels"
                self.fail(message, "json/too_deep", pointer=self.child_pointer())
            pointer = self.child_pointer()
            container: dict[str, Any] | list[Any] = {} if char == "{" else []
            frame = _Frame(container, pointer)
            self.attach(container, offset)
            self.result.offsets[id(container)] = (
                frame.key_offsets if char == "{" else frame.item_offsets
            )
            self.stack.append(frame)
            self.pos += 1
            return "first_key" if char == "{" else "first_item"
        self.attach(self.read_scalar(char), offset)
        return "after"

    def read_key(self, char: str, *, first: bool) -> str:
        if first and char == "}":
            return self.close()
        if char != '"':
            self.fail(f"expected a property name in double quotes, found {self.found()}")
        offset = self.pos
        key = self.read_string()
        top = self.stack[-1]
        if key in top.key_offsets:
            self.duplicate_key(key, join_pointer(top.pointer, key), offset, top.key_offsets[key])
        else:
            top.key_offsets[key] = offset
        if self.skip_ws() != ":":
            self.fail(f"expected ':' after a property name, found {self.found()}")
        self.pos += 1
        top.key = key
        return "value"

    def duplicate_key(self, key: str, pointer: str, offset: int, first: int) -> None:
        positions = self.result.positions
        line, column = positions.line_column(offset)
        first_line, first_column = positions.line_column(first)
        message = f"duplicate key {key!r} (first at line {first_line}, column {first_column})"
        self.duplicates.append(Problem("json/duplicate_key", message, pointer, line, column))

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
    result = scanner.result
    try:
        scanner.parse()
    except ScanError as error:
        line, column = result.positions.line_column(error.offset)
        result.errors.append(Problem(error.code, error.message, error.pointer, line, column))
        result.value = None
    result.errors[:0] = scanner.duplicates
    return result
