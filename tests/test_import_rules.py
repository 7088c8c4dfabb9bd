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
    # The couple's day of a daily space is calendar arithmetic in an IANA zone (zoneinfo
    # needs datetime): that one module may import datetime, never to read the clock.
    calendar = ROOT / "game" / "daily" / "days.py"
    for path in (ROOT / "game").rglob("*.py"):
        allowed = {"datetime"} if path == calendar else set()
        assert not {n.split(".")[0] for n in imports_of(path)} & (banned - allowed), path.name
        source = path.read_text(encoding="utf-8")
        assert "random.random(" not in source and "random.choice(" not in source, path.name
        for clock in (".now(", ".today(", "utcnow(", "time.time(", "monotonic("):
            assert clock not in source, f"{path.name} reads the clock ({clock})"


def test_only_entry_points_import_the_app() -> None:
    allowed = {"serve.py", "cli.py", "app.py"}
    for path in (ROOT / "server").rglob("*.py"):
        if path.name not in allowed:
            assert "server.http.app" not in imports_of(path), path.name


def server_imports(path: Path) -> set[str]:
    return {n for n in imports_of(path) if n.split(".")[0] == "server"}


def test_only_the_shell_imports_starlette_or_uvicorn() -> None:
    shell = {ROOT / "server" / "http", ROOT / "server"}
    for path in (ROOT / "server").rglob("*.py"):
        if path.parent in shell:  # the shell, and serve.py/cli.py beside the packages
            continue
        web = {n for n in imports_of(path) if n.split(".")[0] in ("starlette", "uvicorn")}
        assert not web, f"{path.relative_to(ROOT)} imports {web}"
        assert not any(n.startswith("server.http") for n in imports_of(path)), path.name


def test_fan_out_imports_neither_rooms_nor_parties() -> None:
    for path in (ROOT / "server" / "fanout").rglob("*.py"):
        names = server_imports(path)
        assert not any(n.startswith(("server.rooms", "server.parties")) for n in names), path


def test_parties_never_import_the_fan_out() -> None:
    for path in (ROOT / "server" / "parties").rglob("*.py"):
        assert not any(n.startswith("server.fanout") for n in server_imports(path)), path


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


FROM_NAMES = re.compile(r"^\s*from\s+(server[\w.]*)\s+import\s+([\w\s,]+)$")


def server_edges() -> dict[str, set[str]]:
    """Which server module imports which (``from server.wire import broker`` is an
    import of ``server.wire.broker``); the engine and the decks are not counted."""
    paths = {module_of(p): p for p in (ROOT / "server").rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for module, path in paths.items():
        found = set()
        for imported in server_imports(path):
            name = imported
            while name and name not in paths:
                name = name.rpartition(".")[0]
            found.add(name)
        for line in path.read_text(encoding="utf-8").splitlines():
            match = FROM_NAMES.match(line)
            if match:
                subs = {f"{match.group(1)}.{n.strip()}" for n in match.group(2).split(",")}
                found |= subs & set(paths)
                if subs & set(paths) and not subs - set(paths):
                    found.discard(match.group(1))  # only submodules were imported
        edges[module] = found - {module, ""}
    return edges


LAUNCHERS = {"server.serve", "server.cli"}  # they start the app: not floors of it


def import_depth() -> tuple[int, list[str]]:
    """The longest chain of imports between server modules, in floors: a module that
    imports nothing of the server is floor 1; the app (``server.http.app``) is the top
    floor, and the launchers that start it (``python -m server.serve``, the
    ``closeknit`` command) stand outside the house."""
    edges = server_edges()
    memo: dict[str, list[str]] = {}

    def chain(m: str, seen: frozenset[str]) -> list[str]:
        if m not in memo:
            below = [chain(n, seen | {m}) for n in edges[m] if n not in seen]
            memo[m] = [m, *max(below, key=len, default=[])]
        return memo[m]

    tops = sorted(set(edges) - LAUNCHERS)
    longest = max((chain(m, frozenset()) for m in tops), key=len)
    return len(longest), longest


def test_the_server_imports_at_most_seven_floors_deep() -> None:
    depth, longest = import_depth()
    assert depth <= 7, " -> ".join(longest)


def test_no_module_of_the_server_or_the_engine_is_over_400_lines() -> None:
    for top in ("server", "game"):
        for path in (ROOT / top).rglob("*.py"):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines <= 400, f"{path.relative_to(ROOT)}: {lines} lines"
