"""The faults `bench.soak_mix` mixes into its games: the processes (two server
instances on one Redis, each restartable in place) and the misbehaving clients (a
reader that stops reading, a flooder, a reconnect storm), speaking only the protocol.

Each fault counts what it provoked in a `Counter` the mix reports apart from errors:
those are what a fault is expected to cause, and the mix checks they happened."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import socket
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgpack
import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench import procs
from bench.client import SUBPROTOCOL, Msg, Seat, create_room, seat_pair
from bench.soak import Ledger, Tally, audit, random_moves

CATCH_UP = 2.0  # seconds a seat waits for a state before it pings (protocol rule 7)
SLOW_CAP = 6000  # moves a slow reader's partner makes at most before giving up on a drop
SLOW_RATE = 200  # moves a second at most: under the mix's per-socket limit
SLOW_BATCH = 5  # of them in flight at once
FLOOD = 5000  # pings a flooder sends at most, as fast as it can


def pack(msg: Msg) -> bytes:
    data: bytes = msgpack.packb(msg, use_bin_type=True)
    return data


@dataclass
class Cluster:
    """One Redis keeping an append-only file, and server instances on it, each with
    its log (appended to across restarts) in ``data``."""

    data: Path
    env: dict[str, str]
    redis: procs.Proc
    servers: list[procs.Proc]
    starts: list[float] = field(default_factory=list)  # when each instance last started
    joins: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def start(cls, data: Path, instances: int, env: dict[str, str]) -> Cluster:
        redis = procs.start_redis(data=data, log=data / "redis.log")
        cluster = cls(data, env, redis, [])
        for i in range(instances):
            cluster.servers.append(cluster._server(i))
            cluster.starts.append(time.monotonic())
        return cluster

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis.port}/0"

    def _server(self, i: int, old: procs.Proc | None = None) -> procs.Proc:
        ports: dict[str, Any] = {}
        if old is not None:  # in its place: the same port and metrics port
            ports = {"port": old.port, "metrics_port": int(old.extra["metrics"].rsplit(":")[-1])}
        log = self.data / f"server{i}.log"
        return procs.start_server(self.redis_url, log=log, env=self.env, **ports)

    def urls(self, first: int) -> list[str]:
        """Every instance's /ws, starting with ``first``: where a seat reconnects in turn."""
        n = len(self.servers)
        return [f"{self.servers[(first + k) % n].ws}/ws" for k in range(n)]

    async def create(self, first: int, provoked: Counter[str]) -> Msg:
        """A room, made on the first instance that answers (one may be down)."""
        deadline = time.monotonic() + 30
        for k in itertools.count():
            server = self.servers[(first + k) % len(self.servers)]
            try:
                return await create_room(server.http)
            except httpx.HTTPStatusError as error:
                if error.response.status_code != 503 or time.monotonic() > deadline:
                    raise
                provoked[f"create/{error.response.json().get('error')}"] += 1
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                provoked["create/unreachable"] += 1
            await asyncio.sleep(0.2)
        raise AssertionError("unreachable")

    async def join(self, provoked: Counter[str]) -> tuple[Seat, Seat]:
        """A couple whose seats start on different instances."""
        first = next(self.joins) % len(self.servers)
        created = await self.create(first, provoked)
        return await seat_pair(created, self.urls(first), self.urls(first + 1), catch_up=CATCH_UP)

    async def restart_instance(self, i: int, down: float, sig: int) -> None:
        """Stop it (SIGKILL: no bye, replies in flight lost; SIGTERM: bye, the actions
        in flight finished, then 1001), then start it again on the same ports."""
        old = self.servers[i]
        await asyncio.to_thread(old.stop, sig)
        await asyncio.sleep(down)
        self.servers[i] = await asyncio.to_thread(self._server, i, old)
        self.starts[i] = time.monotonic()

    async def restart_redis(self, down: float) -> None:
        """SIGTERM (Redis flushes its append-only file), then the same port and data,
        until every instance reaches it again (``/readyz``)."""
        port = self.redis.port
        await asyncio.to_thread(self.redis.stop)
        await asyncio.sleep(down)
        log = self.data / "redis.log"
        self.redis = await asyncio.to_thread(procs.start_redis, log=log, data=self.data, port=port)
        # Over once every instance reaches the store again: a fault that waited for this
        # one (a slow reader's new couple) must not meet the tail of it (a run at load 20
        # saw that couple's join refused with store/unavailable, counted as an error).
        for server in self.servers:
            await asyncio.to_thread(procs.wait_http, f"{server.http}/readyz")

    def stop(self) -> list[int]:
        exits = [server.stop() for server in self.servers]
        self.redis.stop()
        return exits


# -- a reader that stops reading ----------------------------------------------------------
async def stalled(url: str, room: str, token: str) -> tuple[ClientConnection, str]:
    """Seat a socket with a small receive buffer that reads its welcome and no more
    (max_queue=1: the library stops reading too). Returns it and the new token."""
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
    ws = await connect(url, sock=sock, subprotocols=[Subprotocol(SUBPROTOCOL)],
                       compression=None, max_queue=1, open_timeout=5)  # fmt: skip
    await ws.send(pack({"t": "hello", "id": "h1", "v": "1.0", "room": room, "token": token}))
    welcome = msgpack.unpackb(await asyncio.wait_for(ws.recv(), 10), raw=False)
    if welcome.get("t") != "welcome":
        ws.transport.abort()
        raise RuntimeError(f"stalled reader not seated: {welcome.get('code')}")
    return ws, str(welcome["token"])


async def presence(seat: Seat, online: bool, timeout: float | None = 10) -> None:
    """Until the seat has heard that its partner is (or is not) online."""
    async with asyncio.timeout(timeout):
        while seat.partner_online is not online:
            seat.changed.clear()
            await seat.changed.wait()


TCP_ESTABLISHED = 1


async def drain(ws: ClientConnection, episode: dict[str, Any]) -> str:
    """Read again at once, to the end (15 s at most): the close code the server sent
    ("none": cut; "open": neither closed nor cut, and then whether the kernel still
    holds the connection established). How many frames and how long: in ``episode``."""
    started, frames, code = time.monotonic(), 0, "open"
    try:
        async with asyncio.timeout(15):
            while True:
                await ws.recv()
                frames += 1
    except websockets.ConnectionClosed as closed:
        code = str(closed.rcvd.code) if closed.rcvd else "none"
    except TimeoutError:
        sock = ws.transport.get_extra_info("socket")
        state = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0] if sock else 0
        episode["tcp_established_after_15s"] = state == TCP_ESTABLISHED
    finally:
        ws.transport.abort()
    episode |= {"frames_read": frames, "read_s": round(time.monotonic() - started, 2)}
    return code


async def slow_reader(cluster: Cluster, rng: random.Random, tally: Tally,
                      faults: Counter[str], episodes: list[dict[str, Any]]) -> None:  # fmt: skip
    """A couple whose second seat comes back on a socket that stops reading; its
    partner changes the room until the server drops that socket (the partner hears
    "away"), which then reads again at once: the server's 4004 must follow the frames
    it sent, unless reading them took over 2 s (then it is cut, as documented). The seat
    resumes, the couple plays on (``play_on`` seconds) and the room is audited like any
    other."""
    a, b = await cluster.join(tally.provoked)
    seats, ledger = [a, b], Ledger(max(a.version, b.version))
    ws: ClientConnection | None = None
    try:
        await b.close()
        tally.seat_left(b)
        await presence(a, False)
        server = rng.choice(cluster.servers)
        ws, token = await stalled(f"{server.ws}/ws", b.room, str(b.token))
        await presence(a, True)
        episode: dict[str, Any] = {}
        episodes.append(episode)
        metrics = server.extra["metrics"]
        dropped = asyncio.create_task(_dropped(a, ws, metrics, await _drops(metrics), episode))
        moves = await _changes(a, ledger, dropped, tally)
        tally.moves += moves
        faults["slow_reader_moves"] += moves
        episode["moves"] = moves
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(dropped), 20)
        code = dropped.result() if dropped.done() else "never_dropped"
        episode["outcome"] = code
        dropped.cancel()
        if code in ("4004", "none"):  # none: cut (a reset) before its close frame was read
            tally.provoked["close/4004" if code == "4004" else "slow_reader/cut"] += 1
        elif code == "open" and 0 <= episode["drops_after"] <= episode["drops_before"]:
            # Its partner heard it away, but its instance never dropped it: a wrong
            # "away", not a socket the server failed to let go of.
            tally.errors["slow_reader:away_but_never_dropped"] += 1
        else:
            tally.errors[f"slow_reader:closed_{code}"] += 1
        seats[1] = await Seat(b.urls, b.room, token=token, catch_up=CATCH_UP).start()
        until = time.monotonic() + 5
        await random_moves(seats, ledger, lambda: time.monotonic() > until, rng, tally)
    finally:
        if ws is not None:
            ws.transport.abort()  # whatever happened, the stalled socket goes
        for seat in seats[:1] if seats[1] is b else seats:
            await seat.close()
            tally.seat_left(seat)
        await audit(a, ledger, tally)


async def _dropped(partner: Seat, ws: ClientConnection, metrics: str, before: float,
                   episode: dict[str, Any]) -> str:  # fmt: skip
    """As soon as the stalled seat's instance counts a drop, or its partner hears it
    away, read it to its end. (On a loaded machine the partner heard it behind a
    backlog of its own states, after the server's 2 s had passed.)"""
    heard = asyncio.create_task(presence(partner, False, timeout=None))
    while not heard.done() and (before < 0 or await _drops(metrics) <= before):
        await asyncio.sleep(0.05)
    episode["seen_by"] = "partner" if heard.done() else "metrics"
    heard.cancel()
    code = await drain(ws, episode)
    # Whether the instance had counted a drop by the end: an "open" episode whose
    # instance never dropped the socket was not a slow reader the server let go of.
    episode["drops_before"], episode["drops_after"] = before, await _drops(metrics)
    return code


async def _drops(metrics: str) -> float:
    """Slow sockets the instance has dropped (its /metrics), -1 when it does not answer."""
    with contextlib.suppress(httpx.HTTPError):
        async with httpx.AsyncClient(timeout=2) as http:
            text = (await http.get(f"{metrics}/metrics")).text
        for line in text.splitlines():
            if line.startswith("closeknit_slow_clients_dropped_total"):
                return float(line.split()[-1])
    return -1.0


async def _changes(a: Seat, ledger: Ledger, dropped: asyncio.Task[str], tally: Tally) -> int:
    """Room changes (boundaries marked and unmarked: a view to both seats each time),
    paced under the per-socket limit, until the stalled seat is dropped. Up to
    ``SLOW_BATCH`` moves are in flight at once, one per boundary (the server answers a
    socket's messages in order, so the versions still climb by one): filling the
    kernel's buffers takes a few thousand views, and one move at a time, each waiting
    for its reply, was too slow for the short run on a busy machine."""
    assert a.view is not None
    tags = [tag["id"] for tag in a.view["deck"]["tags"]][:SLOW_BATCH]
    moves, next_at, marked = 0, time.monotonic(), False
    while not dropped.done() and a.partner_online and moves < SLOW_CAP:
        action = "unmark_boundary" if marked else "mark_boundary"
        replies = await asyncio.gather(*(a.act(action, tag=tag) for tag in tags))
        marked = not marked
        for reply in replies:
            if reply["t"] != "ack":
                tally.errors[f"slow_reader:{reply.get('code')}"] += 1
                return moves
            ledger.acked(int(reply["version"]))
            moves += 1
        # Never catching up after a slow stretch: a burst of catch-up moves went past
        # the per-socket limit once (a 10-minute run's limit/rate_limited).
        next_at = max(next_at + len(tags) / SLOW_RATE, time.monotonic())
        await asyncio.sleep(next_at - time.monotonic())
    return moves


# -- a flooder ---------------------------------------------------------------------------
async def flood(cluster: Cluster, rng: random.Random, provoked: Counter[str],
                errors: Counter[str]) -> None:  # fmt: skip
    """A socket sends pings as fast as it can while reading its replies: past the
    per-socket burst they are refused (limit/rate_limited), and FLOOD_STRIKES refusals
    in a row close it with 1008. Before any hello: there a ping costs the server only
    its reply, so the flood outruns the limit however loaded the machine is (a seated
    ping reads the store, and on a busy machine the server answered them no faster
    than the limit refills)."""
    replies: Counter[str] = Counter()
    ws = await opened(cluster.urls(rng.randrange(len(cluster.servers))), provoked)
    try:
        reader = asyncio.create_task(_count_replies(ws, replies))
        with contextlib.suppress(websockets.ConnectionClosed):
            for n in range(FLOOD):
                await ws.send(pack({"t": "ping", "id": n}))
        code = await _closed(ws, reader)
    finally:
        ws.transport.abort()
    if code == "1008" and replies["limit/rate_limited"]:
        provoked["close/1008"] += 1
    else:  # a flood past the limit is refused, then closed for it
        errors[f"flood:closed_{code}_refused_{replies['limit/rate_limited']}"] += 1
    provoked["limit/rate_limited"] += replies.pop("limit/rate_limited", 0)
    provoked["flood/ack"] += replies.pop("ack", 0)  # the pings within the burst
    errors.update({f"flood:{kind}": count for kind, count in replies.items()})


async def opened(urls: list[str], provoked: Counter[str]) -> ClientConnection:
    """A socket to the first instance that answers (one may be down)."""
    deadline = time.monotonic() + 30
    for url in itertools.cycle(urls):
        with contextlib.suppress(OSError, websockets.WebSocketException, TimeoutError):
            return await connect(url, subprotocols=[Subprotocol(SUBPROTOCOL)],
                                 compression=None, open_timeout=5)  # fmt: skip
        provoked["flood/unreachable"] += 1
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    raise TimeoutError("no instance answered the flooder")


async def _count_replies(ws: ClientConnection, replies: Counter[str]) -> None:
    with contextlib.suppress(websockets.ConnectionClosed):
        async for frame in ws:
            if isinstance(frame, bytes):
                msg = msgpack.unpackb(frame, raw=False)
                if "re" in msg:  # replies only: the welcome's state and presence are not
                    replies[msg.get("code") or msg["t"]] += 1


async def _closed(ws: ClientConnection, reader: asyncio.Task[None]) -> str:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(reader), 10)
    reader.cancel()
    rcvd = ws.protocol.close_rcvd
    return str(rcvd.code) if rcvd is not None else "open"


# -- a reconnect storm -------------------------------------------------------------------
async def storm(live: set[Seat], rng: random.Random, share: float = 0.5) -> int:
    """A share of the seats playing lose their connection at the same moment."""
    seats = [seat for seat in list(live) if rng.random() < share]
    await asyncio.gather(*(seat.drop() for seat in seats))
    return len(seats)
