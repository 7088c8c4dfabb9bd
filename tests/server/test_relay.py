"""The relay's per-connection queue: frames go out in order through one writer; a
client that stops reading is dropped instead of stalling anyone."""

from __future__ import annotations

import asyncio
import json

import pytest

from decks.catalog import load_decks
from server import tokens
from server.fanout import hub as relay
from server.fanout.conn import Conn, Frame
from server.fanout.hub import Hub
from server.http.shared import Shared
from server.http.ws import Session
from server.metrics import Metrics
from server.ratelimit import SharedLimiter
from server.rooms.service import Seated, Service
from server.settings import Settings
from server.store.memory import MemoryStore
from server.wire import broker, protocol
from server.wire.protocol import CloseCode, Codec

DECKS = load_decks()


class Socket:
    def __init__(self, stuck: bool = False) -> None:
        self.sent: list[Frame] = []
        self.closed: list[int] = []
        self.stuck = stuck

    async def send(self, frame: Frame) -> None:
        if self.stuck:
            await asyncio.Event().wait()  # a client that never reads: send never returns
        self.sent.append(frame)

    async def close(self, code: int) -> None:
        self.closed.append(code)


def conn_on(sock: Socket, queue: int = 4) -> Conn:
    conn = Conn(Codec(protocol.SUBPROTOCOL_JSON), sock.send, sock.close, queue, "test")
    return conn


async def test_frames_go_out_in_order_then_the_close() -> None:
    sock = Socket()
    conn = conn_on(sock)
    for n in range(3):
        assert conn.push(protocol.ack(n, n))
    conn.shut(CloseCode.REPLACED)
    assert conn.writer is not None
    await asyncio.wait_for(conn.writer, 1)
    assert [f'"re":{n},' in str(f) for n, f in enumerate(sock.sent)] == [True] * 3
    assert sock.closed == [CloseCode.REPLACED]
    assert not conn.push(protocol.ack(9, 9))  # nothing after closing


async def test_a_client_that_stops_reading_is_dropped_with_4004() -> None:
    sock = Socket(stuck=True)
    conn = conn_on(sock, queue=4)
    dropped: list[bool] = []
    conn.on_slow = lambda: dropped.append(True)
    results = [conn.push(protocol.ack(0, 0))]
    await asyncio.sleep(0)  # the writer takes it and blocks in send
    results += [conn.push(protocol.ack(n, n)) for n in range(1, 7)]
    assert results[:5] == [True] * 5  # one in the stuck send, four queued
    assert results[5] is False and dropped == [True]
    await asyncio.wait_for(conn.finished(), 2)
    assert sock.closed == [CloseCode.TOO_SLOW]


async def test_a_full_queue_still_closes_when_asked() -> None:
    sock = Socket(stuck=True)
    conn = conn_on(sock, queue=2)
    conn.push(protocol.ack(0, 0))
    await asyncio.sleep(0)  # the writer blocks in send; the queue fills up
    assert conn.push(protocol.ack(1, 1)) and conn.push(protocol.ack(2, 2))
    conn.shut(CloseCode.GOING_AWAY)  # no room for the close in the queue: forced
    await asyncio.wait_for(conn.finished(), 2)
    assert sock.closed == [CloseCode.GOING_AWAY]


async def test_a_writable_socket_takes_a_frame_at_once_without_a_writer_task() -> None:
    sock = Socket()
    conn = conn_on(sock)
    assert conn.push(protocol.ack(1, 1))
    assert len(sock.sent) == 1 and conn.writer is None  # sent in the call itself


class GatedSocket(Socket):
    """The first send waits until the gate opens (a client reading slowly)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.cleaned_up = False

    async def send(self, frame: Frame) -> None:
        if not self.sent and not self.gate.is_set():
            try:
                await self.gate.wait()
            finally:
                self.cleaned_up = True
        self.sent.append(frame)


async def test_a_send_that_must_wait_is_finished_by_a_task_with_later_frames_in_order() -> None:
    sock = GatedSocket()
    conn = conn_on(sock)
    for n in range(3):
        assert conn.push(protocol.ack(n, n))
    assert sock.sent == [] and conn.writer is not None and len(conn.pending) == 2
    await asyncio.sleep(0.01)
    assert sock.sent == []  # still waiting for the client
    sock.gate.set()
    await asyncio.wait_for(conn.finished(), 1)
    assert [json.loads(str(f))["re"] for f in sock.sent] == [0, 1, 2]
    assert conn.writer is None and conn.pending == []
    assert conn.push(protocol.ack(3, 3)) and len(sock.sent) == 4  # at once again


async def test_a_waiting_send_is_ended_when_the_connection_is_forced_shut() -> None:
    sock = GatedSocket()
    conn = conn_on(sock)
    conn.push(protocol.ack(0, 0))
    await asyncio.sleep(0)
    conn.shut(CloseCode.TOO_SLOW, force=True)
    await asyncio.wait_for(conn.finished(), 1)
    assert sock.cleaned_up and sock.sent == [] and sock.closed == [CloseCode.TOO_SLOW]


async def test_a_send_that_fails_marks_the_socket_gone_and_later_frames_are_refused() -> None:
    class Gone(Socket):
        async def send(self, frame: Frame) -> None:
            raise OSError("reset by peer")

    conn = conn_on(Gone())
    assert conn.push(protocol.ack(0, 0)) is False
    assert conn.broken and conn.push(protocol.ack(1, 1)) is False


class Batching(Socket):
    """A socket that can also take several frames in one write, when ``accepts``."""

    def __init__(self, accepts: bool = True) -> None:
        super().__init__()
        self.accepts = accepts
        self.batches: list[list[Frame]] = []

    def send_many(self, frames: list[Frame]) -> bool:
        if not self.accepts:
            return False
        self.batches.append(list(frames))
        self.sent.extend(frames)
        return True


def corked_conn(sock: Batching) -> Conn:
    return Conn(Codec(protocol.SUBPROTOCOL_JSON), sock.send, sock.close, 4, "test",
                send_many=sock.send_many)  # fmt: skip


def res(frames: list[Frame]) -> list[object]:
    return [json.loads(str(f))["re"] for f in frames]


async def test_frames_pushed_while_corked_leave_together_in_one_write() -> None:
    sock = Batching()
    conn = corked_conn(sock)
    with conn.together():
        assert conn.push(protocol.ack(1, 1)) and conn.push(protocol.ack(2, 2))
        assert sock.sent == []  # held
    assert [res(b) for b in sock.batches] == [[1, 2]]
    assert conn.push(protocol.ack(3, 3)) and res(sock.sent) == [1, 2, 3]  # at once again


async def test_corked_frames_go_one_by_one_in_order_when_the_socket_declines_a_batch() -> None:
    sock = Batching(accepts=False)
    conn = corked_conn(sock)
    with conn.together():
        conn.push(protocol.ack(1, 1))
        conn.push(protocol.ack(2, 2))
    assert sock.batches == [] and res(sock.sent) == [1, 2]


async def test_a_close_while_corked_sends_the_held_frames_before_it() -> None:
    sock = Batching()
    conn = corked_conn(sock)
    with conn.together():
        conn.push(protocol.ack(1, 1))
        conn.push(protocol.ack(2, 2))
        conn.shut(CloseCode.REPLACED)
    await asyncio.wait_for(conn.finished(), 1)
    assert res(sock.sent) == [1, 2] and sock.closed == [CloseCode.REPLACED]


async def test_a_batch_write_that_fails_marks_the_socket_gone() -> None:
    sock = Batching()

    def reset(frames: list[Frame]) -> bool:
        raise OSError("reset by peer")

    conn = Conn(Codec(protocol.SUBPROTOCOL_JSON), sock.send, sock.close, 4, "test",
                send_many=reset)  # fmt: skip
    with conn.together():
        conn.push(protocol.ack(1, 1))
        conn.push(protocol.ack(2, 2))
    assert conn.broken and conn.push(protocol.ack(3, 3)) is False


async def test_a_shell_without_batch_writes_never_holds_frames() -> None:
    sock = Socket()
    conn = conn_on(sock)
    with conn.together():
        conn.push(protocol.ack(1, 1))
        assert res(sock.sent) == [1]  # not held: nothing could send it any sooner


# the hub's per-room entries ------------------------------------------------------------
async def hub_with_room() -> tuple[Hub, MemoryStore, str]:
    store = MemoryStore(background_sweep=False)
    service = Service(store, DECKS, Settings())
    hub = Hub(store, service, Settings(), Metrics())
    created = await service.create_room("closer", name="Ana", language=None, light_mode=False)
    return hub, store, created.code


async def seat_on(
    hub: Hub, store: MemoryStore, room_id: str, seat: int, sock: Socket | None = None
) -> Conn:
    conn = conn_on(sock or Socket(), queue=16)
    hub.add(conn)
    room = await hub.room_source.fresh(room_id, None)
    assert room is not None
    await hub.bind(conn, room_id, seat, room)
    return conn


async def test_a_seat_taken_over_elsewhere_leaves_no_room_entry_behind() -> None:
    hub, store, code = await hub_with_room()
    conn = await seat_on(hub, store, code, 0)
    assert code in hub.rooms
    # Another instance claims seat 0: this socket is replaced, then goes away.
    await hub.route(code, broker.encode(broker.Claim(0, "elsewhere.1")))
    await hub.remove(conn)
    assert hub.rooms == {}
    await store.close()


async def test_delivering_a_room_without_local_seats_remembers_nothing() -> None:
    hub, store, code = await hub_with_room()
    room = await hub.room_source.fresh(code, None)
    assert room is not None
    hub.deliver(room)
    assert hub.rooms == {}
    await store.close()


async def test_a_knocker_gone_while_its_admission_is_claimed_is_not_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hub, store, code = await hub_with_room()
    service = hub.room_source
    assert isinstance(service, Service)
    limiter = SharedLimiter(store, "join", 1, 1)
    knocker = conn_on(Socket(), queue=16)
    session = Session(Shared(Settings(), service, hub, limiter), knocker, "127.0.0.1")
    admission = session.admission
    knocker.on_admit = session._admitted  # as its knock sets it
    hub.add(knocker)
    request, recorded = await admission.knock(code, "Bo")
    assert recorded
    hub.expect_admission(knocker, code, request, "Bo")
    await admission.answer(code, 0, request, True)
    claim = admission.claim

    claimed: list[str] = []

    async def socket_closes_meanwhile(room_id: str, req: str, name: str) -> Seated | None:
        claimed.append(req)
        await hub.remove(knocker)
        return await claim(room_id, req, name)

    monkeypatch.setattr(admission, "claim", socket_closes_meanwhile)
    await hub.route(code, broker.encode(broker.Admit(request, True)))
    assert claimed == [request]  # the knocker's own session claimed it
    assert hub.rooms == {} and hub.knockers == {}
    await store.close()


class Ticking:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_partner_whose_instance_died_is_shown_away_once_its_presence_expires() -> None:
    clock = Ticking()
    store = MemoryStore(clock=clock, background_sweep=False)
    service = Service(store, DECKS, Settings())
    hub = Hub(store, service, Settings(presence_ttl=90), Metrics())
    code = (await service.create_room("closer", name="A", language=None, light_mode=False)).code
    sock = Socket()
    conn = Conn(Codec(protocol.SUBPROTOCOL_JSON), sock.send, sock.close, 16, "test")
    hub.add(conn)
    state = await service.load(code)
    assert state is not None
    await hub.bind(conn, code, 0, state.room)
    # Seat 1 is held on another instance, which then dies without a word.
    await store.set_presence(code, 1, True, 90)
    await hub.route(code, broker.encode(broker.Presence(1, True)))

    async def told() -> list[object]:
        await asyncio.sleep(0.05)
        return [m for m in map(json.loads, map(str, sock.sent)) if m["t"] == "presence"]

    await hub.refresh_presence()
    assert await told() == [{"t": "presence", "seat": 1, "online": True}]
    clock.now += 100  # past the dead instance's presence deadline
    await hub.refresh_presence()
    await hub.refresh_presence()  # said once, not at every refresh
    assert (await told())[1:] == [{"t": "presence", "seat": 1, "online": False}]
    await conn.stop()
    await store.close()


async def test_a_claim_from_an_older_socket_elsewhere_does_not_close_the_newest() -> None:
    store = MemoryStore(background_sweep=False)
    service = Service(store, DECKS, Settings())
    hub = Hub(store, service, Settings(), Metrics())
    created = await service.create_room("closer", name="Ana", language=None, light_mode=False)
    # Two sockets of seat 0 say hello at once, one here and one on another instance;
    # the one here came second, so it holds the current token.
    elsewhere = await service.resume(created.code, created.token, None)
    here = await service.resume(created.code, elsewhere.token, None)
    sock = Socket()
    conn = conn_on(sock, queue=16)
    conn.token_digest = tokens.digest(here.token)
    hub.add(conn)
    await hub.bind(conn, created.code, 0, here.room)
    await hub.route(created.code, broker.encode(broker.Claim(0, "elsewhere.1")))
    assert not conn.closing and hub.rooms[created.code][0] is conn
    # A newer hello elsewhere (the token rotates again): now this socket is replaced.
    await service.resume(created.code, here.token, None)
    await hub.route(created.code, broker.encode(broker.Claim(0, "elsewhere.2")))
    await asyncio.wait_for(conn.finished(), 2)
    assert sock.closed == [CloseCode.REPLACED] and hub.rooms == {}
    await store.close()


async def test_presence_of_every_local_seat_is_renewed_a_chunk_at_a_time_spread_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(relay, "PRESENCE_CHUNK", 2)
    clock = Ticking()
    store = MemoryStore(clock=clock, background_sweep=False)
    service = Service(store, DECKS, Settings())
    hub = Hub(store, service, Settings(presence_ttl=90), Metrics())
    codes = []
    for _ in range(5):  # three chunks: 2, 2 and 1
        code = (await service.create_room("closer", name="A", language=None, light_mode=False)).code
        conn = conn_on(Socket(), queue=16)
        hub.add(conn)
        state = await service.load(code)
        assert state is not None
        await hub.bind(conn, code, 0, state.room)
        codes.append(code)
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    monkeypatch.setattr(relay, "_pause", pause)
    clock.now += 60
    await hub.refresh_presence(over=3.0)
    assert pauses == [1.0, 1.0]  # spread evenly: a pause between chunks
    clock.now += 60  # past the first deadline, within the renewed one
    assert [await store.presence(c) for c in codes] == [{0: True}] * 5
    clock.now += 60  # and nothing renews it now: it lapses
    assert [await store.presence(c) for c in codes] == [{}] * 5
    await store.close()


async def test_a_rooms_cached_state_is_dropped_when_its_last_local_socket_leaves() -> None:
    hub, store, code = await hub_with_room()
    first, second = conn_on(Socket(), queue=16), conn_on(Socket(), queue=16)
    service = hub.room_source
    assert isinstance(service, Service)
    state = await service.load(code)
    assert state is not None
    for conn in (first, second):  # seat 0 twice: the second socket replaces the first
        hub.add(conn)
        await hub.bind(conn, code, 0, state.room)
    await hub.remove(first)  # replaced, not the last one here
    assert service.cached(code) is not None
    await hub.remove(second)
    assert service.cached(code) is None and code not in hub.rooms
    await store.close()


async def test_a_session_and_its_socket_hold_no_cycle_unless_knocking() -> None:
    """A session whose socket pointed back at it (conn.on_admit) from the start lived
    until the collector's oldest generation ran: the 20 s soak's memory grew 8-9%."""
    hub, store, _ = await hub_with_room()
    service = hub.room_source
    assert isinstance(service, Service)
    conn = conn_on(Socket(), queue=16)
    session = Session(Shared(Settings(), service, hub, SharedLimiter(store, "j", 1, 1)), conn, "a")
    assert conn.on_admit is None
    conn.on_admit = session._admitted  # what a knock does
    await session.closed()
    assert conn.on_admit is None
    await store.close()


async def test_an_away_about_a_seats_older_socket_is_not_shown_after_a_newer_one_came() -> None:
    """A seat leaves one instance and comes back on another: the first instance's
    "away" (its store write, then its message) can arrive after the second's claim and
    "here", and showed the partner away although it was back (the mixed soak's slow
    reader, on a loaded machine). An away names the socket it is about."""
    hub, store, code = await hub_with_room()
    sock = Socket()
    ana = await seat_on(hub, store, code, 0, sock)
    sent = sock.sent

    def told() -> list[bool]:
        return [m["online"] for m in map(json.loads, map(str, sent)) if m["t"] == "presence"]

    await hub.route(code, broker.encode(broker.Claim(1, "x.1")))
    await hub.route(code, broker.encode(broker.Presence(1, True, "x.1")))
    await hub.route(code, broker.encode(broker.Claim(1, "y.7")))  # back elsewhere
    await hub.route(code, broker.encode(broker.Presence(1, True, "y.7")))
    await hub.route(code, broker.encode(broker.Presence(1, False, "x.1")))  # late
    assert told() == [True, True]
    await hub.route(code, broker.encode(broker.Presence(1, False, "y.7")))  # it goes
    await hub.route(code, broker.encode(broker.Presence(1, False)))  # an older instance
    assert told() == [True, True, False, False]
    await hub.remove(ana)
    assert hub.holders == {}
    await store.close()


def test_presence_names_its_socket_on_the_bus_and_reads_without_one() -> None:
    message = broker.Presence(1, False, "y.7")
    assert broker.decode(broker.encode(message)) == message
    assert broker.decode(broker.encode(broker.Presence(0, True))) == broker.Presence(0, True)
