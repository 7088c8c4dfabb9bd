"""Our sockets served without the ASGI round trip (``WS_DIRECT``, off by default).

uvicorn's websockets-sansio protocol, subclassed: for ``/ws``, ``/ws/party`` and
``/ws/daily`` it takes the handshake itself, with the app's rules (``App.direct_socket``:
metrics listener, Host, path prefix; ``shell.handshake``: Origin, subprotocol, client
address), then hands each complete frame to the session (``Socket.handle``) and sends
through the protocol (``http.sansio``). No ASGI events, no Starlette ``WebSocket``,
no receive loop: an idle socket holds no task. Frames are answered one at a time, in
order, as the ASGI loop does: most at once, in the protocol's callback; a move on its
hot path (``Socket.begin``: a future, no task) until its commit is answered; any other
message in a task. Every other handshake, and any
this path would refuse, goes to the ASGI app unchanged (its 403, its log line).

Kept as on the ASGI path: the frame size limit (uvicorn's ``ws_max_size``, then the
codec's ``protocol/frame_too_big`` and 1009), the UTF-8 check (1007), the per-socket
rate and flood close (``Socket.handle``), the handshake timeout (``server.handshake``:
the HTTP protocol, before the upgrade), the kernel's send buffer bound, the bounded
send queue and slow-client drop (``fanout.Conn``, 4004 and ``sansio.cut``), the hello
timeout (the session's), and the graceful stop (bye and 1001 from ``Hub.drain``).
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Awaitable, Coroutine
from typing import Any
from urllib.parse import unquote

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.datastructures import Headers
from websockets.http11 import Request

from server.fanout.conn import Frame
from server.http import sansio
from server.http.shell import Ends, Opener, Socket, handshake
from server.wire import frames

# Frames read past the one being handled before the socket stops reading (the kernel's
# buffer holds the rest, and the client's writes wait): a flood costs no memory here.
READ_AHEAD = 1


class DirectProtocol(WebSocketsSansIOProtocol):
    """See the module. State beyond uvicorn's: the session (None for a socket left to
    ASGI), the frames waiting for it, the task handling them (only while there are)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: Socket[Any] | None = None
        self.inbox: collections.deque[Frame] = collections.deque()
        self.worker: asyncio.Task[None] | None = None
        self.busy = False  # a frame is being answered (by the worker, or a future)
        self.gone = False  # the socket closed (or is closing): no more frames
        self.ended = False  # the session's end has begun

    # the handshake -------------------------------------------------------------------
    def handle_connect(self, event: Request) -> None:
        app, opener = self._route(event)
        if opener is None:
            super().handle_connect(event)
            return
        headers = event.headers
        offered = [t.strip() for h in headers.get_all("Sec-WebSocket-Protocol")
                   for t in h.split(",")]  # fmt: skip
        peer = self.client[0] if self.client else None
        allowed = handshake(app.state.settings, lambda n: _first(headers, n), peer, offered)
        if allowed is None:  # refused: the ASGI app says so, as it always has
            super().handle_connect(event)
            return
        self.request = event
        self.response = self.conn.accept(event)
        self.handshake_initiated = True
        if self.response.status_code != 101:  # not a valid handshake: as uvicorn does
            self.handshake_complete = self.close_sent = True
            self.conn.send_response(self.response)
            self.transport.write(b"".join(self.conn.data_to_send()))
            self.transport.close()
            return
        if self.transport.is_closing():
            return
        chosen, address = allowed
        self._accept(chosen, event.path.partition("?")[0])
        self.queue = _Inbox(self)  # type: ignore[assignment]
        ends = Ends(sansio.sender(self), sansio.closer(self), sansio.frames_writer(self))
        self.session = opener(app, chosen or frames.SUBPROTOCOL_MSGPACK, address, ends)
        self.session.start()

    def _route(self, event: Request) -> tuple[Any, Opener | None]:
        app: Any = self.app
        while not hasattr(app, "direct_socket") and hasattr(app, "app"):
            app = app.app  # uvicorn's middleware (the message logger at trace level)
        if not hasattr(app, "direct_socket"):
            return app, None
        path = self.root_path + unquote(event.path.partition("?")[0])
        port = self.server[1] if self.server else None
        return app, app.direct_socket(path, port, _first(event.headers, "host"))

    def _accept(self, subprotocol: str | None, path: str) -> None:
        """The 101, as uvicorn's ``websocket.accept`` writes it."""
        extra = [(k.decode("latin-1").lower(), v.decode("latin-1"))
                 for k, v in self.default_headers]  # fmt: skip
        if subprotocol:
            extra.append(("Sec-WebSocket-Protocol", subprotocol))
        del self.response.headers["Date"]
        self.response.headers.update(extra)
        self.handshake_complete = True
        self.conn.send_response(self.response)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.start_keepalive()
        client = f"{self.client[0]}:{self.client[1]}" if self.client else ""
        self.logger.info('%s - "WebSocket %s" [accepted]', client, path)
        sansio.bound_send_buffer(self)

    # frames --------------------------------------------------------------------------
    def send_receive_event_to_app(self) -> None:
        session = self.session
        if session is None:
            if self.ended:  # the session is over: nothing more is read for it
                self.frames = []
                return
            super().send_receive_event_to_app()
            return
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        if self.close_sent or self.gone or self.ended or session.conn.closing:
            return  # past our close: read on only for the peer's close reply
        frame: Frame
        if self.curr_msg_data_type == "text":
            try:
                frame = data.decode()
            except UnicodeDecodeError:
                self.logger.exception("Invalid UTF-8 sequence received from client.")
                self.conn.send_close(1007)
                self.handle_parser_exception()
                return
        else:
            frame = data if type(data) is bytes else bytes(data)
        inbox = self.inbox
        inbox.append(frame)
        if len(inbox) > READ_AHEAD and not self.read_paused:
            self.read_paused = True
            self.transport.pause_reading()
        if not self.busy:
            self._pump(session)

    def _pump(self, session: Socket[Any]) -> None:
        """The waiting frames, one at a time (one reply each, in order): those answered
        at once here, in this callback; a move on its hot path until its future is
        done; any other message in a task."""
        inbox, conn = self.inbox, session.conn
        while inbox and not conn.closing:
            step = session.begin(inbox.popleft())
            if step is None:
                continue
            self.busy = True
            if isinstance(step, asyncio.Future):
                step.add_done_callback(lambda _: self._resume(session))
            else:
                self.worker = self._task(self._work(session, step))
            return
        if conn.closing or self.gone:
            inbox.clear()
            self._end(session)
        elif self.read_paused and not self.close_sent:
            self.read_paused = False
            self.transport.resume_reading()

    def _resume(self, session: Socket[Any]) -> None:
        self.busy = False
        self._pump(session)

    async def _work(self, session: Socket[Any], step: Awaitable[None]) -> None:
        try:
            await step
        except asyncio.CancelledError:  # the server stops
            self.inbox.clear()
            self._end(session)
            raise
        finally:
            self.worker = None
            self.busy = False
        self._pump(session)

    # the end -------------------------------------------------------------------------
    def disconnected_event(self) -> None:
        """uvicorn's code (and ``sansio.cut``) said the socket is closed or closing."""
        self.gone = True
        session = self.session
        if session is not None and not self.busy:
            self._end(session)

    def _end(self, session: Socket[Any]) -> None:
        if not self.ended:
            self.ended = True
            self._task(self._finish(session))

    async def _finish(self, session: Socket[Any]) -> None:
        try:
            await session.finish()
        finally:
            self.session = None  # no cycle left through the session's writer,
            self.queue = _ENDED  # type: ignore[assignment]  # nor through the inbox
            if self.close_timer is None:  # as uvicorn does once an ASGI socket ends
                self.transport.close()

    def _task(self, step: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = self.loop.create_task(step)
        self.tasks.add(task)  # a graceful stop waits for it
        task.add_done_callback(self.on_task_complete)
        return task


class _Inbox:
    """Stands in for uvicorn's queue of ASGI events on a socket served directly: the one
    event still made is the disconnect, and it ends the session."""

    __slots__ = ("proto",)

    def __init__(self, proto: DirectProtocol | None) -> None:
        self.proto = proto  # None: the session has ended

    def put_nowait(self, message: dict[str, Any]) -> None:
        if self.proto is not None and message.get("type") == "websocket.disconnect":
            self.proto.disconnected_event()

    def empty(self) -> bool:
        return True


_ENDED = _Inbox(None)


def _first(headers: Headers, name: str) -> str | None:
    values = headers.get_all(name)
    return values[0] if values else None
