"""Party rooms over HTTP, and their wiring into the app (docs/party.md).

- ``GET /party`` the party client (its address fragment says host, display or guest).
- ``POST /api/parties`` ``{"deck": "closer"}`` -> 201 with the party code, the host token,
  the display key and the links (secrets only ever in URL fragments).
- ``POST /api/parties/{code}/deck`` with ``Authorization: Bearer <host token>`` and a
  deck file as the body (at most 1 MiB), checked by ``decks.loader`` like any deck.
"""

from __future__ import annotations

import asyncio
import json
import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from game import GameError
from game.party import PartyViolation
from server import tokens
from server.errors import ErrorCode, Refused
from server.http import page_words
from server.http.shell import errors_response, origin_allowed, refused_post, site_address
from server.parties.decks import DeckRejected
from server.parties.hub import PartyHub
from server.parties.service import MAX_DECK_BYTES, PartyService
from server.settings import Settings

NO_STORE = {"Cache-Control": "no-store"}
NOT_BUILT = "<!doctype html><title>Closeknit</title><p>The web client is not built yet."
CODE_RE = re.compile(f"[{tokens.CODE_ALPHABET}]{{{tokens.CODE_LENGTH}}}")


def party_routes() -> list[BaseRoute]:
    return [
        Route("/party", party_page),
        Route("/api/parties", create_party, methods=["POST"]),
        Route("/api/parties/{code}/deck", upload_deck, methods=["POST"]),
    ]


def is_party_room(room_id: str) -> bool:
    """A party's own room or one of its tables ("CODE/party", "CODE/3")."""
    return "/" in room_id


def start_parties(app: Starlette) -> list[asyncio.Task[None]]:
    """Called from the lifespan once the service and the fan-out hub exist."""
    parties = PartyService(app.state.service)
    hub = PartyHub(parties)
    app.state.parties = parties
    app.state.party_hub = hub
    app.state.hub.listen(hub.on_bus, is_party_room)
    return [asyncio.create_task(hub.run_timers())]


async def party_page(request: Request) -> Response:
    """The party client: host console, display and guests' phones (web-client/src/party)."""
    page = request.app.state.client_dir / "party.html"
    if page.is_file():
        lang = page_words.language(request.headers.get("accept-language"))
        html = page_words.page(page.read_text(encoding="utf-8"), "party", lang)
        return HTMLResponse(html, headers=page_words.VARY)
    return HTMLResponse(NOT_BUILT, 503)


def _foreign(request: Request) -> bool:
    """A request from another site's page (browsers always send Origin on a POST)."""
    settings: Settings = request.app.state.settings
    origin, host = request.headers.get("origin"), request.headers.get("host")
    return not origin_allowed(origin, host, settings.allowed_origins, settings.public_url)


async def create_party(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    refused = await refused_post(request, request.app.state.create_limiter)
    if refused is not None:
        return refused
    body = await _small_json(request)
    deck = body.get("deck", "closer") if isinstance(body, dict) else None
    if not isinstance(body, dict) or not isinstance(deck, str) or set(body) - {"deck"}:
        return JSONResponse({"error": "request/invalid"}, 400)
    parties: PartyService = request.app.state.parties
    try:
        created = await parties.create(deck)
    except (GameError, Refused) as exc:
        return errors_response(exc)
    base = settings.public_url.rstrip("/") or _origin(request)
    code = created.code
    return JSONResponse(
        {
            "code": code,
            "host_token": created.host_token,
            "display_key": created.display_key,
            "join_url": f"{base}/party#join={code}",
            "host_url": f"{base}/party#host={code}.{created.host_token}",
            "display_url": f"{base}/party#display={code}.{created.display_key}",
        },
        201,
        headers=NO_STORE,
    )


async def upload_deck(request: Request) -> Response:
    if _foreign(request):
        return JSONResponse({"error": "request/origin"}, 403)
    code = request.path_params["code"]
    parties: PartyService = request.app.state.parties
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    secrets = await parties.secrets(code) if CODE_RE.fullmatch(code) else {}
    if not token or not tokens.matches(token, secrets.get("host")):
        return JSONResponse({"error": ErrorCode.JOIN_FAILED.value}, 403)
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_DECK_BYTES:
            return JSONResponse({"error": "deck/too_large", "limit": MAX_DECK_BYTES}, 413)
    try:
        result = await parties.upload_deck(code, raw)
    except GameError as exc:
        return JSONResponse({"error": exc.code.value}, 400)
    except Refused as exc:  # the party is gone or busy: a conflict with its state
        return JSONResponse({"error": exc.code.value}, 409)
    except PartyViolation as exc:
        return JSONResponse({"error": exc.code.value}, 409)
    if isinstance(result, DeckRejected):
        return JSONResponse({"error": "deck/invalid", "problems": result.problems}, 400)
    return JSONResponse(
        {"deck": result.id, "title": dict(result.title), "levels": len(result.levels)},
        headers=NO_STORE,
    )


async def _small_json(request: Request) -> object:
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > 4096:
            return None
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return None


def _origin(request: Request) -> str:
    return site_address(request, request.app.state.settings.trusted_proxies)
