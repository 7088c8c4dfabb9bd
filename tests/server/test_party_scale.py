"""A party of 200 real WebSocket guests on Redis across two server processes: pairing
by code and by the mixer, 100 tables playing, a host pause and resume reaching every
table, privacy of the host's and the display's frames, the console reclaimed, a deck
upload (invalid, then valid and used on the other process), and the bytes a table
change costs the console at 10 and at 100 tables."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Iterator, Sequence
from typing import Any

import httpx
import pytest

from tests.server.client import Client
from tests.server.party_helpers import Guest, console, create_party, current, join
from tests.support.sealing import envelope, envelope_showing
from tests.support.servers import ROOT, ServerProcess, server_processes

GUESTS = 200
SELF_PAIRED = 20  # the first 20 pair themselves with codes; the mixer pairs the rest
SECRET = "SECRET-ANSWER-"
BOUNDARY = "money"


@pytest.fixture
def two_servers(redis_url: str) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    env = {"REDIS_URL": redis_url, "LOG_LEVEL": "warning", "CREATE_BURST": "1000",
           "JOIN_FAIL_BURST": "1000"}  # fmt: skip
    with server_processes(env) as (first, second):
        yield first, second


async def batched(calls: Sequence[Awaitable[Any]], size: int = 40) -> list[Any]:
    out: list[Any] = []
    for i in range(0, len(calls), size):
        out += await asyncio.gather(*calls[i : i + size])
    return out


async def wait_for(check: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def latest_view(guest: Guest) -> dict[str, Any]:
    assert guest.table is not None
    return guest.table.last("state")["view"]  # type: ignore[no-any-return]


def drawers(tables: dict[str, list[Guest]]) -> list[Guest]:
    """One guest per table: the one whose turn it is."""
    out = []
    for pair in tables.values():
        view = latest_view(pair[0])
        out.append(pair[0] if view["speaker"] == pair[0].seat else pair[1])
    return out


def card_action(pair: list[Guest]) -> Awaitable[dict[str, Any]]:
    """A card action the table's rules would take now, were it not for the host's pause:
    a draw between cards, a reflection (or the second reveal text) from the listener."""
    view = latest_view(pair[0])
    speaker = pair[0] if view["speaker"] == pair[0].seat else pair[1]
    listener = pair[1] if speaker is pair[0] else pair[0]
    assert speaker.table is not None and listener.table is not None
    actions = {
        "between": (speaker, "draw"),
        "shown": (speaker, "answer"),
        "speaking": (speaker, "done_speaking"),
        "reflecting": (listener, "reflect"),
    }
    if view["phase"] == "writing":
        return listener.table.act("write_reveal", text=envelope())
    who, action = actions[view["phase"]]
    assert who.table is not None
    return who.table.act(action)


def all_paused(guests: list[Guest]) -> bool:
    return all(latest_view(g)["paused"]["host"] for g in guests)


def paused_at(guest: Guest) -> float:
    """When this guest's table socket read the first state showing the host's pause."""
    assert guest.table is not None
    at = guest.table.first_at(
        lambda m: m.get("t") == "state" and m["view"]["paused"]["host"] is True
    )
    assert at is not None
    return at


def settled(pairs: list[list[Guest]]) -> bool:
    """Both partners of every table hold the same, newest version."""
    return all(latest_view(x)["version"] == latest_view(y)["version"] for x, y in pairs)


async def bytes_for_one_table_change(host: Client, display: Client, guest: Guest) -> int:
    """Frame bytes the console and the display receive when one table needs a moment."""
    assert guest.table is not None and guest.room is not None
    table = guest.room.split("/")[1]
    marks = len(host.frames), len(display.frames)
    assert (await guest.table.act("pause"))["t"] == "ack"
    await host.expect(
        lambda m: (
            m.get("t") == "party_delta"
            and (m.get("tables", {}).get(table) or {}).get("needs_moment") is True
        ),
        5.0,
    )
    await asyncio.sleep(0.3)  # anything else it caused has arrived
    got = host.frames[marks[0] :] + display.frames[marks[1] :]
    size = sum(len(f if isinstance(f, bytes) else f.encode()) for f in got)
    assert (await guest.table.act("resume"))["t"] == "ack"
    await host.expect(
        lambda m: (
            m.get("t") == "party_delta"
            and (m.get("tables", {}).get(table) or {}).get("needs_moment") is False
        ),
        5.0,
    )
    return size


async def pair_by_codes(guests: list[Guest]) -> None:
    for first, second in zip(guests[0::2], guests[1::2], strict=True):
        made = await first.act("make_pair_code")
        assert made["t"] == "ack", made
        msg = await first.client.expect(
            lambda m: m.get("t") == "party" and m["view"]["you"]["pair_code"]
        )
        reply = await second.act("enter_pair_code", code=msg["view"]["you"]["pair_code"])
        assert reply["t"] == "ack", reply


def by_table(guests: list[Guest]) -> dict[str, list[Guest]]:
    tables: dict[str, list[Guest]] = {}
    for g in guests:
        assert g.room is not None
        tables.setdefault(g.room, []).append(g)
    assert len(tables) == GUESTS // 2 and all(len(pair) == 2 for pair in tables.values())
    return tables


async def play_every_table(tables: dict[str, list[Guest]], guests: list[Guest]) -> None:
    """Each drawer draws and answers; half type a private answer, half pass; some mark
    a boundary."""
    speakers = drawers(tables)
    for reply in await batched([g.table.act("draw") for g in speakers if g.table]):
        assert reply["t"] == "ack", reply
    answered = await batched([g.table.act("answer") for g in speakers if g.table])
    phases = await batched([g.table.latest_view(r["version"]) for g, r in
                            zip(speakers, answered, strict=True) if g.table])  # fmt: skip
    typed = []
    for i, (g, view) in enumerate(zip(speakers, phases, strict=True)):
        assert g.table is not None and view["phase"] in ("speaking", "writing"), view["phase"]
        if i >= GUESTS // 4:
            typed.append(g.table.act("pass"))
        elif view["phase"] == "speaking":
            typed.append(g.table.act("done_speaking", text=envelope_showing(f"{SECRET}{i}")))
        else:  # a reveal card: written privately
            typed.append(g.table.act("write_reveal", text=envelope_showing(f"{SECRET}{i}")))
    marks = [g.table.act("mark_boundary", tag=BOUNDARY) for g in guests[::7] if g.table]
    for reply in await batched(typed + marks):
        assert reply["t"] == "ack", reply


async def pause_reaches_everyone(
    host: Client, tables: dict[str, list[Guest]], guests: list[Guest]
) -> None:
    """Every table within a second; once acked, no table takes a card action.

    The ack comes only after every table committed the pause, so its delay bounds the
    time to reach every table; the refusals right after it prove each table holds it.
    How long until each phone has redrawn is printed too (it includes this test
    process reading 400 sockets), with a looser bound."""
    await wait_for(lambda: settled(list(tables.values())))
    started = time.monotonic()
    assert (await host.request({"t": "act", "a": "pause_all"}, 10.0))["t"] == "ack"
    acked = time.monotonic() - started
    refusals = await batched([card_action(pair) for pair in tables.values()])
    assert all(r.get("code") == "game/host_paused" for r in refusals), refusals[:3]
    await wait_for(lambda: all_paused(guests), 5.0)
    shown = max(paused_at(g) for g in guests) - started
    print(f"host pause: every table paused and acked after {acked:.3f}s; "
          f"all {GUESTS} phones had the paused view after {shown:.3f}s")  # fmt: skip
    assert acked < 1.0
    assert shown < 2.0
    assert (await host.request({"t": "act", "a": "resume_all"}, 10.0))["t"] == "ack"
    await wait_for(lambda: not any(latest_view(g)["paused"]["host"] for g in guests), 1.0)


def nothing_private_in(client: Client) -> None:
    raw = "".join(f if isinstance(f, str) else f.decode("utf-8", "replace")
                  for f in client.frames)  # fmt: skip
    assert SECRET not in raw and BOUNDARY not in raw
    assert "passed" not in raw and '"pass"' not in raw
    assert "token" not in raw


async def upload_reaches_both_processes(
    servers: tuple[ServerProcess, ServerProcess], host: Client, code: str, token: str
) -> None:
    """An invalid deck is refused with its problems; a valid one, uploaded to one
    process, deals the next table's cards on the other."""
    deck = json.loads((ROOT / "decks/builtin/closer.json").read_text(encoding="utf-8"))
    deck["id"] = "our-own"
    deck["title"] = {lang: "Our own deck" for lang in deck["title"]}
    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=servers[1].url) as http:
        bad = await http.post(f"/api/parties/{code}/deck", content=b'{"id": "x"}', headers=auth)
        assert bad.status_code == 400 and bad.json()["problems"], bad.text
        good = await http.post(f"/api/parties/{code}/deck", content=json.dumps(deck), headers=auth)
        assert good.status_code == 200, good.text
    late = [await join(servers[i].ws_url, code, f"Late {i}") for i in (0, 1)]
    reply = await host.request(
        {"t": "act", "a": "pair_guests", "first": late[0].id, "second": late[1].id}
    )
    assert reply["t"] == "ack", reply
    for i, guest in enumerate(late):
        state = await guest.sit(servers[1 - i].ws_url)
        assert state["view"]["deck"]["title"] == "Our own deck"
    for guest in late:
        await guest.client.close()
        if guest.table is not None:
            await guest.table.close()


async def test_two_hundred_guests_on_two_processes(
    two_servers: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = two_servers
    servers = (a, b)
    created = await create_party(a.url)
    code = created["code"]
    host, _ = await console(a.ws_url, code, "host", created["host_token"])
    display, _ = await console(b.ws_url, code, "display", created["display_key"])

    # the first guests pair themselves with codes: 10 tables
    guests: list[Guest] = await batched(
        [join(servers[i % 2].ws_url, code, f"Guest {i}") for i in range(SELF_PAIRED)]
    )
    await pair_by_codes(guests)
    await batched([g.sit(servers[(i + 1) % 2].ws_url) for i, g in enumerate(guests)])
    await wait_for(lambda: len(current(host)["tables"]) == SELF_PAIRED // 2)
    at_10 = await bytes_for_one_table_change(host, display, guests[0])

    # the rest arrive; the host switches the mixer on and pairs them at random: 100 tables
    assert (await host.request({"t": "act", "a": "set_mixer", "on": True}))["t"] == "ack"
    guests += await batched(
        [join(servers[i % 2].ws_url, code, f"Guest {i}") for i in range(SELF_PAIRED, GUESTS)]
    )
    assert (await host.request({"t": "act", "a": "mix"}, 30.0))["t"] == "ack"
    await batched([g.sit(servers[(i + 1) % 2].ws_url, 30.0) for i, g in enumerate(guests)])
    tables = by_table(guests)
    await play_every_table(tables, guests)
    await wait_for(lambda: len(current(host)["tables"]) == GUESTS // 2)
    await wait_for(
        lambda: all(t.get("stage") == "playing" for t in current(host)["tables"].values())
    )
    at_100 = await bytes_for_one_table_change(host, display, guests[-1])
    print(f"\nbytes per table change (console + display): 10 tables {at_10}, 100 tables {at_100}")
    assert at_100 <= at_10 + 16  # a longer table id at most

    await pause_reaches_everyone(host, tables, guests)
    nothing_private_in(host)
    nothing_private_in(display)

    # the host closes the console and reclaims it on the other process
    await host.close()
    again, snapshot = await console(b.ws_url, code, "host", created["host_token"])
    view = snapshot["view"]
    assert len(view["guests"]) == GUESTS and len(view["tables"]) == GUESTS // 2
    assert all(t["stage"] == "playing" for t in view["tables"].values())
    assert sum(t["completed"] for t in view["tables"].values()) == 0  # no card finished yet
    await upload_reaches_both_processes(servers, again, code, created["host_token"])
    for client in (again, display, *(g.client for g in guests)):
        await client.close()
    for g in guests:
        if g.table is not None:
            await g.table.close()
