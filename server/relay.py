"""Fan-out on one instance: which local connection holds which seat, and routing of
broker messages (from this instance or any other) to them.

Each connection owns a bounded send queue drained by one writer task; a connection
whose queue overflows is dropped (it reconnects and resyncs), so one stuck client never
stalls the others. Views are computed and encoded once per seat.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable, Coroutine, Generator, Iterator, Mapping
from typing import Any

from game import Room, view_for
from server import logs, protocol, tokens
from server.metrics import Metrics
from server.protocol import CloseCode
from server.service import Service, ServiceError, decode_bus, encode_oob, events_for
from server.settings import Settings
from server.store.base import Snapshot, StoreUnavailable

log = logs.get("relay")
PRESENCE_CHUNK = 32  # rooms whose presence is renewed together
_pause = asyncio.sleep
Frame = bytes | str
_ids = itertools.count(1)


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
        "id",
        "knock",
        "knocks_shown",
        "limit",
        "on_slow",
        "partner_online",
        "pending",
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
        codec: protocol.Codec,
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
        self.token_digest: str | None = None  # of the seat token this socket was given
        self.writer: asyncio.Task[None] | None = None  # while frames are pending
        self.closer: asyncio.Task[None] | None = None
        self.on_slow: Callable[[], None] = _nothing

    def show_knock(self, request: str, name: str) -> None:
        """Each knock once: one recorded while this socket said hello comes both in the
        list of waiting knocks and as it is announced."""
        shown = self.knocks_shown = self.knocks_shown or set()
        if request not in shown:
            shown.add(request)
            self.push(protocol.knock(request, name))

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
            return
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


class Hub:
    def __init__(self, service: Service, settings: Settings, metrics: Metrics) -> None:
        self.service = service
        self.store = service.store
        self.settings = settings
        self.metrics = metrics
        self.instance = f"i{id(self):x}"
        self.rooms: dict[str, dict[int, Conn]] = {}
        self.knockers: dict[tuple[str, str], Conn] = {}
        self.conns: set[Conn] = set()
        self.draining = False
        self.in_flight = 0
        # Party rooms (server/party_hub.py) see every broker message too.
        self.listeners: list[
            Callable[[str, Mapping[str, Any], Snapshot | None], Awaitable[None]]
        ] = []

    # connections ----------------------------------------------------------------
    def add(self, conn: Conn) -> None:
        conn.on_slow = self._count_slow
        self.conns.add(conn)
        self.metrics.connections = len(self.conns)
        self.metrics.connections_total += 1

    def _count_slow(self) -> None:
        self.metrics.dropped_slow += 1

    async def bind(self, conn: Conn, room_id: str, seat: int, room: Room) -> None:
        """The socket now holds ``seat`` and gets ``room``'s view at once; any other
        socket holding the seat is replaced. Registration and the first state happen
        without an ``await`` between them, so no newer state can overtake the first."""
        conn.room_id, conn.seat = room_id, seat
        seats = self.rooms.setdefault(room_id, {})
        old = seats.get(seat)
        if old is not None and old is not conn:
            old.replaced = True
            old.shut(CloseCode.REPLACED)
        seats[seat] = conn
        self.send_state(conn, room, seat, None)
        await self._oob(room_id, "claim", seat=seat, conn=conn.id)
        await self._set_presence(room_id, seat, True)
        # A change committed between our load and the registration above reached
        # nobody here: catch up from the store.
        state = await self.service.load(room_id)
        if state is not None:
            self.send_state(conn, state.room, seat, None)

    async def remove(self, conn: Conn) -> None:
        self.conns.discard(conn)
        self.metrics.connections = len(self.conns)
        if conn.knock is not None:
            self.knockers.pop((conn.knock[0], conn.knock[1]), None)
        room_id, seat = conn.room_id, conn.seat
        if room_id is None or seat is None:
            return
        seats = self.rooms.get(room_id, {})
        if seats.get(seat) is conn:
            del seats[seat]
            self._forget_if_empty(room_id)
            if not conn.replaced and not self.draining:
                with contextlib.suppress(ServiceError, StoreUnavailable):
                    await self._set_presence(room_id, seat, False)

    def _forget_if_empty(self, room_id: str) -> None:
        if not self.rooms.get(room_id):
            self._forget(room_id)

    def _forget(self, room_id: str) -> None:
        # Per-room entries (and the service's cached state) live only while this
        # instance holds a seat of the room.
        self.rooms.pop(room_id, None)
        self.service.forget(room_id)

    async def _set_presence(self, room_id: str, seat: int, online: bool) -> None:
        # Presence is best effort; the broadcast below may still get through.
        with contextlib.suppress(StoreUnavailable):
            await self.store.set_presence(room_id, seat, online, self.settings.presence_ttl)
        await self._oob(room_id, "presence", seat=seat, online=online)

    async def _oob(self, room_id: str, kind: str, **fields: object) -> None:
        with contextlib.suppress(StoreUnavailable):
            await self.store.publish(room_id, encode_oob(kind, **fields))

    async def publish(self, room_id: str, kind: str, **fields: object) -> None:
        await self._oob(room_id, kind, **fields)

    async def refresh_presence(self, over: float = 0.0) -> None:
        """Renew the presence keys of local seats (they expire if this instance dies),
        a chunk of rooms at a time: the store pipelines a chunk's calls into a few round
        trips instead of one round trip per seat, one after the other. The chunks are
        spread evenly over ``over`` seconds: thousands of rooms renewed at once held
        the event loop for tens of milliseconds, and every move waited behind them."""
        rooms = list(self.rooms.items())
        chunks = range(0, len(rooms), PRESENCE_CHUNK)
        for n, start in enumerate(chunks):
            if n and over > 0:
                await _pause(over / len(chunks))
            chunk = rooms[start : start + PRESENCE_CHUNK]
            await asyncio.gather(*(self._refresh_room(r, seats) for r, seats in chunk))

    async def _refresh_room(self, room_id: str, seats: Mapping[int, Conn]) -> None:
        for seat in list(seats):
            with contextlib.suppress(StoreUnavailable):
                await self.store.set_presence(room_id, seat, True, self.settings.presence_ttl)
        with contextlib.suppress(StoreUnavailable):
            await self._notice_gone_partners(room_id, seats)

    async def _notice_gone_partners(self, room_id: str, seats: Mapping[int, Conn]) -> None:
        """A partner whose instance died never says "away": its presence entry simply
        expires. Tell the local seat once it has."""
        waiting = [(s, c) for s, c in seats.items() if c.partner_online and 1 - s not in seats]
        if not waiting:
            return
        online = await self.store.presence(room_id)
        for seat, conn in waiting:
            if not online.get(1 - seat, False):
                conn.partner_online = False
                conn.push(protocol.presence(1 - seat, False))

    # state ----------------------------------------------------------------------
    def deliver(self, room: Room, record: Mapping[str, Any] | None = None) -> None:
        """Send ``room``'s view to each local seat that has not seen this version."""
        for seat, conn in list(self.rooms.get(room.id, {}).items()):
            self.send_state(conn, room, seat, record)

    def send_state(
        self,
        conn: Conn,
        room: Room,
        seat: int,
        record: Mapping[str, Any] | None,
        events: list[dict[str, object]] | None = None,
    ) -> None:
        if conn.version is not None and conn.version >= room.version:
            return
        if events is None:
            events = events_for(record, seat) if record is not None else []
        conn.version = room.version
        conn.push(protocol.state(room.version, view_for(room, seat), events))

    async def _on_commit(
        self, room_id: str, data: Mapping[str, Any], snapshot: Snapshot | None
    ) -> None:
        seats = self.rooms.get(room_id)
        version = data.get("v")
        if not seats or not isinstance(version, int):
            return
        if all(c.version is not None and c.version >= version for c in seats.values()):
            return  # delivered already (a commit made on this instance)
        # The newest room this instance knows is the service's (every room a local
        # socket was sent passed through it); the commit's own state if newer.
        room = self.service.cached(room_id)
        if room is None or room.version < version:
            # Decoded from the message, the state also spares the next local move a
            # load; only a damaged or missing one costs a load here.
            state = await self.service.committed(room_id, snapshot)
            if state is None:
                return
            room = state.room
        record = data if room.version == version else None
        self.deliver(room, record)

    # broker ---------------------------------------------------------------------
    async def run(self) -> None:
        """The one subscriber task of this instance."""
        while True:
            try:
                async for room_id, payload, snapshot in self.store.subscribe():
                    await self.route(room_id, payload, snapshot)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("subscriber failed; resubscribing")
                await asyncio.sleep(0.5)

    async def route(self, room_id: str, payload: bytes, snapshot: Snapshot | None = None) -> None:
        """One broker message; ``snapshot`` is the state a commit wrote, if it says."""
        data = decode_bus(payload)
        if data is None:
            return
        try:
            await self._route(room_id, data, snapshot)
            for listener in self.listeners:  # party rooms
                await listener(room_id, data, snapshot)
        except (ServiceError, StoreUnavailable):
            pass  # the clients resync on their next message or reconnect
        except Exception:
            log.exception("could not route a %s message", data.get("k"))

    async def _route(
        self, room_id: str, data: Mapping[str, Any], snapshot: Snapshot | None
    ) -> None:
        kind = data["k"]
        seats = self.rooms.get(room_id, {})
        if kind == "c":
            await self._on_commit(room_id, data, snapshot)
        elif kind == "presence":
            self._to_partner(seats, data.get("seat"), protocol.presence, data.get("online"))
            partner = seats.get(1 - data["seat"]) if data.get("seat") in (0, 1) else None
            if partner is not None and isinstance(data.get("online"), bool):
                partner.partner_online = data["online"]
        elif kind == "typing":
            self._to_partner(seats, data.get("seat"), protocol.typing, data.get("on"))
        elif kind == "claim":
            await self._on_claim(room_id, data)
        elif kind == "knock" and 0 in seats:
            seats[0].show_knock(str(data.get("request")), str(data.get("name")))
        elif kind == "admit":
            await self._on_admit(room_id, data)
        elif kind == "deleted":
            for conn in list(seats.values()):
                conn.push(protocol.deleted())
                conn.replaced = True  # no "away" presence for a room that is gone
                conn.shut(CloseCode.DELETED)
            self._forget(room_id)

    async def _on_claim(self, room_id: str, data: Mapping[str, Any]) -> None:
        """Another socket took a seat held here. Every hello rotates the seat token, so
        the newest taker holds the current one: a local socket that holds it is the one
        that stays (two sockets of one seat meeting on two instances at once must not
        close each other)."""
        raw = data.get("seat")
        if raw not in (0, 1) or isinstance(raw, bool):
            return
        seat = int(raw)
        old = self.rooms.get(room_id, {}).get(seat)
        if old is None or old.id == data.get("conn"):
            return
        if old.token_digest is not None:
            try:
                current = (await self.store.secrets(room_id)).get(f"seat{seat}")
            except StoreUnavailable:
                current = None
            if current == old.token_digest:
                return  # ours is newer; the claimant gets our claim and is replaced
        seats = self.rooms.get(room_id, {})
        if seats.get(seat) is old:
            old.replaced = True
            old.shut(CloseCode.REPLACED)
            del seats[seat]
            self._forget_if_empty(room_id)

    @staticmethod
    def _to_partner(
        seats: Mapping[int, Conn],
        seat: object,
        build: Callable[[int, bool], dict[str, object]],
        flag: object,
    ) -> None:
        if seat not in (0, 1) or not isinstance(flag, bool):
            return
        assert isinstance(seat, int)
        partner = seats.get(1 - seat)
        if partner is not None:
            partner.push(build(seat, flag))

    async def _on_admit(self, room_id: str, data: Mapping[str, Any]) -> None:
        request = str(data.get("request"))
        conn = self.knockers.get((room_id, request))
        if conn is None:
            return
        if not data.get("accept"):
            self.knockers.pop((room_id, request), None)
            conn.knock = None
            self._decline(conn, "declined")
            return
        assert conn.knock is not None
        if conn not in self.conns or conn.closing:  # the knocker left: keep the seat free
            self.knockers.pop((room_id, request), None)
            return
        try:
            seated = await self.service.claim_admission(room_id, request, conn.knock[2])
        except ServiceError:  # the seat was taken meanwhile (or the room is gone)
            seated = None
        self.knockers.pop((room_id, request), None)
        conn.knock = None
        if seated is None:
            self._decline(conn, "declined")
            return
        if conn not in self.conns:  # gone while claiming: binding it would leak the room
            return
        conn.token_digest = tokens.digest(seated.token)
        conn.push(protocol.admitted(1, seated.token, room_id, seated.room.version))
        await self.bind(conn, room_id, 1, seated.room)
        self.deliver(seated.room)

    def _decline(self, conn: Conn, reason: str) -> None:
        """Tell the knocker; a socket left without a seat then has the hello timeout
        again to knock once more, or it is closed (it must not linger unbound)."""
        conn.push(protocol.declined(reason))
        asyncio.get_running_loop().call_later(self.settings.hello_timeout, _close_unbound, conn)

    def expect_admission(self, conn: Conn, room_id: str, request: str, name: str) -> None:
        conn.knock = (room_id, request, name)
        self.knockers[(room_id, request)] = conn
        asyncio.get_running_loop().call_later(
            self.settings.knock_timeout, self._knock_timeout, conn, room_id, request
        )

    def _knock_timeout(self, conn: Conn, room_id: str, request: str) -> None:
        if self.knockers.get((room_id, request)) is conn:
            del self.knockers[(room_id, request)]
            conn.knock = None
            self._decline(conn, "timeout")

    # shutdown -------------------------------------------------------------------
    async def drain(self, grace: float) -> None:
        """Graceful stop: say bye, let in-flight actions finish, close with 1001."""
        self.draining = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while self.in_flight and loop.time() < deadline:
            await asyncio.sleep(0.02)
        for conn in list(self.conns):
            conn.push(protocol.bye())
            conn.shut(CloseCode.GOING_AWAY)
        waits = [asyncio.create_task(c.finished()) for c in self.conns]
        if waits:
            await asyncio.wait(waits, timeout=max(0.1, deadline - loop.time()))


def _close_unbound(conn: Conn) -> None:
    if conn.seat is None and conn.knock is None:
        conn.shut(CloseCode.HELLO_TIMEOUT)
