"""A couple's own deck in a sealed room (issue 20), on Redis: a deck whose texts are
not sealed is refused with a typed error that points at each such text; a sealed one is
checked for its structure, accepted, played, and its canary text is in no raw Redis key
and no pub/sub message. (The browser seals for real: tests/browser/test_own_deck_sealed.py.)"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import redis.asyncio as aioredis

from decks.catalog import load_decks
from server.errors import ErrorCode
from server.rooms.own_deck import DeckRefused
from server.rooms.service import Service
from server.settings import Settings
from server.store.factory import from_url
from tests.support import sealing

CANARY = "canary-amber-otter"


def deck(text: Any) -> dict[str, Any]:
    """A deck of four cards whose every text is ``text(name)``."""
    return {
        "id": "ours", "version": "1.0.0", "title": {"en": text("title")},
        "description": {"en": text("description")}, "default_language": "en",
        "languages": ["en"], "authors": ["Us"], "license": "CC0-1.0", "age_rating": "all",
        "levels": [{"id": "ours", "name": {"en": text("level")}, "description": {"en": text("d")}}],
        "cards": [{"id": f"q{i}", "level": "ours", "kind": "question", "mode": "one",
                   "text": {"en": text(f"card {i}")}} for i in range(4)],
    }  # fmt: skip


async def test_a_sealed_rooms_deck_takes_envelopes_only_and_the_server_never_holds_its_words(
    redis_url: str,
) -> None:
    store = from_url(redis_url)
    svc = Service(store, load_decks(), Settings(sealed_texts=True))
    raw = aioredis.from_url(redis_url)
    tap = raw.pubsub()
    await tap.psubscribe("*")
    try:
        created = await svc.create_room("closer", name="Ana", language=None, light_mode=False)
        code = created.code
        await svc.join_invite(code, created.invite, "Bo")
        plain = json.dumps(deck(lambda name: f"{CANARY} {name}"), indent=2)
        with pytest.raises(DeckRefused) as refused:
            await svc.add_own_deck(code, created.token, plain.encode())
        assert refused.value.code is ErrorCode.NOT_SEALED
        lines = plain.splitlines()
        for p in refused.value.problems:  # each points at a text the page should have sealed
            assert lines[int(str(p["line"])) - 1].strip().startswith('"en": "canary')
        assert len(refused.value.problems) == 8  # title, description, level twice, 4 cards

        sealed = deck(lambda name: sealing.envelope(64))
        sealed["cards"][0]["tags"] = [sealing.envelope(64)]  # ids and topics stay readable
        with pytest.raises(DeckRefused) as misplaced:
            await svc.add_own_deck(code, created.token, json.dumps(sealed).encode())
        assert misplaced.value.code is ErrorCode.DECK_INVALID
        del sealed["cards"][0]["tags"]
        await svc.add_own_deck(code, created.token, json.dumps(sealed).encode())
        await svc.act(code, 1, "a", "accept_deck", {})
        await svc.act(code, 0, "r0", "ready", {})
        await svc.act(code, 1, "r1", "ready", {})
        speaker = (await svc.load(code)).room.next_speaker  # type: ignore[union-attr]
        await svc.act(code, speaker, "d", "draw", {})
        room = (await svc.load(code)).room  # type: ignore[union-attr]
        card = room.card()
        assert card is not None and room.deck.id == "~own"
        assert card.text["en"] == sealed["cards"][int(card.id[1:])]["text"]["en"]

        messages: list[bytes] = []
        while (msg := await tap.get_message(timeout=0.2)) is not None:
            if msg["type"] == "pmessage":
                messages.append(bytes(msg["data"]))
        stored = [bytes(await raw.dump(k) or b"") async for k in raw.scan_iter(match="*")]
        assert messages and stored
        assert CANARY.encode() not in b"".join(stored + messages)
    finally:
        await tap.aclose()
        await raw.aclose()
        await store.close()
        await asyncio.sleep(0)
