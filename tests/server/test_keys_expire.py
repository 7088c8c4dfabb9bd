"""Every key a real game writes in Redis expires: state, change log, secrets (tokens,
invite, knocks) and presence."""

from __future__ import annotations

import redis.asyncio as aioredis

from server import keys
from tests.server.client import Client, pair
from tests.support.servers import InProcessServer


async def test_every_key_a_played_room_leaves_in_redis_expires(redis_url: str) -> None:
    async with InProcessServer(redis_url=redis_url, room_ttl=600) as srv:
        p = await pair(srv.url, srv.ws_url)
        await p.a.client.act("ready")
        await p.b.client.act("ready")
        await p.b.client.request({"t": "typing", "on": True})
        knocker = await Client.connect(srv.ws_url)
        knock = {"t": "hello", "v": "1.0", "room": p.code, "knock": True, "name": "Cy"}
        assert (await knocker.request(knock))["t"] == "ack"
        await p.b.client.close()  # presence "away" is written too
        await p.a.client.quiet(0.3)
        client = aioredis.Redis.from_url(redis_url)
        try:
            found = [k async for k in client.scan_iter(match=f"{keys.PREFIX}{{{p.code}}}*")]
            ttls = {bytes(k).decode(): await client.pttl(k) for k in found}
        finally:
            await client.aclose()
    kinds = {name.rsplit(":", 1)[-1] for name in ttls}
    assert {"state", "log", "secrets", "presence"} <= kinds, ttls
    assert all(0 < ttl <= 600_000 for ttl in ttls.values()), ttls
