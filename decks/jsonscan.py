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
_STRING_BODY = r'"(?:[^"\\\x00-\x1f]++|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*+"'
# The optional fraction and exponent are plain greedy groups: nothing follows a number
# in the token pattern, so they never backtrack, and a possessive ``(...)?+`` is matched
# wrongly by Python 3.11.2 (Debian 12's): "0E" came out as the number "0E".
_NUMBER_BODY = r"-?+(?:0|[1-9][0-9]*+)(?P<fraction>\.[0-9]+)?(?P<exponent>[eE][+-]?[0-9]+)?"
# Whitespace, then one token; the named group says which kind.
_TOKEN = re.compile(
    rf"[ \t\n\r]*+(?:(?P<string>{_STRING_BODY})|(?P<number>{_NUMBER_BODY})"
    r"|(?P<literal>true|false|null)|(?P<punct>[{}\[\]:,]))"
)
_VALUE, _FIRST_ITEM, _KEY, _FIRST_KEY, _COLON, _AFTER = range(6)
_ESCAPE = re.compile(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})')
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}

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

    def parse(self) -> None:
        text, match, stack = self.text, _TOKEN.match, self.stack
        state = _VALUE
        while True:
            found = match(text, self.pos)
            if found is None:
                if state == _AFTER and not stack and not text[self.skip_ws_at() :]:
                    return
                self.pos = self.skip_ws_at()
                self.fail(self.no_token_message(state))
                return
            kind, start = found.lastgroup, found.start(found.lastgroup or 0)
            self.pos = found.end()
            char = text[start]
            if state in (_VALUE, _FIRST_ITEM):
                if kind == "punct":
                    if char in "{[":
                        state = self.open(char, start)
                        continue
                    if char == "]" and state == _FIRST_ITEM:
                        stack.pop()
                        state = _AFTER
                        continue
                    self.pos = start
                    self.fail(f"expected a value, found {char!r}")
                self.attach(self.scalar(kind, found, start), start)
                state = _AFTER
            elif state == _AFTER:
                if not stack:
                    self.pos = start
                    self.fail(f"unexpected {char!r} after the end of the JSON value")
                state = self.after(char, start)
            elif state == _COLON:
                if char != ":":
                    self.pos = start
                    self.fail(f"expected ':' after a property name, found {char!r}")
                state = _VALUE
            else:  # _KEY or _FIRST_KEY
                if char == "}" and state == _FIRST_KEY and kind == "punct":
                    stack.pop()
                    state = _AFTER
                    continue
                if kind != "string":
                    self.pos = start
                    self.fail(f"expected a property name in double quotes, found {char!r}")
                self.key(self.string_value(found.group("string"), start), start)
                state = _COLON

    def skip_ws_at(self) -> int:
        return _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def no_token_message(self, state: int) -> str:
        """Why nothing valid starts at ``self.pos`` (only runs on the error path)."""
        char = self.text[self.pos : self.pos + 1]
        if state in (_VALUE, _FIRST_ITEM, _KEY, _FIRST_KEY) and char == '"':
            return self.string_fault(self.pos)
        if state in (_VALUE, _FIRST_ITEM) and char and char in "-0123456789":
            return "invalid number"
        return {
            _VALUE: "expected a value, found {}",
            _FIRST_ITEM: "expected a value, found {}",
            _KEY: "expected a property name in double quotes, found {}",
            _FIRST_KEY: "expected a property name in double quotes, found {}",
            _COLON: "expected ':' after a property name, found {}",
            _AFTER: self.after_message(),
        }[state].format(self.found())

    def after_message(self) -> str:
        if not self.stack:
            return "unexpected {} after the end of the JSON value"
        if isinstance(self.stack[-1].container, dict):
            return "expected ',' or '}}', found {}"
        return "expected ',' or ']', found {}"

    def scalar(self, kind: str | None, found: re.Match[str], start: int) -> Any:
        token = found.group(kind or 0)
        if kind == "string":
            return self.string_value(token, start)
        if kind == "literal":
            return _LITERALS[token]
        if found.group("fraction") is None and found.group("exponent") is None:
            if len(token) > 4000:  # int() refuses over 4300 digits
                self.fail("number out of range", offset=start)
            return int(token)
        number = float(token)
        if number in (float("inf"), float("-inf")):
            self.fail("number out of range", offset=start)
        return number

    def string_value(self, token: str, start: int) -> str:
        if "\\" not in token:
            return token[1:-1]
        value: str = json.loads(token)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("string contains an unpaired surrogate escape", offset=start)
        return value

    def open(self, char: str, offset: int) -> int:
        if len(self.stack) >= MAX_DEPTH:
            self.pos = offset
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
        return _FIRST_KEY if char == "{" else _FIRST_ITEM

    def key(self, key: str, offset: int) -> None:
        top = self.stack[-1]
        if key in top.key_offsets:
            self.duplicate_key(key, join_pointer(top.pointer, key), offset, top.key_offsets[key])
        else:
            top.key_offsets[key] = offset
        top.key = key

    def after(self, char: str, start: int) -> int:
        top = self.stack[-1]
        is_object = isinstance(top.container, dict)
        if char == ",":
            return _KEY if is_object else _VALUE
        if char == ("}" if is_object else "]"):
            self.stack.pop()
            return _AFTER
        self.pos = start
        self.fail(self.after_message().format(repr(char)))
        return _AFTER

    def duplicate_key(self, key: str, pointer: str, offset: int, first: int) -> None:
        positions = self.result.positions
        line, column = positions.line_column(offset)
        first_line, first_column = positions.line_column(first)
        message = f"duplicate key {key!r} (first at line {first_line}, column {first_column})"
        self.duplicates.append(Problem("json/duplicate_key", message, pointer, line, column))


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
