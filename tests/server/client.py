"""A protocol client for tests over a real socket (the ``websockets`` library): sends
maps in either subprotocol, keeps every frame it received, and waits for messages."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import msgpack
import websockets
from websockets.asyncio.client import ClientConnection

JSON = "closeknit.v1.json"
MSGPACK = "closeknit.v1.msgpack"
Msg = dict[str, Any]


async def close_all() -> None:
    for client in list(OPEN):
        await client.close()


OPEN: set[Client] = set()  # closed after each test by an autouse fixture


class Client:
    def __init__(self, ws: ClientConnection, subprotocol: str) -> None:
        OPEN.add(self)
        self.ws = ws
        self.subprotocol = subprotocol
        self.frames: list[bytes | str] = []  # every frame received, raw
        self.messages: list[Msg] = []
        self.taken: set[int] = set()  # indexes of messages already returned by expect
        self.arrived = asyncio.Event()
        self.ids = itertools.count(1)
        # Action ids are remembered per seat across sockets: each client needs its own.
        self.prefix = secrets.token_hex(3) + "-"
        self.reader = asyncio.create_task(self._read())
        self.closed: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()

    @classmethod
    async def connect(
        cls, url: str, subprotocol: str = JSON, *, origin: str | None = None, **kw: Any
    ) -> Client:
        ws = await websockets.connect(
            url, subprotocols=[subprotocol], origin=origin, compression=None,  # type: ignore[list-item,arg-type]
            max_size=2**20, open_timeout=5, **kw,
        )  # fmt: skip
        return cls(ws, subprotocol)

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                self.frames.append(frame)
                if isinstance(frame, bytes):
                    self.messages.append(msgpack.unpackb(frame, raw=False))
                else:
                    self.messages.append(json.loads(frame))
                self.arrived.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            code = self.ws.close_code
            if not self.closed.done():
                self.closed.set_result(code)
            self.arrived.set()

    def encode(self, msg: Mapping[str, object]) -> bytes | str:
        if self.subprotocol == MSGPACK:
            return msgpack.packb(msg, use_bin_type=True)  # type: ignore[no-any-return]
        return json.dumps(msg)

    async def send(self, msg: Mapping[str, object]) -> None:
        await self.ws.send(self.encode(msg))

    async def send_raw(self, frame: bytes | str) -> None:
        await self.ws.send(frame)

    async def expect(self, pred: Callable[[Msg], bool], timeout: float = 5.0) -> Msg:
        """The first not-yet-taken message matching ``pred`` (others stay unread)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for i in range(len(self.messages)):
                if i not in self.taken and pred(self.messages[i]):
                    self.taken.add(i)
                    return self.messages[i]
            if self.closed.done():
                raise AssertionError(f"closed ({self.closed.result()}) while waiting")
            self.arrived.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out; unread: {self.unread()!r}"[:3000])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), remaining)

    async def next(self, t: str, timeout: float = 5.0, **fields: object) -> Msg:
        return await self.expect(
            lambda m: m.get("t") == t and all(m.get(k) == v for k, v in fields.items()), timeout
        )

    async def request(self, msg: Mapping[str, object], timeout: float = 5.0) -> Msg:
        """Send ``msg`` (with a fresh id unless it has one) and return its reply."""
        full = {"id": f"{self.prefix}{next(self.ids)}", **msg}
        await self.send(full)
        return await self.expect(lambda m: "re" in m and m["re"] == full["id"], timeout)

    async def act(self, action: str, timeout: float = 5.0, **fields: object) -> Msg:
        return await self.request({"t": "act", "a": action, **fields}, timeout)

    async def state(self, version: int | None = None, timeout: float = 5.0) -> Msg:
        """The next state message (at least ``version``)."""
        return await self.expect(
            lambda m: m.get("t") == "state" and (version is None or m["version"] >= version),
            timeout,
        )

    async def latest_view(self, version: int, timeout: float = 5.0) -> Msg:
        """The newest view, once one of at least ``version`` has arrived."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            states = [m for m in self.messages if m.get("t") == "state"]
            if states and max(m["version"] for m in states) >= version:
                return max(states, key=lambda m: m["version"])["view"]  # type: ignore[no-any-return]
            self.arrived.clear()
            if self.closed.done() or loop.time() > deadline:
                raise AssertionError(f"no state {version}; unread: {self.unread()!r}"[:3000])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), deadline - loop.time())

    def last(self, t: str) -> Msg:
        """The latest message of type ``t`` received so far, taken or not."""
        return next(m for m in reversed(self.messages) if m.get("t") == t)

    def unread(self) -> list[Msg]:
        return [m for i, m in enumerate(self.messages) if i not in self.taken]

    async def quiet(self, seconds: float = 0.2) -> list[Msg]:
        """Messages that arrive within ``seconds`` (and were not taken)."""
        await asyncio.sleep(seconds)
        return self.unread()

    async def close(self) -> None:
        OPEN.discard(self)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(), 5)
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(self.reader, 5)

    async def close_code(self, timeout: float = 5.0) -> int | None:
        return await asyncio.wait_for(asyncio.shield(self.closed), timeout)


@dataclass
class Seat:
    client: Client
    seat: int
    token: str
    room: str


@dataclass
class Pair:
    code: str
    invite: str
    a: Seat
    b: Seat
    version: int


async def create_room(base_url: str, deck: str = "closer", **settings: object) -> Msg:
    async with httpx.AsyncClient(base_url=base_url) as http:
        r = await http.post("/api/rooms", json={"deck": deck, "settings": settings or {}})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]


def split_invite(invite_url: str) -> tuple[str, str]:
    code, secret = invite_url.split("#join=", 1)[1].split(".", 1)
    return code, secret


def hello_resume(room: str, token: str, last_version: int | None = None) -> Msg:
    return {"t": "hello", "v": "1.0", "room": room, "token": token, "last_version": last_version}


def hello_invite(room: str, invite: str, name: str = "Bo") -> Msg:
    return {"t": "hello", "v": "1.0", "room": room, "invite": invite, "name": name}


async def resume(url: str, room: str, token: str, subprotocol: str = JSON,
                 last_version: int | None = None) -> tuple[Client, Msg]:  # fmt: skip
    client = await Client.connect(url, subprotocol)
    reply = await client.request(hello_resume(room, token, last_version))
    assert reply["t"] == "welcome", reply
    return client, reply


async def pair(base_url: str, ws_a: str, ws_b: str | None = None, *, subprotocol: str = JSON,
               name: str = "Ana", **settings: object) -> Pair:  # fmt: skip
    """A room with both seats joined: seat 0 on ``ws_a``, seat 1 on ``ws_b``."""
    created = await create_room(base_url, name=name, **settings)
    code, invite = split_invite(created["invite_url"])
    a, wa = await resume(ws_a, code, created["token"], subprotocol)
    b = await Client.connect(ws_b or ws_a, subprotocol)
    wb = await b.request(hello_invite(code, invite))
    assert wb["t"] == "welcome", wb
    await a.state(wb["version"])
    return Pair(
        code, invite, Seat(a, 0, wa["token"], code), Seat(b, 1, wb["token"], code), wb["version"]
    )
