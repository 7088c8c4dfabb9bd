"""Protocol 1.1: a view leaves out its deck part (titles, levels, topics), which comes
once as a ``deck`` message before the first state, and again only when the deck or the
seat's language changes; a 1.0 client still gets the whole view every time."""

from __future__ import annotations

from tests.server.client import Client, Msg, create_room, split_invite
from tests.support.servers import InProcessServer


def hello(room: str, invite: str, version: str) -> Msg:
    return {"t": "hello", "v": version, "room": room, "invite": invite, "name": "Bo"}


async def joined(srv: InProcessServer, version: str) -> tuple[Client, Msg]:
    created = await create_room(srv.url, name="Ana")
    code, invite = split_invite(created["invite_url"])
    client = await Client.connect(srv.ws_url)
    welcome = await client.request(hello(code, invite, version))
    assert welcome["t"] == "welcome", welcome
    await client.state(welcome["version"])
    return client, welcome


async def test_a_1_1_client_gets_the_deck_once_before_its_first_state(
    memory_server: InProcessServer,
) -> None:
    client, _ = await joined(memory_server, "1.1")
    kinds = [m["t"] for m in client.messages if m["t"] in ("deck", "state")]
    assert kinds[:2] == ["deck", "state"]
    deck = next(m for m in client.messages if m["t"] == "deck")["deck"]
    assert deck["id"] == "closer" and deck["levels"] and "tags" in deck
    assert all("deck" not in m["view"] for m in client.messages if m["t"] == "state")
    ack = await client.act("ready")
    await client.state(ack["version"])
    assert [m["t"] for m in client.messages].count("deck") == 1  # not with the move


async def test_a_1_1_client_gets_the_deck_again_when_its_language_changes(
    memory_server: InProcessServer,
) -> None:
    client, _ = await joined(memory_server, "1.1")
    ack = await client.act("set_language", language="de")
    await client.state(ack["version"])
    decks = [m["deck"] for m in client.messages if m["t"] == "deck"]
    assert len(decks) == 2 and decks[0]["title"] != decks[1]["title"]  # now in German


async def test_a_1_0_client_still_gets_the_whole_view(memory_server: InProcessServer) -> None:
    client, _ = await joined(memory_server, "1.0")
    ack = await client.act("ready")
    await client.state(ack["version"])
    states = [m for m in client.messages if m["t"] == "state"]
    assert states and all(m["view"]["deck"]["id"] == "closer" for m in states)
    assert "deck" not in [m["t"] for m in client.messages]
