"""One socket as the fan-out sees it: a bounded writer. The HTTP shell supplies the
``send`` and ``close`` of the real socket; nothing here knows Starlette.

A connection whose queue overflows is dropped with 4004 (it reconnects and resyncs),
so one stuck client never stalls the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable, Coroutine, Generator, Iterator, Mapping
from typing import Any, Protocol

from server.errors import CloseCode

Frame = bytes | str
# Seconds the frames queued before a close have to leave; past that, the close is forced
# (a client that does not read would hold it back for good).
CLOSE_BEHIND = 2.0
# The knocker's own socket claims its admission: (room, request, name).
OnAdmit = Callable[[str, str, str], Awaitable[None]]
_ids = itertools.count(1)


class Encoder(Protocol):
    """A socket's codec as the writer needs it (``wire.frames.Codec`` is one)."""

    def encode(self, message: Mapping[str, object]) -> Frame: ...


class Conn:
    """One socket as the relay sees it. The I/O shell supplies ``send`` and ``close``.

    A frame is handed to ``send`` at once when nothing is pending: a writable socket
    takes it without waiting, and no task is made. A send that has to wait (flow
    control: the client reads slowly) is finished by a writer task, and later frames
    wait behind it in a bounded list that the same task drains; the task exists only
    while frames are pending, so an idle connection holds none.

    Inside ``together()`` (code with no ``await`` in it: a move's reply and its state)
    frames are held, then leave together: through ``send_many`` in one write to the
    socket when the shell can do that, else one by one."""

    __slots__ = (
        "_close",
        "_send",
        "broken",
        "closer",
        "closing",
        "codec",
        "corked",
        "deck_apart",
        "deck_key",
        "id",
        "knock",
        "knocks_shown",
        "limit",
        "on_admit",
        "on_slow",
        "partner_online",
        "pending",
        "presence_told",
        "replaced",
        "room_id",
        "seat",
        "send_many",
        "token_digest",
        "version",
        "writer",
    )

    def __init__(
        self,
        codec: Encoder,
        send: Callable[[Frame], Coroutine[Any, Any, None]],
        close: Callable[[int], Awaitable[None]],
        queue_size: int,
        instance: str,
        *,
        send_many: Callable[[list[Frame]], bool] | None = None,
    ) -> None:
        self.id = f"{instance}.{next(_ids)}"
        self.codec = codec
        self._send = send
        self._close = close
        # Writes several frames at once if the socket takes them now (True), else
        # does nothing (False); None: the shell cannot.
        self.send_many = send_many
        self.corked: list[Frame] | None = None
        self.limit = queue_size
        self.pending: list[Frame | int] = []  # frames not yet handed to send; a close code
        self.room_id: str | None = None
        self.seat: int | None = None
        self.version: int | None = None  # the last room version sent to this socket
        self.closing = False
        self.broken = False  # a send failed: the socket is gone, the reader will notice
        self.replaced = False
        self.knock: tuple[str, str, str] | None = None  # (room, request, name)
        self.knocks_shown: set[str] | None = None  # seat 0: requests shown on this socket
        self.partner_online = False  # what this socket was last told of its partner
        self.presence_told = 0  # presence messages pushed by the fan-out (see tell_presence)
        self.token_digest: str | None = None  # of the seat token this socket was given
        self.writer: asyncio.Task[None] | None = None  # while frames are pending
        self.closer: asyncio.Task[None] | None = None
        self.on_slow: Callable[[], None] = _nothing
        # Protocol 1.1: views leave out the deck part, sent once per (deck, language).
        self.deck_apart = False
        self.deck_key: tuple[str, str, str] | None = None  # the deck part this socket has
        self.on_admit: OnAdmit | None = None

    def show_knock(self, request: str, message: Mapping[str, object]) -> None:
        """Each knock once: one recorded while this socket said hello comes both in the
        list of waiting knocks and as it is announced."""
        shown = self.knocks_shown = self.knocks_shown or set()
        if request not in shown:
            shown.add(request)
            self.push(message)

    def tell_presence(self, message: Mapping[str, object], online: bool) -> None:
        """The partner's presence, as a broker message (or its expiry) says it now. Counted:
        a store read of presence begun before it is older, and must not follow it."""
        self.partner_online = online
        self.presence_told += 1
        self.push(message)

    def push(self, message: Mapping[str, object]) -> bool:
        return self.push_frame(self.codec.encode(message))

    def push_frame(self, frame: Frame) -> bool:
        """Queue a frame; False (and the connection is being dropped) when it is full."""
        if self.closing or self.broken:
            return False
        if self.writer is None:  # nothing pending (a writer exists while anything is)
            if self.corked is not None:
                self.corked.append(frame)
                return True
            return self._send_now(frame)
        if len(self.pending) >= self.limit:
            self.on_slow()
            self.shut(CloseCode.TOO_SLOW, force=True)
            return False
        self._queue(frame)
        return True

    @contextlib.contextmanager
    def together(self) -> Iterator[None]:
        """Frames pushed inside leave together when it ends (see the class)."""
        if self.send_many is None or self.corked is not None:
            yield  # nothing to gather into, or already gathering
            return
        self.corked = []
        try:
            yield
        finally:
            self._uncork()

    def _uncork(self) -> None:
        held, self.corked = self.corked, None
        if not held:
            return
        if len(held) > 1 and self.writer is None and not (self.closing or self.broken):
            assert self.send_many is not None
            try:
                if self.send_many(held):
                    return
            except Exception:  # the socket went away under us: the reader will notice
                self.broken = True
                return
        for frame in held:  # one at a time, as if never held
            self.push_frame(frame)

    def _send_now(self, frame: Frame) -> bool:
        """Run the send up to its first wait; a send that must wait is finished by a
        writer task, with the same outcome as if the task had started it."""
        step = self._send(frame)
        try:
            waiting = step.send(None)
        except StopIteration:
            return True
        except Exception:  # the socket went away under us: the reader will notice
            self.broken = True
            return False
        self.writer = asyncio.get_running_loop().create_task(self._drain(step, waiting))
        return True

    def _queue(self, item: Frame | int) -> None:
        self.pending.append(item)
        if self.writer is None:
            self.writer = asyncio.get_running_loop().create_task(self._drain())

    def shut(self, code: int, *, force: bool = False) -> None:
        """Close after the frames already queued, or at once when ``force`` (a stuck
        client: its writer may be blocked in a send that never finishes)."""
        if self.closing:
            return
        self._uncork()  # what was said before the close goes first
        self.closing = True
        if not force and not self.broken and len(self.pending) < self.limit:
            self._queue(code)
            asyncio.get_running_loop().call_later(CLOSE_BEHIND, self._overdue, code)
            return
        self._force(code)

    def _overdue(self, code: int) -> None:
        """The close still waits behind frames nobody reads: made now."""
        if self.pending and self.pending[-1] == code and self.closer is None:
            self._force(code)

    def _force(self, code: int) -> None:
        self.pending.clear()
        writer = self.writer
        if writer is not None:
            writer.cancel()
        self.closer = asyncio.create_task(self._close_after(writer, code))

    async def _close_after(self, writer: asyncio.Task[None] | None, code: int) -> None:
        if writer is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await writer
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._close(code), 1.0)

    async def _drain(
        self, step: Coroutine[Any, Any, None] | None = None, waiting: Any = None
    ) -> None:
        pending = self.pending
        try:
            if step is not None:
                await _finish(step, waiting)
            while pending:
                item = pending.pop(0)
                if isinstance(item, int):
                    pending.clear()
                    await self._close(item)
                    return
                await self._send(item)
        except Exception:  # the socket went away under us: the reader will notice
            self.broken = True
            pending.clear()
        finally:
            if self.writer is asyncio.current_task():
                self.writer = None

    async def finished(self) -> None:
        """Wait until the writer (and any forced close) is done."""
        for task in (self.writer, self.closer):
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def stop(self) -> None:
        writer = self.writer
        if writer is not None:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await writer


def _nothing() -> None:
    return None


class _Pass:
    """Awaiting it yields ``item`` to the running task, as the coroutine that produced
    it would have: the task waits for that future, then resumes us."""

    __slots__ = ("item",)

    def __init__(self, item: Any) -> None:
        self.item = item

    def __await__(self) -> Generator[Any, None, None]:
        yield self.item


async def _finish(step: Coroutine[Any, Any, None], waiting: Any) -> None:
    """Drive ``step``, a coroutine already run up to a wait that yielded ``waiting``, to
    its end inside the current task (what the task would have done had it started it)."""
    try:
        while True:
            await _Pass(waiting)
            try:
                waiting = step.send(None)
            except StopIteration:
                return
    finally:
        step.close()  # cancelled while it waited: end it (no-op once it has returned)
