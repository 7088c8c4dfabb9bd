"""Security headers on every HTTP response (WebSockets skip middleware)."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.ratelimit import request_scheme

HOST_RE = re.compile(r"[A-Za-z0-9.:\[\]-]{1,255}")
# What the client uses (keeping the screen on, the share sheet, copying the invite
# link) is allowed for the site itself; what it never needs is denied to every frame.
PERMISSIONS_POLICY = (
    "screen-wake-lock=(self), web-share=(self), clipboard-write=(self), camera=(), "
    "microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "interest-cohort=()"
)
# Over https only: a browser then refuses plain http to this host for a year.
HSTS = b"max-age=31536000"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self' {ws}; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeaders:
    """A strict Content-Security-Policy (no inline scripts) on every HTML response; a
    Permissions-Policy everywhere; HSTS on responses served over https (directly, or
    by a trusted proxy that says so in ``X-Forwarded-Proto``), never over http."""

    def __init__(self, app: ASGIApp, trusted_proxies: tuple[str, ...] = ()) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies

    def https(self, scope: Scope, headers: dict[bytes, bytes]) -> bool:
        proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1")
        peer = (scope.get("client") or ("", 0))[0]
        scheme = request_scheme(scope.get("scheme", "http"), peer, proto, self.trusted_proxies)
        return scheme == "https"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = dict(scope.get("headers") or [])
        host = request_headers.get(b"host", b"").decode("latin-1")
        host = host if HOST_RE.fullmatch(host) else ""  # it goes into a header: no ';'
        csp = CSP.format(ws=f"ws://{host} wss://{host}" if host else "").encode()
        https = self.https(scope, request_headers)

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                ctype = dict(headers).get(b"content-type", b"")
                if ctype.startswith(b"text/html"):
                    headers.append((b"content-security-policy", csp))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                headers.append((b"permissions-policy", PERMISSIONS_POLICY.encode()))
                if https:
                    headers.append((b"strict-transport-security", HSTS))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, wrapped)
