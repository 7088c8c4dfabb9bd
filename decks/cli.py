"""`closeknit deck validate | lint | stats`: the deck commands of the command line.

Each handler takes parsed arguments and returns an exit code; ``server.cli`` only wires
them into the top-level parser.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from decks.lint import mutual
from decks.loader import MAX_BYTES, LoadResult, load_deck
from decks.problems import Problem
from decks.report import lint_report
from decks.silences import Silenced
from game.deck import Deck

Handler = Callable[[argparse.Namespace], int]


def register(subparsers: Any) -> None:
    """Add the ``deck`` command and its subcommands to a top-level parser."""
    deck = subparsers.add_parser("deck", help="check and describe deck files")
    commands = deck.add_subparsers(dest="deck_command", required=True, metavar="COMMAND")
    validate = commands.add_parser("validate", help="check deck files; exit 1 on any error")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--json", action="store_true", help="machine-readable output")
    validate.set_defaults(handler=validate_command)
    lint = commands.add_parser(
        "lint", help="warn about untagged topics, wording, duplicates and balance"
    )
    lint.add_argument("files", nargs="+", metavar="FILE")
    lint.add_argument("--json", action="store_true", help="machine-readable output")
    lint.set_defaults(handler=lint_command)
    stats = commands.add_parser(
        "stats", help="count cards per level, topic, mode, kind, language and habit"
    )
    stats.add_argument("file", metavar="FILE")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.set_defaults(handler=stats_command)


def load_file(path: str) -> LoadResult:
    """Load a deck file; an unreadable file becomes an error like any other."""
    try:
        with Path(path).open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        problem = Problem("file/unreadable", f"cannot read file: {error.strerror}")
        return LoadResult(None, [problem], source=path)
    return load_deck(data, source=path)


def format_problem(source: str, problem: Problem) -> str:
    prefix = "warning: " if problem.severity == "warning" else ""
    pointer = problem.pointer or "(root)"
    return f"{source}:{problem.line}:{problem.column}: {pointer}: {prefix}{problem.message}"


def _report(
    result: LoadResult, problems: Sequence[Problem], silenced: Silenced | None = None
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "file": result.source,
        "valid": result.deck is not None,
        "deck": result.deck.id if result.deck else None,
        "errors": [p.as_dict() for p in result.errors],
        "warnings": [p.as_dict() for p in problems],
    }
    if silenced is not None:
        report["silences"] = [
            {
                "pointer": s.pointer,
                "rule": s.rule,
                "topic": s.topic or None,
                "reason": s.reason,
                "silenced": len(hits),
            }
            for s, hits in silenced.silences
        ]
    return report


def validate_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    results = [load_file(path) for path in args.files]
    failed = any(result.deck is None for result in results)
    if args.json:
        reports = [_report(result, result.warnings) for result in results]
        json.dump({"ok": not failed, "files": reports}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 1 if failed else 0
    for result in results:
        for problem in [*result.errors, *result.warnings]:
            out.write(format_problem(result.source, problem) + "\n")
        if result.deck is not None:
            out.write(
                f"{result.source}: ok: deck {result.deck.id!r}, {_count(result.deck)} cards\n"
            )
    return 1 if failed else 0


def lint_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    results = [load_file(path) for path in args.files]
    found = {result.source: lint_report(result) for result in results}
    failed = any(result.deck is None for result in results)
    if args.json:
        reports = [
            _report(result, found[result.source].warnings, found[result.source])
            for result in results
        ]
        json.dump({"ok": not failed, "files": reports}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 1 if failed else 0
    for result in results:
        report = found[result.source]
        for problem in [*result.errors, *report.warnings]:
            out.write(format_problem(result.source, problem) + "\n")
        for silence, hits in report.silences:
            where = result.locate(Problem("", "", silence.pointer))
            line = f"{result.source}:{where.line}:{where.column}: {silence.pointer}: silenced: "
            out.write(line + silence.describe(f"{len(hits)} warning(s)") + "\n")
        if result.deck is not None and not report.warnings:
            silences = len(report.silences)
            tail = f" ({silences} silenced with reasons, listed above)" if silences else ""
            out.write(f"{result.source}: no warnings{tail}\n")
    return 1 if failed else 0


def _count(deck: Deck) -> int:
    return len(deck.cards) + (deck.closing is not None)


HABITS = ("speaking", "listening", "vulnerability", "appreciation", "shared-experience")


def deck_stats(deck: Deck) -> dict[str, Any]:
    """Counts by level (dealable cards only), tag, mode, kind, language and habit; the
    share answered by both per level; the topics cards and follow-ups use."""
    cards = [*deck.cards, *([deck.closing] if deck.closing else [])]
    levels = Counter(deck.levels[c.level].id for c in cards if c.level is not None)
    habits = Counter(c.habit for c in cards if c.habit)
    return {
        "deck": deck.id,
        "cards": len(cards),
        "levels": {level.id: levels[level.id] for level in deck.levels},
        "both_or_reveal": {
            level.id: f"{_share(deck, i):.0%}" for i, level in enumerate(deck.levels)
        },
        "tags": {tag.id: sum(tag.id in c.tags for c in cards) for tag in deck.tags},
        "follow_up_tags": {
            tag.id: sum(tag.id in f.tags for c in cards for f in c.follow_ups) for tag in deck.tags
        },
        "modes": dict(Counter(str(c.mode) for c in cards)),
        "kinds": dict(Counter(str(c.kind) for c in cards)),
        "languages": {lang: sum(lang in c.text for c in cards) for lang in deck.languages},
        "habits": {habit: habits[habit] for habit in HABITS},
    }


def _share(deck: Deck, level: int) -> float:
    cards = deck.by_level[level]
    return sum(mutual(c) for c in cards) / len(cards) if cards else 0.0


def stats_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    result = load_file(args.file)
    if result.deck is None:
        for problem in result.errors:
            out.write(format_problem(result.source, problem) + "\n")
        return 1
    stats = deck_stats(result.deck)
    if args.json:
        json.dump(stats, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    out.write(f"deck {stats['deck']!r}: {stats['cards']} cards\n")
    for section in (
        "levels", "both_or_reveal", "tags", "follow_up_tags", "modes", "kinds", "languages",
        "habits",
    ):  # fmt: skip
        out.write(f"{section}:\n")
        for name, count in stats[section].items():
            out.write(f"  {name:<24} {count!s:>5}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m decks.cli validate FILE`` works without the server installed."""
    parser = argparse.ArgumentParser(prog="closeknit-deck")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["deck", *(sys.argv[1:] if argv is None else argv)])
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
