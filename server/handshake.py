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
        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def _arm(self) -> None:
            self.loop.call_later(timeout, self._head_due, self.cycle)

        def _head_due(self, cycle: object) -> None:
            # Still ours (not upgraded to a WebSocket) and no new request head since.
            transport = self.transport
            ours = transport.get_protocol() is self and self.cycle is cycle
            if ours and not transport.is_closing():
                transport.close()

    return Bounded
