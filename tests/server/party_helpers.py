"""Party clients for server tests: a host, a display and guests over real sockets."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.server.client import MSGPACK, Client, Msg, hello_resume

HELLO = {"t": "hello", "v": "1.0"}


class Stamped(list[Msg]):
    """A message list that notes when each message was read (for latency checks)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: list[float] = []

    def append(self, item: Msg) -> None:
        self.at.append(time.monotonic())
        super().append(item)


class TimedClient(Client):
    def __init__(self, ws: Any, subprotocol: str) -> None:
        super().__init__(ws, subprotocol)
        self.messages = Stamped()  # the reader has not run yet: nothing is lost

    def first_at(self, pred: Callable[[Msg], bool]) -> float | None:
        """When the first message matching ``pred`` was read."""
        assert isinstance(self.messages, Stamped)
        for msg, at in zip(self.messages, self.messages.at, strict=True):
            if pred(msg):
                return at
        return None


def party_url(ws_url: str) -> str:
    return ws_url.rstrip("/") + "/party"


async def create_party(base_url: str, deck: str = "closer") -> Msg:
    async with httpx.AsyncClient(base_url=base_url) as http:
        r = await http.post("/api/parties", json={"deck": deck})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]


async def console(ws_url: str, code: str, role: str, token: str) -> tuple[Client, Msg]:
    """A host console or display; returns the client and its first ``party`` snapshot."""
    client = await Client.connect(party_url(ws_url))
    reply = await client.request({**HELLO, "party": code, "role": role, "token": token})
    assert reply["t"] == "welcome", reply
    return client, await client.next("party")


@dataclass
class Guest:
    client: Client
    id: str
    token: str
    name: str
    table: TimedClient | None = None
    seat: int | None = None
    room: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def view(self) -> Msg:
        return self.client.last("party")["view"]  # type: ignore[no-any-return]

    async def act(self, action: str, **fields: object) -> Msg:
        return await self.client.request({"t": "act", "a": action, **fields})

    async def sit(self, ws_url: str, timeout: float = 10.0) -> Msg:
        """Take the seat at this guest's table on ``/ws``; returns the first table state."""

        def seated(m: Msg) -> bool:
            return m.get("t") == "party" and (m["view"].get("table") or None) is not None

        if not any(seated(m) for m in self.client.messages):  # (taken or not)
            await self.client.expect(seated, timeout)
        seat = await self.client.request({"t": "seat"}, timeout)
        assert seat["t"] == "seat", seat
        self.seat, self.room = seat["seat"], seat["room"]
        table = await TimedClient.connect(ws_url, MSGPACK)  # the lighter codec: 200 at once
        assert isinstance(table, TimedClient)
        self.table = table
        welcome = await table.request(hello_resume(seat["room"], seat["token"]), timeout)
        assert welcome["t"] == "welcome", welcome
        return await table.state(timeout=timeout)


async def join(ws_url: str, code: str, name: str, language: str = "en") -> Guest:
    client = await Client.connect(party_url(ws_url))
    hello = {**HELLO, "party": code, "role": "guest", "name": name, "language": language}
    reply = await client.request(hello, 10.0)
    assert reply["t"] == "welcome", reply
    await client.next("party", 10.0)
    return Guest(client, reply["guest"], reply["token"], name)


def apply_delta(view: Msg, delta: Msg) -> Msg:
    """What a console does with a ``party_delta``: replace the changed entries."""
    out = {"meta": dict(view["meta"]), "guests": dict(view["guests"]),
           "tables": dict(view["tables"])}  # fmt: skip
    if "meta" in delta:
        out["meta"] = delta["meta"]
    for section in ("guests", "tables"):
        for key, entry in delta.get(section, {}).items():
            if entry is None:
                out[section].pop(key, None)
            else:
                out[section][key] = entry
    return out


def current(client: Client) -> Msg:
    """A console's view now: its last snapshot with every later delta applied."""
    view: Msg | None = None
    for msg in client.messages:
        if msg.get("t") == "party":
            view = msg["view"]
        elif msg.get("t") == "party_delta" and view is not None:
            view = apply_delta(view, msg)
    assert view is not None
    return view
