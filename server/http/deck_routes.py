"""The deck routes: the installed decks as the picker shows them, the shared topic
vocabulary, and a couple's own deck for their room (issue 21; docs/protocol.md)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from decks.timing import game_minutes
from decks.vocabulary import vocabulary
from game import Deck, GameError
from server.errors import ErrorCode, Refused
from server.http.shell import errors_response, refused_post
from server.rooms.own_deck import SEALED_MAX_BYTES as OWN_DECK_BYTES
from server.rooms.own_deck import DeckRefused
from server.rooms.service import Service
from server.settings import Settings

NO_STORE = {"Cache-Control": "no-store"}


def deck_summary(deck: Deck) -> dict[str, object]:
    lang = deck.default_language
    per_level = [0] * len(deck.levels)
    for card in deck.cards:
        if card.level is not None:
            per_level[card.level] += 1
    return {
        "id": deck.id,
        "version": deck.version,
        "title": dict(deck.title),
        "description": dict(deck.description),
        "default_language": lang,
        "languages": list(deck.languages),
        "age_rating": deck.age_rating,
        "levels": [
            {
                "id": lv.id,
                "name": dict(lv.name),
                "description": dict(lv.description),
                "min_cards": lv.min_cards,
                "cards": per_level[i],
            }
            for i, lv in enumerate(deck.levels)
        ],
        "tags": [{"id": t.id, "label": dict(t.label)} for t in deck.tags],
        "cards": per_level,
        "has_closing": deck.closing is not None,
        "minutes": game_minutes(deck),  # one game through every level (decks.timing)
    }


async def list_decks(request: Request) -> Response:
    decks = request.app.state.service.decks
    return JSONResponse([deck_summary(d) for d in decks.values()])


async def one_deck(request: Request) -> Response:
    deck = request.app.state.service.decks.get(request.path_params["deck_id"])
    if deck is None:
        return JSONResponse({"error": "lobby/unknown_deck"}, 404)
    return JSONResponse(deck_summary(deck))


async def list_topics(request: Request) -> Response:
    """The shared topic vocabulary (decks/topics.json) as a couple's deck editor offers
    it: ids and labels only."""
    topics = [{"id": t.id, "label": dict(t.label)} for t in vocabulary().topics]
    return JSONResponse(topics)


async def add_own_deck(request: Request) -> Response:
    """A couple's own deck for their room (issue 21): the deck file as the body, the
    seat's token as ``Authorization: Bearer``. See docs/protocol.md."""
    settings: Settings = request.app.state.settings
    refused = await refused_post(request, request.app.state.upload_limiter)
    if refused is not None:
        return refused
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return JSONResponse({"error": ErrorCode.JOIN_FAILED.value}, 403, headers=NO_STORE)
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > OWN_DECK_BYTES:  # stop reading: nothing of it is kept (exact: own_deck)
            return JSONResponse({"error": ErrorCode.DECK_TOO_LARGE.value}, 413, headers=NO_STORE)
    service: Service = request.app.state.service
    try:
        async with asyncio.timeout(settings.reply_deadline):
            applied = await service.add_own_deck(request.path_params["room"], token, raw)
    except DeckRefused as exc:
        body: dict[str, object] = {"error": exc.code.value}
        if exc.problems:
            body["problems"] = exc.problems
        status = 413 if exc.code is ErrorCode.DECK_TOO_LARGE else 400
        return JSONResponse(body, status, headers=NO_STORE)
    except Refused as exc:
        known = {ErrorCode.JOIN_FAILED: 403, ErrorCode.ROOM_GONE: 404}.get(exc.code)
        if known is None:
            return errors_response(exc)
        return JSONResponse({"error": exc.code.value}, known, headers=NO_STORE)
    except (TimeoutError, GameError) as exc:
        return errors_response(exc)
    return JSONResponse({"version": applied.room.version}, 200, headers=NO_STORE)
