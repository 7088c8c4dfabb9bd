"""A player's connection as the protocol asks clients to behave (docs/protocol.md,
"Reconnect rules"): on a dropped socket or a ``bye`` it reconnects with backoff to any
of its URLs, resumes with the latest token and ``last_version``, and resends every
action that got no reply with the same id (applied at most once).

Used by the soak and by the scale-out tests; msgpack frames throughout."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

import httpx
import msgpack
import websockets
from websockets.asyncio.client import ClientConnection, connect

SUBPROTOCOL = "closeknit.v1.msgpack"
Msg = dict[str, Any]
# Replies that mean "the same message again, later" rather than an answer.
RETRY = {"store/unavailable", "store/busy", "server/shutting_down"}
FINAL_CLOSE = {4001, 4002}  # replaced, deleted: a client does not come back by itself


class JoinFailed(Exception):
    """The server refused the hello (``join/failed`` and the like)."""


async def create_room(base_url: str, deck: str = "closer", name: str = "Ana") -> Msg:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        response = await http.post("/api/rooms", json={"deck": deck, "settings": {"name": name}})
        response.raise_for_status()
        created: Msg = response.json()
        return created


def invite_secret(invite_url: str) -> tuple[str, str]:
    code, secret = invite_url.split("#join=", 1)[1].split(".", 1)
    return code, secret


class Seat:
    def __init__(self, urls: Sequence[str], room: str, *, token: str | None = None,
                 invite: str | None = None, name: str = "Bo",
                 catch_up: float | None = None) -> None:  # fmt: skip
        self.urls = list(urls)
        self.room = room
        self.token = token
        self.invite = invite
        self.name = name
        self.index: int | None = None
        self.view: Msg | None = None
        self.version = 0
        self.ids = itertools.count(1)
        # Another Seat may resume this seat later: its ids must not be ones the server
        # still remembers from this one (it would answer them as duplicates).
        self.page = f"{random.getrandbits(32):08x}"
        self.pending: dict[str, tuple[Msg, asyncio.Future[Msg]]] = {}
        self.changed = asyncio.Event()
        self.welcomed = asyncio.Event()
        self.ws: ClientConnection | None = None
        self.task: asyncio.Task[None] | None = None
        self.closing = False
        self.live = False  # welcomed on the current socket: actions may be sent
        self.final_close: int | None = None
        self.connects = 0
        self.byes = 0
        self.duplicates = 0
        self.errors: Counter[str] = Counter()  # unexpected: the caller decides what is
        self.retried: Counter[str] = Counter()  # RETRY replies, each retried
        self.closes: Counter[str] = Counter()  # close codes of the sockets that ended
        self.regressions = 0  # welcomes older than a state this seat already held
        # With catch_up, a seat waiting that long for a version pings (docs/protocol.md,
        # reconnect rule 7: a ping catches up a change whose notice was lost).
        self.catch_up = catch_up
        self.catch_ups = 0
        self.partner_online: bool | None = None  # the last presence heard of the partner
        self.url_index = 0
        self.instances: list[str] = []  # the URL of every connection, in order
        self.background: set[asyncio.Future[None]] = set()

    async def start(self, timeout: float = 10) -> Seat:
        self.task = asyncio.create_task(self._run())
        await self.wait_version(1, timeout)  # JoinFailed when the hello is refused
        return self

    # -- the connection loop ------------------------------------------------------------
    async def _run(self) -> None:
        delay = 0.05
        while not self.closing and self.final_close is None:
            url = self.urls[self.url_index % len(self.urls)]
            self.url_index += 1
            try:
                async with connect(url, subprotocols=[SUBPROTOCOL], compression=None,  # type: ignore[list-item]
                                   open_timeout=5, max_size=2**20) as ws:  # fmt: skip
                    self.ws = ws
                    self.connects += 1
                    self.instances.append(url)
                    await self._session(ws)
                    delay = 0.05
            except (OSError, websockets.WebSocketException, TimeoutError):
                if self.ws is None:
                    self.closes["unreachable"] += 1  # the handshake did not complete
            finally:
                if self.ws is not None:
                    self.closes[str(self.ws.close_code)] += 1
                self.ws, self.live = None, False
            if not self.closing and self.final_close is None:
                await asyncio.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 1.0)

    async def _session(self, ws: ClientConnection) -> None:
        await ws.send(_pack(self._hello()))
        async for frame in ws:
            if isinstance(frame, bytes):
                self._dispatch(ws, msgpack.unpackb(frame, raw=False))
        code = ws.close_code
        if code in FINAL_CLOSE:
            self.final_close = code
            self.changed.set()

    def _hello(self) -> Msg:
        hello: Msg = {"t": "hello", "id": f"h{next(self.ids)}", "v": "1.0", "room": self.room}
        if self.token is None:
            hello |= {"invite": self.invite, "name": self.name}
        else:
            hello |= {"token": self.token, "last_version": self.version or None}
        return hello

    def _dispatch(self, ws: ClientConnection, msg: Msg) -> None:
        kind = msg.get("t")
        if kind == "welcome":
            if msg["version"] < self.version:
                self.regressions += 1
            self.token, self.index = msg["token"], msg["seat"]
            self.live = True
            self.welcomed.set()
            for frame, _ in self.pending.values():  # resend what got no reply, same ids
                self._send_later(ws, frame, 0)
        elif kind == "state":
            if msg["version"] > self.version:
                self.version, self.view = msg["version"], msg["view"]
                self.changed.set()
        elif kind == "bye":
            self.byes += 1
        elif kind == "presence":
            self.partner_online = bool(msg["online"])
            self.changed.set()
        elif "re" in msg:
            self._reply(ws, msg)

    def _reply(self, ws: ClientConnection, msg: Msg) -> None:
        entry = self.pending.get(msg["re"]) if msg["re"] is not None else None
        code = msg.get("code")
        if entry is None:
            if msg.get("t") == "error" and str(msg.get("re", "")).startswith("h"):
                if code in RETRY:
                    self.retried[str(code)] += 1
                    if code != "server/shutting_down":  # the hello again (rule 6)
                        self._send_later(ws, self._hello(), 0.2)
                    return  # on shutdown the socket is going away: the next goes elsewhere
                self.final_close = 0
                self.errors[f"hello/{code}"] += 1
                self.changed.set()
            elif msg.get("t") == "error":
                self.errors[str(code)] += 1
            return
        frame, future = entry
        if code in RETRY:
            self.retried[str(code)] += 1
            if code != "server/shutting_down":
                self._send_later(ws, frame, 0.05)
            return  # on shutdown, the resend follows the next welcome
        del self.pending[msg["re"]]
        if msg.get("duplicate"):
            self.duplicates += 1
        if not future.done():
            future.set_result(msg)

    def _send_later(self, ws: ClientConnection, frame: Msg, delay: float) -> None:
        async def send() -> None:
            await asyncio.sleep(delay)
            with contextlib.suppress(websockets.ConnectionClosed):
                await ws.send(_pack(frame))

        task = asyncio.ensure_future(send())
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    # -- what a player does -------------------------------------------------------------
    async def act(self, action: str, timeout: float = 15, **fields: Any) -> Msg:
        """Send an action and wait for its ``ack`` or ``error`` across reconnects."""
        msg_id = f"a{next(self.ids)}-{self.page}"
        frame = {"t": "act", "id": msg_id, "a": action, **fields}
        future: asyncio.Future[Msg] = asyncio.get_running_loop().create_future()
        self.pending[msg_id] = (frame, future)
        if self.ws is not None and self.live:
            with contextlib.suppress(websockets.ConnectionClosed):
                await self.ws.send(_pack(frame))
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self.pending.pop(msg_id, None)

    async def wait_version(self, version: int, timeout: float = 10) -> Msg:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.version < version:
            if self.final_close is not None:
                raise JoinFailed(f"connection ended ({self.final_close}); {dict(self.errors)}")
            self.changed.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"version {version} not seen (have {self.version})")
            wait = remaining if self.catch_up is None else min(remaining, self.catch_up)
            try:
                await asyncio.wait_for(self.changed.wait(), wait)
            except TimeoutError:
                self._ping()
        assert self.view is not None
        return self.view

    def _ping(self) -> None:
        if self.catch_up is not None and self.ws is not None and self.live:
            self.catch_ups += 1
            self._send_later(self.ws, {"t": "ping", "id": f"p{next(self.ids)}"}, 0)

    async def drop(self) -> None:
        """Lose the network abruptly (no close frame): the loop reconnects."""
        ws = self.ws
        if ws is not None and ws.transport is not None:
            ws.transport.abort()

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self.task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.task, 5)
            if not self.task.done():
                self.task.cancel()


def _pack(msg: Msg) -> bytes:
    data: bytes = msgpack.packb(msg, use_bin_type=True)
    return data


async def move(seats: Sequence[Seat], seat: int, action: str, **fields: Any) -> Msg:
    """One action, then both seats hold the state it produced (when it was accepted)."""
    reply = await seats[seat].act(action, **fields)
    if reply.get("t") == "ack" and reply.get("version") is not None:
        for other in seats:
            await other.wait_version(int(reply["version"]))
    return reply


class Refused(AssertionError):
    """An action chosen from the seat's own legal list was refused."""


async def play(seats: Sequence[Seat], moves: int, *, finishing: bool = False) -> int:
    """Up to ``moves`` policy moves (with ``finishing``: until the game has ended);
    every one must be accepted. Returns how many were made."""
    from bench.policy import choose

    last, made = 1, 0
    while made < moves:
        choice = choose([seat.view for seat in seats], last, finishing=finishing)
        if choice is None:
            break
        last = choice.seat
        reply = await move(seats, choice.seat, choice.action, **choice.fields)
        if reply.get("t") != "ack":
            raise Refused(f"{choice.action} refused: {reply.get('code')}")
        made += 1
    return made


async def join_pair(base_url: str, urls_a: Sequence[str], urls_b: Sequence[str],
                    deck: str = "closer", **options: Any) -> tuple[Seat, Seat]:  # fmt: skip
    """A room created over HTTP, seat 0 resumed with its token, seat 1 by invite
    (``options``: the seats' own, such as ``catch_up``)."""
    return await seat_pair(await create_room(base_url, deck), urls_a, urls_b, **options)


async def seat_pair(created: Msg, urls_a: Sequence[str], urls_b: Sequence[str],
                    **options: Any) -> tuple[Seat, Seat]:  # fmt: skip
    """Both seats of a room just created (``created``: POST /api/rooms's answer)."""
    code, secret = invite_secret(created["invite_url"])
    a = await Seat(urls_a, code, token=created["token"], **options).start()
    b = await Seat(urls_b, code, invite=secret, **options).start()
    await a.wait_version(b.version)
    return a, b
