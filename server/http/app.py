"""The Starlette app: ``create_app(settings)``, usable as ``uvicorn --factory
server.http.app:create_app``. The lifespan builds the store, the service and the one
subscriber task of this instance."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from decks.catalog import load_decks
from game import Deck, GameError
from server import logs
from server.errors import Refused
from server.fanout.hub import Hub
from server.http import page_words
from server.http.daily import create_daily, open_daily, start_daily
from server.http.deck_routes import add_own_deck, list_decks, list_topics, one_deck
from server.http.headers import SecurityHeaders
from server.http.party import open_party
from server.http.party_routes import party_routes, start_parties
from server.http.pwa import pwa_routes
from server.http.server_facts import server_facts
from server.http.shared import Shared
from server.http.shell import (
    Opener,
    errors_response,
    host_allowed,
    refused_post,
    serve_asgi,
    site_address,
)
from server.http.ws import open_session
from server.metrics import CONTENT_TYPE_LATEST, Metrics
from server.ratelimit import SharedLimiter
from server.rooms.service import Service
from server.settings import Settings
from server.store.base import RoomStore
from server.store.factory import from_url

log = logs.get("app")
MAX_BODY = 96 * 1024  # a remembering device's played ids (MAX_PLAYED of them) fit
NO_STORE = {"Cache-Control": "no-store"}
NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Closeknit</title></head><body><h1>Closeknit</h1>
<p>The web client is not built yet. Run <code>make run</code> to build it and start the
server.</p></body></html>"""


class App(Starlette):
    """Starlette, with the WebSocket endpoints called straight from the server: a
    socket lives for hours and sends a frame per change, so it skips the middleware
    stack (which does nothing for WebSockets) and the router, in time per frame and in
    memory per idle connection (every layer is a suspended frame for as long as the
    socket is open).

    Two more decisions are taken here, before any route: a request to the metrics
    listener (``METRICS_PORT``) gets ``/metrics`` and nothing else; and under a path
    prefix (``PUBLIC_URL=https://example.org/closeknit``) a request for
    ``/closeknit/...`` is routed as ``/...`` (Starlette's ``root_path``), while one
    without the prefix (from a proxy that strips it) is routed as it comes."""

    sockets: dict[str, Opener]
    prefix: str = ""
    metrics_port: int = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await super().__call__(scope, receive, send)
            return
        if self.metrics_port and (scope.get("server") or ("", 0))[1] == self.metrics_port:
            await _metrics_listener(self, scope, receive, send)
            return
        if kind in ("http", "websocket") and not self._host_ok(scope):
            await _wrong_host(scope, receive, send)
            return
        path = scope["path"]
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            if path == self.prefix and kind == "http":  # relative URLs need the slash
                await RedirectResponse(self.prefix + "/", 308)(scope, receive, send)
                return
            scope["root_path"] = scope.get("root_path", "") + self.prefix
            path = path[len(self.prefix) :]
        if kind == "websocket":
            opener = self.sockets.get(path)
            if opener is not None:
                scope["app"] = self
                await serve_asgi(WebSocket(scope, receive, send), opener)
                return
        await super().__call__(scope, receive, send)

    def direct_socket(self, path: str, port: int | None, host: str | None) -> Opener | None:
        """The session opener of a socket ``http.direct`` may serve itself (the same
        decisions as ``__call__``'s, in its order); None for a handshake it leaves to
        this app (the metrics listener, a wrong Host, any other path)."""
        if self.metrics_port and port == self.metrics_port:
            return None
        if not host_allowed(host, self.state.settings):
            return None
        if self.prefix and path.startswith(self.prefix + "/"):
            path = path[len(self.prefix) :]
        return self.sockets.get(path)

    def _host_ok(self, scope: Scope) -> bool:
        if scope["path"] in OPEN_PATHS:  # probes address the server by its own address
            return True
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        return host_allowed(host, self.state.settings)


OPEN_PATHS = frozenset({"/healthz", "/readyz"})


async def _wrong_host(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await WebSocket(scope, receive, send).close(code=1008)  # before accept: HTTP 403
    else:
        await JSONResponse({"error": "request/host"}, 400)(scope, receive, send)


async def _metrics_listener(app: App, scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http" or scope["path"] != "/metrics":
        await PlainTextResponse("not found", 404)(scope, receive, send)
        return
    request = Request(scope, receive)
    request.scope["app"] = app
    await (await _render_metrics(request))(scope, receive, send)


def path_prefix(public_url: str) -> str:
    """``/closeknit`` for ``https://example.org/closeknit/``; empty for none."""
    return urlsplit(public_url).path.rstrip("/")


def create_app(
    settings: Settings | None = None, *, clock: Callable[[], float] = time.time
) -> Starlette:
    """``clock``: the one wall clock the rules are given (a test launcher passes one it
    moves: tests/support/clocked.py; no setting, header or message can)."""
    settings = settings or Settings.from_env()
    metrics = Metrics()
    client_dir = Path(settings.client_dir)
    routes = [
        Route("/", index),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_page),
        Route("/api/decks", list_decks),
        Route("/api/decks/{deck_id}", one_deck),
        Route("/api/topics", list_topics),
        Route("/api/server", server_facts),  # issue 22: server/http/server_facts.py
        Route("/api/rooms", create_room, methods=["POST"]),
        Route("/api/rooms/{room}/deck", add_own_deck, methods=["POST"]),
        *party_routes(),  # party rooms: server/http/party_routes.py
        *pwa_routes(),  # manifest, service worker, offline page: server/http/pwa.py
    ]
    # check_dir=False: the client may be built after the server started.
    routes.append(Mount("/assets", StaticFiles(directory=client_dir / "assets", check_dir=False)))
    app = App(routes=routes, lifespan=_lifespan)
    app.prefix = path_prefix(settings.public_url)
    app.metrics_port = settings.metrics_port
    app.sockets = {"/ws": open_session, "/ws/party": open_party, "/ws/daily": open_daily}
    app.state.settings = settings
    app.state.clock = clock
    app.state.metrics = metrics
    app.state.client_dir = client_dir
    app.add_middleware(SecurityHeaders, trusted_proxies=settings.trusted_proxies)
    return app


def open_store(settings: Settings) -> RoomStore:
    if not settings.sealed_texts:
        log.warning("SEALED_TEXTS is off: typed answers reach this server and its store readable")
    if settings.memory_store:
        log.warning("no REDIS_URL: rooms live in this process and end when it stops")
    return from_url(settings.redis_url or None)


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    decks = _decks(settings.decks_dir)
    store = open_store(settings)
    clock = app.state.clock
    service = Service(store, decks, settings, app.state.metrics, clock)
    hub = Hub(store, service, settings, app.state.metrics)
    # Per-address limits live in the store: on Redis, shared by every instance.
    limiter = SharedLimiter(store, "join", settings.join_fail_rate, settings.join_fail_burst)
    app.state.create_limiter = SharedLimiter(
        store, "create", settings.create_rate, settings.create_burst
    )
    app.state.upload_limiter = SharedLimiter(
        store, "upload", settings.upload_rate, settings.upload_burst
    )
    app.state.shared = Shared(settings, service, hub, limiter)
    app.state.service = service
    app.state.hub = hub
    tasks = [asyncio.create_task(hub.run()), asyncio.create_task(_presence_loop(hub))]
    tasks += start_parties(app)  # party rooms: server/http/party_routes.py
    tasks += start_daily(app, store, decks, clock)  # daily spaces: server/http/daily.py
    await asyncio.sleep(0)  # let the subscriber subscribe before we serve anyone
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(store.wait_subscribed(), 5.0)
    try:
        yield
    finally:
        if not hub.draining:
            await hub.drain(settings.shutdown_grace)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await store.close()


@functools.lru_cache(maxsize=4)
def _decks(folder: str) -> dict[str, Deck]:
    # Decks are immutable once loaded; validating them is the slow part of start-up.
    return load_decks(folder or None)


async def _presence_loop(hub: Hub) -> None:
    # Every local seat renewed about every ttl / 3 seconds, spread over half of that.
    period = hub.settings.presence_ttl / 3
    while True:
        await asyncio.sleep(period / 2)
        await hub.refresh_presence(over=period / 2)


# HTTP ---------------------------------------------------------------------------------
async def index(request: Request) -> Response:
    page = request.app.state.client_dir / "index.html"
    if page.is_file():
        lang = page_words.language(request.headers.get("accept-language"))
        html = page_words.page(page.read_text(encoding="utf-8"), "couple", lang)
        return HTMLResponse(html, headers=page_words.VARY)
    return HTMLResponse(NOT_BUILT)


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def readyz(request: Request) -> Response:
    service: Service = request.app.state.service
    try:
        ok = await asyncio.wait_for(service.store.ping(), 2.0)
    except Exception:
        ok = False
    return PlainTextResponse("ready" if ok else "store unavailable", 200 if ok else 503)


async def metrics_page(request: Request) -> Response:
    """``/metrics`` on the public listener: only with ``METRICS_TOKEN`` as a bearer
    token (the metrics listener, ``METRICS_PORT``, is the usual way)."""
    token: str = request.app.state.settings.metrics_token
    given = request.headers.get("authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return PlainTextResponse("not found", 404)
    return await _render_metrics(request)


async def _render_metrics(request: Request) -> Response:
    service: Service | None = getattr(request.app.state, "service", None)
    try:
        rooms: int | None = await asyncio.wait_for(service.store.room_count(), 2.0)  # type: ignore[union-attr]
    except Exception:
        rooms = None
    text = request.app.state.metrics.render(rooms, len(asyncio.all_tasks()))
    return Response(text, media_type=CONTENT_TYPE_LATEST, headers=NO_STORE)


async def create_room(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    refused = await refused_post(request, request.app.state.create_limiter)
    if refused is not None:
        return refused
    body = await _json_body(request)
    if body is None:
        return JSONResponse({"error": "request/invalid"}, 400)
    deck, opts, kind = body
    if kind == "daily":  # a daily space (issue 22): server/http/daily.py
        return await create_daily(request, deck, opts)
    service: Service = request.app.state.service
    try:
        async with asyncio.timeout(settings.reply_deadline):  # a hung store: 503 in time
            created = await service.create_room(
                deck,
                name=opts.get("name"),  # type: ignore[arg-type]
                language=opts.get("language"),  # type: ignore[arg-type]
                light_mode=bool(opts.get("light_mode", False)),
                played=opts.get("played") or (),  # type: ignore[arg-type]
                first_card=opts.get("first_card"),  # type: ignore[arg-type]
            )
    except (TimeoutError, GameError, Refused) as exc:
        return errors_response(exc)
    base = settings.public_url.rstrip("/") or _origin(request)
    return JSONResponse(
        {"code": created.code, "invite_url": f"{base}/#join={created.code}.{created.invite}",
         "seat": 0, "token": created.token},
        201,
        headers={"Cache-Control": "no-store"},
    )  # fmt: skip


def _origin(request: Request) -> str:
    """This site's address as the client saw it (https behind a TLS proxy), with the
    prefix it came under."""
    return site_address(request, request.app.state.settings.trusted_proxies)


LIVE_OPTIONS = {"light_mode": bool, "language": str, "name": str, "played": list, "first_card": str}
DAILY_OPTIONS = {"language": str, "name": str, "tz": str, "day_start": int}


async def _json_body(request: Request) -> tuple[str, dict[str, object], str] | None:
    """(deck, settings, kind) of a create request; None when it is not one."""
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            return None
    try:
        body = json.loads(raw or b"null")
    except (ValueError, RecursionError):
        return None
    if not isinstance(body, dict) or not isinstance(body.get("deck"), str):
        return None
    kind = body.get("kind", "live")
    if kind not in ("live", "daily"):
        return None
    allowed: dict[str, type] = DAILY_OPTIONS if kind == "daily" else LIVE_OPTIONS
    opts = body.get("settings") or {}
    if not isinstance(opts, dict) or set(opts) - set(allowed):
        return None
    for key, type_ in allowed.items():
        value = opts.get(key)
        wrong = not isinstance(value, type_) or isinstance(value, bool) != (type_ is bool)
        if value is not None and wrong:
            return None
    if not all(isinstance(p, str) for p in opts.get("played") or ()):
        return None
    return body["deck"], opts, kind
