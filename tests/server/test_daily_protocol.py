"""Daily spaces over real sockets (issue 22): two server processes on one real Redis,
each with the production entry point and a clock the test moves (tests/support/clocked.py).
Partners on different instances answer hours apart; nothing of an answer reaches the
partner before the reveal; a revealed answer's key is gone from Redis at its deadline
with no instance running; two instances ticking one space at once deal one card."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.client import JSON, Client, split_invite
from tests.server.daily_helpers import V, create_space, daily_url, newest, partners
from tests.support.clocked import move_clock
from tests.support.redis import command
from tests.support.sealing import envelope_showing
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.slow
FAST = {"MSG_RATE": "500", "MSG_BURST": "500"}
HOUR = 3600.0


def _two(redis_url: str, clock: Path, **env: str) -> list[ServerProcess]:
    servers = [ServerProcess({"REDIS_URL": redis_url, **FAST, **env}, clock=clock) for _ in (0, 1)]
    for s in servers:
        s.start()
    return servers


@pytest.fixture(scope="module")
def clock_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One clock for the module's servers: each test moves it on (never back) and
    makes its own space, so what one test did to the clock changes nothing for the next."""
    path = tmp_path_factory.mktemp("daily-clock") / "clock"
    path.write_text("0")
    return path


@pytest.fixture(scope="module")
def instances(redis_url: str, clock_file: Path) -> Iterator[list[ServerProcess]]:
    servers = _two(redis_url, clock_file)
    try:
        yield servers
    finally:
        for s in servers:
            s.stop()
            s.cleanup()


def _redis_port(redis_url: str) -> int:
    return int(redis_url.rsplit(":", 1)[1].split("/", maxsplit=1)[0])


def _everything_in_redis(port: int, code: str) -> bytes:
    """Every key of the space and its value, raw (to look for a text in them)."""
    names = command(port, "KEYS", f"ck:{{{code}}}:*")
    out = [names]
    for name in names.split(b"\r\n"):
        if name.startswith(b"ck:"):
            out.append(command(port, "DUMP", name.decode()))
    return b"".join(out)


async def test_partners_on_two_instances_answer_hours_apart_and_see_each_other_only_at_the_reveal(
    instances: list[ServerProcess], clock_file: Path, redis_url: str
) -> None:
    first, second = instances
    p = await partners(first.ws_url, second.ws_url, http_url=first.url)
    card = newest(p.ana)["card"]
    assert card is not None and newest(p.bo)["card"]["id"] == card["id"]  # the same card
    ana_text, bo_text = envelope_showing("AnaWrote"), envelope_showing("BoWrote")
    ack = await p.ana.act("answer", text=ana_text)
    assert ack["t"] == "ack", ack
    bo_view = await p.bo.latest_view(ack["version"])
    assert bo_view["partner"] == {"state": "answered"}
    # an edit before the reveal replaces it, and still reaches nobody else
    edited = envelope_showing("AnaEdited")
    ack = await p.ana.act("answer", text=edited)
    await p.bo.latest_view(ack["version"])
    move_clock(clock_file, 6 * HOUR)  # hours later, on the other instance
    await p.bo.request({"t": "ping"})
    seen = len(p.bo.frames)  # everything Bo received before the reveal
    ack = await p.bo.act("answer", text=bo_text)
    assert ack["t"] == "ack", ack
    for client in (p.ana, p.bo):
        view = await client.latest_view(ack["version"])
        assert view["card"] is None and view["waiting"] == "tomorrow"
        day = view["history"][0]
        assert [a["text"] for a in day["answers"]] == [edited, bo_text], day
        assert day["kept_until"] > time.time() + 6 * HOUR + 6.9 * 24 * HOUR
    # before Bo's answer, no frame Bo received held Ana's words (her first or her edit)
    assert seen > 3 and not any(
        "AnaWrote" in str(f) or "AnaEdited" in str(f) for f in p.bo.frames[:seen]
    )
    assert "AnaWrote" not in json.dumps(p.bo.messages)  # the replaced one never
    # the revealed answers are in their own keys, not in the space's state
    port = _redis_port(redis_url)
    state = command(port, "GET", f"ck:{{{p.code}}}:state") + command(
        port, "HGETALL", f"ck:{{{p.code}}}:state"
    )
    assert b"AnaEdited" not in state and b"BoWrote" not in state
    ttl = int(command(port, "PTTL", f"ck:{{{p.code}}}:text:{day['day']}:0").split(b":")[-1])
    assert 6.9 * 24 * HOUR * 1000 < ttl <= 7 * 24 * HOUR * 1000
    for server in instances:  # never in a log, nor the tokens
        log = server.log()
        assert not any(w in log for w in ("AnaWrote", "AnaEdited", "BoWrote", *p.tokens))


async def test_a_revealed_answer_is_gone_from_redis_at_its_deadline_with_no_instance_running(
    redis_url: str, clock_file: Path
) -> None:
    keep = 3.0  # seconds, through the setting (in days)
    servers = _two(redis_url, clock_file, DAILY_KEEP_DAYS=repr(keep / 86_400))
    try:
        p = await partners(servers[0].ws_url, servers[1].ws_url, http_url=servers[0].url)
        await p.ana.act("answer", text=envelope_showing("GoneSoon"))
        ack = await p.bo.act("pass_day")
        view = await p.ana.latest_view(ack["version"])
        assert view["history"][0]["answers"][1]["state"] == "passed"
        port = _redis_port(redis_url)
        assert b"GoneSoon" in _everything_in_redis(port, p.code)
        await p.ana.close()
        await p.bo.close()
    finally:
        for s in servers:
            s.stop()
            s.cleanup()
    revealed = time.time()
    while time.time() < revealed + keep + 2:  # no instance runs now: only Redis's expiry
        if b"GoneSoon" not in _everything_in_redis(port, p.code):
            break
        await asyncio.sleep(0.2)
    assert b"GoneSoon" not in _everything_in_redis(port, p.code)
    assert command(port, "EXISTS", f"ck:{{{p.code}}}:state").strip() == b":1"  # the space stays


async def test_two_instances_ticking_one_space_at_once_deal_one_card_and_delete_once(
    instances: list[ServerProcess], clock_file: Path, redis_url: str
) -> None:
    first, second = instances
    p = await partners(first.ws_url, second.ws_url, http_url=first.url)
    await p.ana.act("answer", text=envelope_showing("One"))
    ack = await p.bo.act("answer", text=envelope_showing("Two"))
    # Bo's answer reaches Ana's instance by the broker, which may miss it on a loaded
    # machine (a broker reconnecting loses what is published meanwhile, by design): her
    # ping catches her up, as a client's heartbeat does. Failed twice under load without.
    await p.ana.request({"t": "ping"})
    before = await p.ana.latest_view(ack["version"])
    assert before["card"] is None
    move_clock(clock_file, 24 * HOUR)
    # both instances fire the deal at once (each on a ping from its seat)
    await asyncio.gather(p.ana.request({"t": "ping"}), p.bo.request({"t": "ping"}))
    views = [await c.latest_view(ack["version"] + 1) for c in (p.ana, p.bo)]
    await asyncio.sleep(0.5)
    after = [newest(p.ana), newest(p.bo)]
    assert after[0]["version"] == after[1]["version"] == ack["version"] + 1
    assert after[0]["card"]["id"] == after[1]["card"]["id"] == views[0]["card"]["id"]
    assert after[0]["card"]["id"] != before["history"][0]["card"]["id"]
    # a week on, both instances delete the revealed day at once: one change, keys gone
    day = before["history"][0]["day"]
    port = _redis_port(redis_url)
    assert command(port, "EXISTS", f"ck:{{{p.code}}}:text:{day}:0").strip() == b":1"
    move_clock(clock_file, 7 * 24 * HOUR)
    version = after[0]["version"]
    await asyncio.gather(p.ana.request({"t": "ping"}), p.bo.request({"t": "ping"}))
    views = [await c.latest_view(version + 1) for c in (p.ana, p.bo)]
    await asyncio.sleep(0.5)
    assert [newest(c)["version"] for c in (p.ana, p.bo)] == [version + 1] * 2
    assert all(day not in [d["day"] for d in v["history"]] for v in views)
    assert command(port, "EXISTS", f"ck:{{{p.code}}}:text:{day}:0").strip() == b":0"


async def test_a_sealed_space_refuses_a_plain_answer_and_codes_stay_with_their_socket(
    instances: list[ServerProcess],
) -> None:
    first, _ = instances
    p = await partners(first.ws_url, http_url=first.url)
    refused = await p.ana.act("answer", text="in clear")
    assert refused["t"] == "error" and refused["code"] == "text/not_sealed", refused
    # a daily code on the live socket, a live code on the daily socket: unknown rooms
    live = await Client.connect(first.ws_url, JSON)
    reply = await live.request({"t": "hello", "v": V, "room": p.code, "token": p.tokens[0]})
    assert reply["t"] == "error" and reply["code"] == "join/failed", reply
    async with httpx.AsyncClient(base_url=first.url) as http:
        r = await http.post("/api/rooms", json={"deck": "closer", "settings": {"name": "Cy"}})
    code, invite = split_invite(r.json()["invite_url"])
    daily = await Client.connect(daily_url(first.ws_url), JSON)
    hello = {"t": "hello", "v": V, "room": code, "invite": invite, "name": "Cy"}
    reply = await daily.request(hello)
    assert reply["t"] == "error" and reply["code"] == "join/failed", reply


async def test_creating_a_space_refuses_an_unknown_time_zone_and_hour(
    instances: list[ServerProcess],
) -> None:
    first, _ = instances
    async with httpx.AsyncClient(base_url=first.url) as http:
        for settings, code in (
            ({"name": "Ana", "tz": "Mars/Olympus"}, "daily/bad_time_zone"),
            ({"name": "Ana", "tz": "../etc/passwd"}, "daily/bad_time_zone"),
            ({"name": "Ana", "tz": "UTC", "day_start": 24}, "daily/bad_day_start"),
        ):
            body = {"deck": "closer", "kind": "daily", "settings": settings}
            r = await http.post("/api/rooms", json=body)
            assert r.status_code == 400 and r.json()["error"] == code, r.text
    created = await create_space(first.url, tz="America/Bogota", day_start=5)
    assert len(created["code"]) == 7 and created["kind"] == "daily"
