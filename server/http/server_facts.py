"""``GET /api/server``: what a page needs to know of this server before it offers a
daily space (issue 22; docs/protocol.md, "Daily spaces"): whether the store keeps
spaces across a restart, the Web Push key if the operator set one, and the lifetimes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.errors import Refused
from server.http.shell import errors_response
from server.rooms.service import Service
from server.settings import Settings

NO_STORE = {"Cache-Control": "no-store"}


async def server_facts(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    service: Service = request.app.state.service
    try:  # a store that does not answer: 503 store/unavailable within the reply deadline
        durable = await service.io(service.store.daily_durable())
    except Refused as exc:
        return errors_response(exc)
    facts = {
        "daily_durable": durable,
        "push_key": settings.vapid_public_key or None,
        "daily_keep_days": _days(settings.daily_keep_days),
        "daily_idle_days": _days(settings.daily_idle_days),
    }
    return JSONResponse(facts, headers=NO_STORE)


def _days(days: float) -> float:
    """Whole days as a whole number (``7``, not ``7.0``); a test's fraction as it is."""
    return int(days) if float(days).is_integer() else days
