"""The ``closeknit`` command: a thin entry point over ``decks.cli`` and ``server.serve``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from decks import cli as deck_cli
from server.settings import add_options

EXIT_NOT_AVAILABLE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="closeknit", description="A self-hostable question-card game for couples."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the game server")
    add_options(serve)  # one option per setting, defaults from the environment
    serve.set_defaults(handler=serve_command)
    deck_cli.register(commands)
    return parser


def serve_command(args: argparse.Namespace) -> int:
    try:
        serve = importlib.import_module("server.serve")
    except ModuleNotFoundError as error:
        if error.name != "server.serve":
            raise
        print(
            "closeknit serve: the server is not available in this build (server/serve.py "
            "is missing)",
            file=sys.stderr,
        )
        return EXIT_NOT_AVAILABLE
    code = serve.main(args)
    return code if isinstance(code, int) else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: deck_cli.Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
