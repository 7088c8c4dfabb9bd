"""A bound on the time a request head may take (an HTTP request's or a WebSocket
handshake's): uvicorn holds a connection that sends its head a byte at a time, or
nothing at all, for as long as the client likes. The limit is ``HANDSHAKE_TIMEOUT``."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol


def http_protocol(timeout: float) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol (httptools or h11), closing a connection whose request
    head is not complete ``timeout`` seconds after it opened or after the previous
    response ended (keep-alive)."""

    class Bounded(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
        # The pending timer holds this protocol (its parser, the request's scope and
        # headers) until it fires: one left armed past a WebSocket upgrade kept ~6 KiB a
        # socket for ``timeout`` seconds, and a burst of handshakes left that much more
        # RSS behind for good (30 against 24 KiB a socket at 10,000 idle). So the timer
        # goes as soon as the head is no longer ours to bound.
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def handle_websocket_upgrade(self, *args: Any) -> None:
            self._disarm()
            super().handle_websocket_upgrade(*args)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(timeout, self._head_due, self.cycle)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_due(self, cycle: object) -> None:
            self._head_timer = None
            # Still ours (not upgraded to a WebSocket) and no new request head since.
            transport = self.transport
            ours = transport.get_protocol() is self and self.cycle is cycle
            if ours and not transport.is_closing():
                transport.close()

    return Bounded
