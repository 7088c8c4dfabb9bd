"""A local stand-in for a browser's push service (no push service is reachable from a
test machine): a tiny Starlette app on 127.0.0.1 that records every request it gets and
answers each path with the status the test set, and a real subscription keypair to
decrypt what it received (RFC 8291, aes128gcm, with http_ece: pywebpush's own).

    async with LocalPushService() as service:
        sub = Subscriber.new()
        info = sub.info(service.url("/s/abc"))     # what a browser would hand the page
        ...                                         # something sends to it
        plain = sub.decrypt(service.received[0].body)
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import http_ece
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support.servers import HOST, free_port


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@dataclass(frozen=True)
class VapidKeys:
    """An operator's VAPID pair, as ``npx web-push generate-vapid-keys`` prints it."""

    public: str
    private: str

    @classmethod
    def new(cls) -> VapidKeys:
        key = ec.generate_private_key(ec.SECP256R1())
        scalar = key.private_numbers().private_value.to_bytes(32, "big")
        return cls(b64url(point(key)), b64url(scalar))


@dataclass(frozen=True)
class Subscriber:
    """A browser's side of a subscription: its P-256 key and 16 random auth bytes."""

    key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def new(cls) -> Subscriber:
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    def info(self, endpoint: str) -> dict[str, Any]:
        """``PushSubscription.toJSON()`` for ``endpoint``."""
        keys = {"p256dh": b64url(point(self.key)), "auth": b64url(self.auth)}
        return {"endpoint": endpoint, "expirationTime": None, "keys": keys}

    def decrypt(self, body: bytes) -> bytes:
        plain: bytes = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return plain


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class LocalPushService:
    """``statuses[path]``: the answer for that path (201 by default); a path in
    ``hang`` is never answered (until the service stops)."""

    statuses: dict[str, int] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    hang: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    port: int = field(default_factory=free_port)

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    async def _endpoint(self, request: Request) -> Response:
        path = request.url.path
        self.received.append(Received(path, dict(request.headers), await request.body()))
        if path in self.hang:
            await self._stopping.wait()
        if path in self.redirects:
            return Response(status_code=307, headers={"location": self.url(self.redirects[path])})
        return Response(status_code=self.statuses.get(path, 201))

    async def __aenter__(self) -> LocalPushService:
        self._stopping = asyncio.Event()
        app = Starlette(routes=[Route("/{rest:path}", self._endpoint, methods=["POST"])])
        config = uvicorn.Config(app, host=HOST, port=self.port, log_config=None,
                                log_level="warning", lifespan="off")  # fmt: skip
        self._server = _Quiet(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                await self._task
                raise RuntimeError("the local push service did not start")
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._stopping.set()
        self._server.should_exit = True
        await asyncio.wait_for(self._task, 10)


class _Quiet(uvicorn.Server):
    """Leaves the test runner's signal handlers alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield
