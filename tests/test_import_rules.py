"""The layering rules of ARCHITECTURE.md, checked on the source (import-linter checks
them too in `make check`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+(?:\s*,\s*[\w.]+)*))")


def imports_of(path: Path) -> set[str]:
    """Absolute imports, read line by line. (Not ``ast.parse``: CPython 3.11 can raise
    "AST constructor recursion depth mismatch" once another test moved the recursion
    limit, and a rule check must not depend on test order.)"""
    found: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = IMPORT.match(line)
        if match and match.group(1):
            found.add(match.group(1))
        elif match and match.group(2):
            found.update(name.strip() for name in match.group(2).split(","))
    return found


def test_game_imports_only_the_standard_library_and_itself() -> None:
    for path in (ROOT / "game").rglob("*.py"):
        for name in imports_of(path):
            top = name.split(".")[0]
            assert top == "game" or top in sys.stdlib_module_names or top == "__future__", (
                f"{path.name} imports {name}"
            )


def test_game_does_no_io_and_reads_no_clock_or_global_random() -> None:
    banned = {"asyncio", "socket", "time", "datetime", "os", "io", "subprocess", "threading"}
    for path in (ROOT / "game").rglob("*.py"):
        assert not {n.split(".")[0] for n in imports_of(path)} & banned, path.name
        source = path.read_text(encoding="utf-8")
        assert "random.random(" not in source and "random.choice(" not in source, path.name


def test_only_entry_points_import_the_app() -> None:
    allowed = {"serve.py", "cli.py", "app.py"}
    for path in (ROOT / "server").rglob("*.py"):
        if path.name not in allowed:
            assert "server.app" not in imports_of(path), path.name


def test_protocol_store_and_service_never_import_starlette() -> None:
    paths = [ROOT / "server" / "protocol.py", ROOT / "server" / "service.py"]
    paths += list((ROOT / "server" / "store").rglob("*.py"))
    for path in paths:
        assert not any(n.startswith("starlette") for n in imports_of(path)), path.name
