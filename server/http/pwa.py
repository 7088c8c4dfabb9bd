"""The installable web app's files, from the built client (web-client/dist):

- ``/manifest.webmanifest`` the web app manifest (``application/manifest+json``);
- ``/sw.js`` the service worker. Served from the site's root (under a path prefix, the
  prefix's root), so its scope is the whole client and it needs no
  ``Service-Worker-Allowed`` header;
- ``/offline.html`` the page the worker shows when the server cannot be reached.

All three are revalidated on every use (``no-cache``): a new build's worker must reach
the browser as soon as the server runs it, so no client outlives its server. The
manifest's description follows the browser's language (``server.http.page_words``), so
it varies by ``Accept-Language``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from server.http import page_words

REVALIDATE = {"Cache-Control": "no-cache"}
MANIFEST = "manifest.webmanifest"
FILES = {
    "/manifest.webmanifest": (MANIFEST, "application/manifest+json"),
    "/sw.js": ("sw.js", "text/javascript; charset=utf-8"),
    "/offline.html": ("offline.html", "text/html; charset=utf-8"),
}


def pwa_routes() -> list[BaseRoute]:
    return [Route(path, _endpoint(name, media)) for path, (name, media) in FILES.items()]


def _endpoint(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        path: Path = request.app.state.client_dir / name
        if not path.is_file():
            return PlainTextResponse("not found", 404)  # the client is not built
        if name == MANIFEST:  # its description in the browser's language (issue 24)
            lang = page_words.language(request.headers.get("accept-language"))
            text = page_words.manifest(path.read_text(encoding="utf-8"), lang)
            return Response(text, media_type=media_type, headers={**REVALIDATE, **page_words.VARY})
        return FileResponse(path, media_type=media_type, headers=REVALIDATE)

    return serve
