"""Logging set-up. No log line carries typed text, names, tokens or query strings:
our own code never passes them to a logger, and uvicorn's access log, which would print
request paths with query strings, is reduced to method, path and status."""

from __future__ import annotations

import logging
from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}


class AccessFilter(logging.Filter):
    """Rewrite uvicorn's access records: path without its query string, and no
    arguments other than client host, method, path, version and status."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            client, method, path, version, status = args
            record.args = (client, method, str(path).split("?", 1)[0], version, status)
        return True


class QueryFilter(logging.Filter):
    """Cut the query string from any request path among a record's arguments: uvicorn's
    WebSocket lines ('"WebSocket %s" [accepted]', '403') print it whole."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(_has_query(a) for a in args):
            record.args = tuple(str(a).split("?", 1)[0] if _has_query(a) else a for a in args)
        return True


def _has_query(arg: object) -> bool:
    return isinstance(arg, str) and arg.startswith("/") and "?" in arg


class PeerFaultFilter(logging.Filter):
    """A client's bad frame is the client's fault, not ours: one warning line, without
    the traceback uvicorn and websockets attach ("Invalid UTF-8 sequence ...")."""

    FAULTS = ("Invalid UTF-8 sequence received from client.", "parser failed")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in self.FAULTS and record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True


class FrameFilter(logging.Filter):
    """Drop the frame dumps the websockets library writes at debug level to uvicorn's
    error logger ("< TEXT '{...}'"): they would carry typed text, names and tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.msg if isinstance(record.msg, str) else ""
        return not (record.levelno <= logging.DEBUG and message[:1] in ("<", ">"))


def log_config(level: str, fmt: str = "plain") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn (``uvicorn.Config(log_config=...)``).
    ``fmt="json"``: one JSON object a line (python-json-logger), for log collectors; the
    same filters run before either formatter, so JSON lines leave out the same things."""
    lvl = level.upper()
    formatter = "json" if fmt == "json" else "plain"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"access": {"()": AccessFilter}, "frames": {"()": FrameFilter},
                    "query": {"()": QueryFilter}, "peer": {"()": PeerFaultFilter}},
        "formatters": {"plain": {"format": FORMAT}, "json": JSON_FORMATTER},
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": formatter,
                        "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": formatter,
                       "filters": ["access"], "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": lvl, "propagate": False},
            "uvicorn.error": {"level": lvl, "filters": ["frames", "query", "peer"]},
            "uvicorn.access": {"handlers": ["access"], "level": lvl, "propagate": False},
            "closeknit": {"handlers": ["default"], "level": lvl, "propagate": False},
        },
    }  # fmt: skip


def get(name: str) -> logging.Logger:
    return logging.getLogger(f"closeknit.{name}")
