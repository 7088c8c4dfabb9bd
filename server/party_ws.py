"""The party WebSocket at ``/ws/party``: hosts, displays and guests (docs/party.md).

Same transport rules as ``/ws`` (origin check, the two subprotocols, 16 KiB frames, one
reply per message, per-socket rate limit). The role is bound once, at ``hello``, from a
checked secret. A guest plays their table on ``/ws`` as an ordinary seat, with a seat
token this socket hands out (``seat``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

import msgpack
from starlette.websockets import WebSocket, WebSocketDisconnect

from game import GameError
from game import party as p
from server import protocol
from server.party_hub import PartyHub, Watch
from server.party_service import PartyService
from server.protocol import CloseCode, ErrorCode
from server.ratelimit import Bucket, client_address
from server.relay import Conn
from server.service import ServiceError
from server.store.base import StoreUnavailable
from server.ws import Shared, _closer, _sender, choose_subprotocol, origin_allowed

LANG_MAX = 16
# A guest's token as ``join`` makes it (docs/party.md): their id, a dot, their secret.
GUEST_TOKEN = re.compile(r"g[0-9]{1,9}\.[A-Za-z0-9_-]{16,64}")


class BadMessage(Exception):
    def __init__(self, message: str, msg_id: protocol.MsgId | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.msg_id = msg_id


async def party_endpoint(ws: WebSocket) -> None:
    shared: Shared = ws.app.state.shared
    settings = shared.settings
    if not origin_allowed(ws.headers.get("origin"), ws.headers.get("host"),
                          settings.allowed_origins, settings.public_url):  # fmt: skip
        await ws.close(code=CloseCode.POLICY)
        return
    chosen = choose_subprotocol(list(ws.scope.get("subprotocols", [])))
    await ws.accept(subprotocol=chosen)
    peer = ws.client.host if ws.client else None
    address = client_address(peer, ws.headers.get("x-forwarded-for"), settings.trusted_proxies)
    codec = protocol.Codec(chosen or protocol.SUBPROTOCOL_MSGPACK)
    conn = Conn(codec, _sender(ws), _closer(ws), settings.send_queue * 4, shared.hub.instance)
    session = PartySession(ws.app.state.parties, ws.app.state.party_hub, shared, conn, address)
    await session.run(ws)


class PartySession:
    def __init__(
        self, parties: PartyService, hub: PartyHub, shared: Shared, conn: Conn, address: str
    ) -> None:
        self.parties = parties
        self.hub = hub
        self.shared = shared
        self.conn = conn
        self.address = address
        self.bucket = Bucket(shared.settings.msg_rate, shared.settings.msg_burst)
        self.watch: Watch | None = None

    async def run(self, ws: WebSocket) -> None:
        self.shared.hub.add(self.conn)  # counted, and told "bye" on a graceful stop
        try:
            while not self.conn.closing:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                frame = message.get("bytes")
                await self.handle(frame if frame is not None else message.get("text") or "")
            if self.conn.writer is not None:
                with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(asyncio.shield(self.conn.writer), 2.0)
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass
        finally:
            if self.watch is not None:
                self.hub.unwatch(self.watch)
            await self.shared.hub.remove(self.conn)
            await self.conn.stop()

    def reply(self, message: Mapping[str, object]) -> None:
        self.conn.push(message)

    def fail(self, re: protocol.MsgId | None, code: str, message: str) -> None:
        self.reply(protocol.error(re, code, message))

    async def handle(self, frame: bytes | str) -> None:
        try:
            msg = decode(frame, self.conn.codec.binary, self.shared.settings.max_frame)
        except BadMessage as exc:
            self.fail(exc.msg_id, ErrorCode.BAD_FIELD, exc.message)
            return
        re = msg["id"]
        if not self.bucket.take():
            self.fail(re, ErrorCode.RATE_LIMITED, "Too many messages; slow down.")
            return
        try:
            await self._dispatch(msg)
        except BadMessage as exc:
            self.fail(re, ErrorCode.BAD_FIELD, exc.message)
        except p.PartyViolation as exc:
            self.fail(re, exc.code.value, exc.code.value.replace("/", ": ").replace("_", " "))
        except ServiceError as exc:
            self.fail(re, exc.code, exc.message)
        except GameError as exc:
            self.fail(re, exc.code.value, exc.detail or exc.code.value)
        except StoreUnavailable:
            self.fail(re, ErrorCode.STORE_UNAVAILABLE, "Storage unreachable; retry.")

    async def _dispatch(self, msg: dict[str, Any]) -> None:
        kind, re = msg["t"], msg["id"]
        if kind == "ping":
            self.reply(protocol.ack(re, None))
        elif kind == "hello":
            await self._hello(msg)
        elif self.watch is None:
            self.fail(re, ErrorCode.HELLO_FIRST, "Send hello first.")
        elif kind == "act":
            await self._act(msg, self.watch)
        elif kind == "seat" and self.watch.role == "guest":
            assert self.watch.guest is not None
            room, seat, token = await self.parties.seat(self.watch.code, self.watch.guest)
            self.reply({"t": "seat", "re": re, "room": room, "seat": seat, "token": token})
        elif kind == "claim_host" and self.watch.role == "guest":
            assert self.watch.guest is not None
            claim = await self.parties.claim_host(self.watch.code, self.watch.guest)
            self.reply({"t": "host_token", "re": re, "token": claim.token,
                        "display_key": claim.display_key})  # fmt: skip
        else:
            raise BadMessage("unknown message type for this role")

    # hello ------------------------------------------------------------------------------
    async def _hello(self, msg: dict[str, Any]) -> None:
        re = msg["id"]
        if self.watch is not None:
            self.fail(re, ErrorCode.ALREADY_JOINED, "This socket already has a role.")
            return
        limiter = self.shared.join_limiter
        if await limiter.blocked(self.address):
            self.fail(re, ErrorCode.RATE_LIMITED, "Too many attempts; wait a minute.")
            return
        code, role = _word(msg, "party"), _word(msg, "role")
        party = await self.parties.load(code)
        bound = None if party is None else await self._bind(msg, code, role, party)
        if party is None or bound is None:
            await limiter.allow(self.address)
            self.fail(re, ErrorCode.JOIN_FAILED, "No such party, or the secret does not match.")
            return
        watch, token = bound
        self.watch = watch
        welcome: dict[str, object] = {"t": "welcome", "re": re, "party": code, "role": role}
        if watch.guest is not None:
            welcome["guest"] = watch.guest
        if token is not None:
            welcome["token"] = token  # a new guest's secret: keep it to come back
        self.reply(welcome)
        await self.hub.watch(watch)

    async def _bind(
        self, msg: dict[str, Any], code: str, role: str, party: p.Party
    ) -> tuple[Watch, str | None] | None:
        if role in ("host", "display"):
            _only(msg, {"v", "party", "role", "token"})
            if not await self.parties.role_for(code, role, _word(msg, "token")):
                return None
            return Watch(self.conn, code, role, epoch=party.host_epoch), None
        if role != "guest":
            raise BadMessage("role is host, display or guest")
        _only(msg, {"v", "party", "role", "token", "name", "language"})
        if msg.get("token") is not None:
            token = _guest_token(msg)
            guest = None if token is None else await self.parties.guest_for(code, token)
            return None if guest is None else (Watch(self.conn, code, role, guest=guest), None)
        name = _name(msg)
        language = _word(msg, "language")[:LANG_MAX] if msg.get("language") else "en"
        guest, token, _ = await self.parties.join(code, name, language)
        return Watch(self.conn, code, role, guest=guest), token

    # actions ----------------------------------------------------------------------------
    async def _act(self, msg: dict[str, Any], watch: Watch) -> None:
        args = {k: v for k, v in msg.items() if k not in ("t", "id", "a")}
        name = _word(msg, "a")
        action = self._action(name, args)
        if watch.role == "host":
            out = await self.parties.change(watch.code, p.HOST, action, epoch=watch.epoch)
        elif watch.role == "guest" and action.by == "guest":
            assert watch.guest is not None
            watch.leaving = isinstance(action, p.LeaveParty)  # the ack goes before the close
            try:
                out = await self.parties.change(watch.code, watch.guest, action)
            except BaseException:
                watch.leaving = False
                raise
        else:
            raise p.PartyViolation(p.PartyCode.NOT_HOST)
        self.reply(protocol.ack(msg["id"], out.party.version))
        if watch.leaving:
            self.conn.shut(CloseCode.DELETED)

    def _action(self, name: str, args: Mapping[str, object]) -> p.PartyAction:
        if name == "choose_deck":
            _only(args, {"deck"})
            deck = self.parties.decks.get(_word(args, "deck"))
            assert self.watch is not None
            uploaded = deck is not None and deck.id in self.parties.decks.uploaded
            if deck is None or (uploaded and not deck.id.startswith(f"{self.watch.code}~")):
                raise BadMessage("no such deck")
            return p.ChooseDeck(deck.id, len(deck.levels))
        cls = p.ACTIONS.get(name)
        if cls is None:
            raise BadMessage(f"unknown action {name!r}")
        values: dict[str, object] = {}
        for f in fields(cls):
            if f.name in args:
                values[f.name] = _typed(args[f.name], str(f.type), f.name)
        _only(args, set(values))
        try:
            return cls(**values)
        except TypeError:
            raise BadMessage("a field is missing") from None


# decoding ---------------------------------------------------------------------------------
def decode(frame: bytes | str, binary: bool, max_frame: int) -> dict[str, Any]:
    size = len(frame) if isinstance(frame, bytes) else len(frame.encode("utf-8", "replace"))
    if size > max_frame:
        raise BadMessage("frame too big")
    try:
        if binary != isinstance(frame, bytes):
            raise ValueError
        data = msgpack.unpackb(frame, raw=False) if isinstance(frame, bytes) else json.loads(frame)
    except Exception:
        raise BadMessage("not a valid frame") from None
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        raise BadMessage("a message is a map with 't'")
    msg_id = data.get("id")
    ok_id = isinstance(msg_id, str) and 1 <= len(msg_id) <= 64
    ok_id = ok_id or (isinstance(msg_id, int) and not isinstance(msg_id, bool) and msg_id >= 0)
    if not ok_id:
        raise BadMessage("'id' must be a string (1-64) or an integer")
    return data


def _word(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not protocol.WORD.fullmatch(value):
        raise BadMessage(f"field {key!r} must be a short word")
    return value


def _guest_token(data: Mapping[str, object]) -> str | None:
    """The guest token in ``data``; None when it cannot be one (refused as a wrong one)."""
    value = data.get("token")
    if not isinstance(value, str) or not 0 < len(value) <= 80:
        raise BadMessage("field 'token' must be a guest token")
    return value if GUEST_TOKEN.fullmatch(value) else None


def _name(data: Mapping[str, object]) -> str:
    try:
        return protocol._name(dict(data), protocol.Limits())
    except protocol.ProtocolError as exc:
        raise BadMessage(exc.message) from None


def _only(data: Mapping[str, object], allowed: set[str]) -> None:
    extra = set(data) - allowed - {"t", "id", "a"}
    if extra:
        raise BadMessage(f"unexpected field {min(extra)!r}")


def _typed(value: object, kind: str, key: str) -> object:
    optional = kind.endswith("| None")
    if value is None and optional:
        return None
    if kind.startswith("bool"):
        if isinstance(value, bool):
            return value
    elif kind.startswith("int"):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**31:
            return value
    elif isinstance(value, str) and 0 < len(value) <= 64:
        return value
    raise BadMessage(f"field {key!r} is mistyped")
