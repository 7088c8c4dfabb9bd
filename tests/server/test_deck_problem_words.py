"""Every problem code the server can send for an uploaded deck (a couple's own deck, a
party's deck) has words in the web client (web-client/src/deck-problems.ts, issue 24),
so a page shows the problem in its own language and the server's English message only
for a code it cannot know. The codes are read from the source of the checks an upload
runs (decks/ loader, JSON scanner, schema and deck checks; server/rooms/own_deck.py),
not listed here: a new code without words fails this test. German and Spanish have
every key of the English table: tests/server/test_words_complete.py."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from typing import Any

from tests.support.servers import ROOT

# What an upload runs: decks.loader.load_deck (scanner, schema, checks) and the own
# deck's sealing checks. The linter's and silences' problems are warnings, never sent.
SOURCES = [
    "decks/loader.py",
    "decks/jsonscan.py",
    "decks/schemacheck.py",
    "decks/checks.py",
    "server/rooms/own_deck.py",
]
CLIENT_TABLE = ROOT / "web-client" / "src" / "deck-problems.ts"
# The schema keywords decks/schemacheck.py gives a code of their own (the rest become
# "schema/<keyword>"), and the keywords that never report an error themselves.
HANDLED = {"required", "additionalProperties", "type", "uniqueItems", "pattern", "enum"}
HANDLED |= {"minLength", "maxLength", "minItems", "minProperties", "maxItems", "maxProperties"}
HANDLED |= {"minimum", "maximum"}
STRUCTURE = {"$schema", "$id", "$ref", "$defs", "title", "description", "properties", "items"}
STRUCTURE |= {"propertyNames", "if", "then", "else", "default", "examples", "$comment"}


def _warning(call: ast.Call) -> bool:
    return any(
        k.arg == "severity" and isinstance(k.value, ast.Constant) and k.value.value == "warning"
        for k in call.keywords
    )


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _calls(tree: ast.AST, name: str) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) == name:
            yield node


def _argument(fn: ast.FunctionDef, param: str, call: ast.Call) -> ast.expr | None:
    names = [a.arg for a in fn.args.args]
    index = names.index(param) - (1 if names and names[0] == "self" else 0)
    given = {k.arg: k.value for k in call.keywords}
    if param in given:
        return given[param]
    if index < len(call.args):
        return call.args[index]
    defaults = dict(zip(names[len(names) - len(fn.args.defaults) :], fn.args.defaults, strict=True))
    return defaults.get(param)


def _schema_keywords(node: Any, inside_if: bool = False) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs") and isinstance(value, dict):  # names, not keywords
                for sub in value.values():
                    found |= _schema_keywords(sub, inside_if)
                continue
            if not inside_if:
                found.add(key)
            found |= _schema_keywords(value, inside_if or key == "if")
    elif isinstance(node, list):
        for item in node:
            found |= _schema_keywords(item, inside_if)
    return found


class _Source:
    """One source file's codes, followed through its functions' parameters."""

    def __init__(self, relative: str) -> None:
        self.relative = relative
        self.tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        self.functions = {f.name: f for f in ast.walk(self.tree) if isinstance(f, ast.FunctionDef)}
        self.constants = {
            t.id: n.value.value
            for n in self.tree.body
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        self.parents = {c: p for p in ast.walk(self.tree) for c in ast.iter_child_nodes(p)}

    def enclosing(self, node: ast.AST) -> ast.FunctionDef:
        while not isinstance(node, ast.FunctionDef):
            node = self.parents[node]
        return node

    def resolve(self, expr: ast.expr | None, at: ast.AST) -> set[str]:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.Name) and expr.id in self.constants:
            return {str(self.constants[expr.id])}
        if expr is not None and ast.unparse(expr) == "error.code":
            return set()  # a ScanError's code: the scanner's fail() calls give those
        fn = self.enclosing(at)
        if isinstance(expr, ast.Name) and expr.id in [a.arg for a in fn.args.args]:
            return {
                code
                for call in _calls(self.tree, fn.name)
                for code in self.resolve(_argument(fn, expr.id, call), call)
            }
        if isinstance(expr, ast.JoinedStr) and ast.unparse(expr) == "f'schema/{keyword}'":
            schema = json.loads((ROOT / "decks" / "schema.json").read_text(encoding="utf-8"))
            left = _schema_keywords(schema) - HANDLED - STRUCTURE
            return {f"schema/{keyword}" for keyword in left}
        if isinstance(expr, ast.JoinedStr) and len(expr.values) == 2:
            head, tail = expr.values  # f"{what}/duplicate_id"
            if isinstance(head, ast.FormattedValue) and isinstance(tail, ast.Constant):
                return {p + str(tail.value) for p in self.resolve(head.value, at)}
        shown = ast.unparse(expr) if expr is not None else "None"
        raise AssertionError(f"{self.relative}: cannot read the code {shown}")

    def codes(self) -> set[str]:
        found: set[str] = set()
        for call in _calls(self.tree, "Problem"):
            if call.args and not _warning(call):
                found |= self.resolve(call.args[0], call)
        if "fail" in self.functions:  # the JSON scanner's problems
            fail = self.functions["fail"]
            for call in _calls(self.tree, "fail"):
                found |= self.resolve(_argument(fail, "code", call), call)
        return found


def server_codes() -> set[str]:
    """Every error code a deck upload's checks can put in a problem."""
    return {code for relative in SOURCES for code in _Source(relative).codes()}


def client_codes() -> set[str]:
    source = CLIENT_TABLE.read_text(encoding="utf-8")
    table = source[source.index("const en") : source.index("};")]
    return set(re.findall(r'^\s*"([a-z0-9_]+/[a-z0-9_]+)":', table, re.M))


def test_the_server_codes_are_read_from_its_source() -> None:
    codes = server_codes()
    # the reading works: codes of each kind of check, plain, passed down and built
    assert {"json/syntax", "deck/too_many_cards", "json/duplicate_key"} <= codes
    assert {"schema/missing_field", "card/unknown_tag", "level/duplicate_id"} <= codes
    assert {"text/not_sealed", "text/sealed_not_allowed", "file/not_utf8"} <= codes
    assert "text/missing_translation" not in codes  # a warning: never sent
    assert len(codes) > 30


def test_every_problem_code_the_server_can_send_has_words_in_the_client() -> None:
    missing = server_codes() - client_codes()
    assert not missing, f"no words in web-client/src/deck-problems.ts for {sorted(missing)}"


def test_the_client_has_no_words_for_codes_the_server_never_sends() -> None:
    extra = client_codes() - server_codes()
    assert not extra, f"web-client/src/deck-problems.ts has words for unknown codes {sorted(extra)}"
