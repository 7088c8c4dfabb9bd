"""What an outside black-box suite found (issue 14), held by tests that speak only the
protocol: real sockets against a real server process (``python -m server.serve``), so
they hold whatever drives the sockets inside."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import websockets
from websockets.frames import Frame, Opcode
from websockets.typing import Subprotocol

from tests.server.client import Client, create_room, pair
from tests.support.servers import ServerProcess, ws_env

FAST = {
    "MSG_RATE": "100000",
    "MSG_BURST": "1000",
    "JOIN_FAIL_BURST": "1000",
    "HANDSHAKE_TIMEOUT": "1",
}


@pytest.fixture(scope="module")
def lone(ws_direct: bool) -> Iterator[ServerProcess]:
    """One server process on the in-process store for the tests that need no Redis
    (each test runs with the sockets served through ASGI and without: ``ws_direct``)."""
    with ServerProcess({**FAST, **ws_env(ws_direct)}) as srv:
        yield srv


async def test_no_query_string_of_a_websocket_request_reaches_the_log(
    lone: ServerProcess,
) -> None:
    """uvicorn's own WebSocket lines ("accepted", "403") printed the whole query string:
    a token put in the URL by a careless client was logged at INFO."""
    mark = "tokenInTheUrl7Qx"
    ws = await websockets.connect(f"{lone.ws_url}?token={mark}&a=1", open_timeout=5)
    await ws.close()
    with pytest.raises(websockets.InvalidStatus):  # another site's page: refused (403)
        await websockets.connect(f"{lone.ws_url}?token={mark}2", origin="http://evil.example")  # type: ignore[arg-type]
    await asyncio.sleep(0.3)
    log = lone.log()
    assert '"WebSocket /ws" [accepted]' in log and '"WebSocket /ws" 403' in log, log[-2000:]
    assert mark not in log and "?" not in "".join(
        line for line in log.splitlines() if "WebSocket" in line
    )


TCP_ESTABLISHED = 1


def tcp_state(sock: socket.socket) -> int:
    """The kernel's TCP state of a client socket (1: established; 7: closed after a
    reset; 8: the peer closed its side)."""
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]


async def stalled_reader(url: str, room: str, token: str) -> tuple[Any, socket.socket]:
    """A seat whose client stops reading: a small receive buffer, and a websockets
    connection that takes one frame off the socket and then no more."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    sock.connect((host, int(port)))
    sock.setblocking(False)
    ws = await websockets.connect(
        url,
        sock=sock,
        subprotocols=[Subprotocol("closeknit.v1.json")],
        max_queue=1,
        open_timeout=5,
    )
    hello = {"t": "hello", "id": "h", "v": "1.0", "room": room, "token": token}
    await ws.send(json.dumps(hello))
    return ws, sock


async def flood_views(mover: Client, tag: str, until: Callable[[], bool], limit: int) -> int:
    """Moves that change the room (a boundary marked and unmarked): a view to both seats
    each time."""
    moves = 0
    while not until() and moves < limit:
        for action in ("mark_boundary", "unmark_boundary"):
            reply = await mover.act(action, tag=tag)
            assert reply["t"] == "ack", reply
        moves += 2
    return moves


def dropped(server: ServerProcess) -> int:
    line = next(ln for ln in server.metrics()[1].splitlines()
                if ln.startswith("closeknit_slow_clients_dropped_total"))  # fmt: skip
    return int(float(line.split()[-1]))


async def test_a_socket_that_stops_reading_is_cut_and_its_partner_sees_it_away(
    lone: ServerProcess,
) -> None:
    """The drop counter rose but the socket stayed open (its close frame waited for a
    reader that never came): no 4004, no "away" for the partner, pings unanswered."""
    p = await pair(lone.url, lone.ws_url)
    await p.b.client.close()
    await p.a.client.next("presence", seat=1, online=False)
    ws, sock = await stalled_reader(lone.ws_url, p.code, p.b.token)
    await p.a.client.next("presence", seat=1, online=True)
    tag = p.a.client.last("state")["view"]["deck"]["tags"][0]["id"]
    before = dropped(lone)
    moves = await flood_views(p.a.client, tag, lambda: dropped(lone) > before, 3000)
    assert dropped(lone) > before, f"not dropped after {moves} moves"
    # presence goes away at once, and the TCP connection is cut though nobody reads
    await p.a.client.next("presence", timeout=3, seat=1, online=False)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 6
    while tcp_state(sock) == TCP_ESTABLISHED and loop.time() < deadline:
        await asyncio.sleep(0.1)
    assert tcp_state(sock) != TCP_ESTABLISHED, "the server never closed the connection"
    ws.transport.abort()


async def test_a_slow_reader_that_reads_again_gets_4004_and_resyncs(lone: ServerProcess) -> None:
    p = await pair(lone.url, lone.ws_url)
    await p.b.client.close()
    ws, _ = await stalled_reader(lone.ws_url, p.code, p.b.token)
    await p.a.client.next("presence", seat=1, online=True)
    tag = p.a.client.last("state")["view"]["deck"]["tags"][0]["id"]
    before = dropped(lone)
    await flood_views(p.a.client, tag, lambda: dropped(lone) > before, 3000)
    frames = 0
    with pytest.raises(websockets.ConnectionClosed) as closed:  # reading again at once
        while True:
            await asyncio.wait_for(ws.recv(), 5)
            frames += 1
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4004, (frames, closed.value)
    welcome = await Client.connect(lone.ws_url)
    w = await welcome.request({"t": "hello", "v": "1.0", "room": p.code, "token": p.b.token})
    assert w["t"] == "welcome"
    state = await welcome.state()
    assert state["version"] == p.a.client.last("state")["version"]


async def test_a_knock_is_shown_to_the_creator_once_when_it_comes_during_a_hello(
    lone: ServerProcess,
) -> None:
    """A knock recorded while the creator's socket was saying hello reached it twice:
    once from the list of waiting knocks, once as it was announced."""
    shown: list[int] = []
    for _ in range(12):
        created = await create_room(lone.url)
        code, token = created["code"], created["token"]
        creator = await Client.connect(lone.ws_url)
        knockers = [await Client.connect(lone.ws_url) for _ in range(3)]
        knocks = [{"t": "hello", "v": "1.0", "room": code, "knock": True, "name": f"K{i}"}
                  for i in range(3)]  # fmt: skip
        await asyncio.gather(
            creator.request({"t": "hello", "v": "1.0", "room": code, "token": token}),
            *(k.request(m) for k, m in zip(knockers, knocks, strict=True)),
        )
        for i in range(3):
            await creator.next("knock", name=f"K{i}")
        await creator.quiet(0.1)
        shown.append(sum(1 for m in creator.messages if m.get("t") == "knock"))
        for c in (creator, *knockers):
            await c.close()
    assert shown == [3] * len(shown)


async def test_a_frame_over_the_limit_gets_frame_too_big_then_1009(lone: ServerProcess) -> None:
    """The docs promised ``protocol/frame_too_big``; uvicorn closed with 1009 before the
    server saw the frame. Past four times the limit a frame is not read at all: 1009 alone."""
    client = await Client.connect(lone.ws_url)
    await client.send_raw(json.dumps({"t": "ping", "id": 1, "pad": "x" * 20_000}))
    assert await client.close_code() == 1009
    assert [m.get("code") for m in client.messages] == ["protocol/frame_too_big"]
    huge = await Client.connect(lone.ws_url)
    await huge.send_raw(b"\x81" * (4 * 16 * 1024 + 1))
    assert await huge.close_code() == 1009 and huge.messages == []


async def test_twenty_undecodable_frames_in_a_row_close_with_1008(lone: ServerProcess) -> None:
    """As the docs now say: refused frames count like floods (FLOOD_STRIKES in a row)."""
    client = await Client.connect(lone.ws_url)
    for _ in range(20):
        await client.send_raw("not json")
    assert await client.close_code() == 1008
    codes = [m.get("code") for m in client.messages]
    assert codes == ["protocol/bad_encoding"] * 20


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    """Whether the server closes the connection within ``seconds`` (EOF or reset)."""
    try:
        async with asyncio.timeout(seconds):
            while await reader.read(4096):
                pass
    except TimeoutError:
        return False
    except ConnectionError:
        pass
    return True


async def test_a_handshake_sent_slowly_is_cut_after_the_handshake_timeout(
    lone: ServerProcess,
) -> None:
    """A request head trickled a byte at a time (or never sent) was held open forever."""
    head = (f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{lone.port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").encode()  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", lone.port)
    idle_reader, idle_writer = await asyncio.open_connection("127.0.0.1", lone.port)

    async def trickle() -> None:
        for byte in head:
            writer.write(bytes([byte]))
            await asyncio.sleep(0.2)

    sender = asyncio.create_task(trickle())
    try:
        assert await closed_within(reader, 4), "a slow handshake was held open"
        assert await closed_within(idle_reader, 1), "a silent connection was held open"
    finally:
        sender.cancel()
        writer.close()
        idle_writer.close()
    ok = await Client.connect(lone.ws_url)  # a handshake at normal speed still works
    assert (await ok.request({"t": "ping"}))["t"] == "ack"


async def test_an_invalid_utf8_text_frame_is_one_warning_line_without_a_traceback(
    lone: ServerProcess,
) -> None:
    ws = await websockets.connect(lone.ws_url, open_timeout=5)
    ws.protocol.send_frame(Frame(Opcode.TEXT, b"{\xff\xfe}"))
    ws.send_data()
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1007
    await asyncio.sleep(0.3)
    lines = [ln for ln in lone.log().splitlines() if "UTF-8" in ln or "Traceback" in ln]
    assert len(lines) == 1 and " WARNING " in lines[0], lines
    assert "Traceback" not in lone.log() and " ERROR " not in lone.log()


async def handshake_status(url: str, host: str, origin: str) -> int:
    """The HTTP status of a WebSocket handshake with these Host and Origin headers."""
    port = int(url.rsplit(":", 1)[1].split("/", 1)[0])
    try:  # the URI names the host (it makes the Host header); the socket goes to ours
        ws = await websockets.connect(f"ws://{host}/ws", origin=origin, host="127.0.0.1",  # type: ignore[arg-type]
                                      port=port, open_timeout=5)  # fmt: skip
    except websockets.InvalidStatus as exc:
        return exc.response.status_code
    await ws.close()
    return 101


async def test_with_a_public_url_the_host_and_the_origin_scheme_included_must_be_its_own(
    ws_direct: bool,
) -> None:
    """DNS rebinding: a page on another name that resolves to the server sent Host and
    Origin of that name, and the origin check (same host) let it in; the scheme was
    ignored. With PUBLIC_URL set, both must be PUBLIC_URL's (or listed)."""
    public = "https://closeknit.example"
    env = {"PUBLIC_URL": public, "ALLOWED_HOSTS": "play.example", **ws_env(ws_direct)}
    with ServerProcess(env) as srv:
        body = {"deck": "closer"}
        async with httpx.AsyncClient(base_url=srv.url) as http:
            for host, origin, status in [
                ("rebound.example", "http://rebound.example", 400),  # another name
                ("closeknit.example", "http://closeknit.example", 403),  # wrong scheme
                ("closeknit.example", public, 201),
                ("play.example", public, 201),  # a listed host
                ("closeknit.example", None, 201),  # not a browser
            ]:
                headers = {"Host": host, **({"Origin": origin} if origin else {})}
                r = await http.post("/api/rooms", json=body, headers=headers)
                assert r.status_code == status, (host, origin, r.text)
            assert (await http.get("/healthz", headers={"Host": "10.0.0.7"})).status_code == 200
        ws = srv.ws_url
        assert await handshake_status(ws, "rebound.example", "http://rebound.example") == 403
        assert await handshake_status(ws, "closeknit.example", "http://closeknit.example") == 403
        assert await handshake_status(ws, "closeknit.example", public) == 101


async def test_without_a_public_url_the_same_host_is_trusted_as_documented(
    lone: ServerProcess,
) -> None:
    """A laptop on a home network is reached by a name or address the server cannot
    know: then the Origin need only match the Host it was asked by (docs/protocol.md)."""
    ws = lone.ws_url
    assert await handshake_status(ws, "laptop.local:8000", "http://laptop.local:8000") == 101
    assert await handshake_status(ws, "laptop.local:8000", "http://other.local:8000") == 403
    assert await handshake_status(ws, "laptop.local:8000", "ftp://laptop.local:8000") == 403
