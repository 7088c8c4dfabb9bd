"""The party socket at ``/ws/party``: hosts, displays and guests (docs/party.md).

The same transport as ``/ws`` (``http.shell``: origin check, the two subprotocols, the
same frame limits and rate, one reply per message, the reply deadline). The role is
bound once, at ``hello``, from a checked secret. A guest plays their table on ``/ws``
as an ordinary seat, with a seat token this socket hands out (``seat``).
"""

from __future__ import annotations

from typing import Any

from game import party as p
from server.errors import CloseCode, ErrorCode, ProtocolError
from server.fanout.conn import Conn
from server.http.shared import Shared
from server.http.shell import Ends, Socket, connection, limits
from server.parties.hub import PartyHub, Watch
from server.parties.service import PartyService
from server.wire import party as wire
from server.wire import protocol
from server.wire.frames import only, word


def open_party(app: Any, subprotocol: str, address: str, ends: Ends) -> PartySession:
    shared: Shared = app.state.shared
    codec = wire.Codec(subprotocol, limits(shared.settings))
    # A console's snapshot of a big party is many frames: a deeper queue than a seat's.
    conn = connection(ends, codec, shared.settings.send_queue * 4, shared.hub)
    return PartySession(app.state.parties, app.state.party_hub, shared, conn, address)


class PartySession(Socket[wire.PartyMessage]):
    def __init__(
        self, parties: PartyService, hub: PartyHub, shared: Shared, conn: Conn, address: str
    ) -> None:
        codec = conn.codec  # the socket's one codec: it encodes replies, decodes frames
        assert isinstance(codec, wire.Codec)
        super().__init__(shared.settings, shared.hub, conn, codec, address)
        self.shared = shared
        self.parties = parties
        self.party_hub = hub
        self.watch: Watch | None = None

    async def closed(self) -> None:
        if self.watch is not None:
            self.party_hub.unwatch(self.watch)

    def deadline(self, msg: wire.PartyMessage) -> float | None:
        # Each store call is bounded by the reply deadline (rooms.Service.io), so a
        # hung store answers within it; a whole message is not: a host's pause waits
        # for every table, which may take longer on a big party than a deadline.
        return None

    async def dispatch(self, msg: wire.PartyMessage) -> None:
        if isinstance(msg, wire.PartyPing):
            self.reply(protocol.ack(msg.id, None))
        elif isinstance(msg, wire.PartyHello):
            await self._hello(msg)
        elif self.watch is None:
            self.fail(msg.id, ErrorCode.HELLO_FIRST, "Send hello first.")
        elif isinstance(msg, wire.PartyAct):
            await self._act(msg, self.watch)
        elif self.watch.role != "guest" or self.watch.guest is None:
            raise ProtocolError(ErrorCode.BAD_FIELD, "unknown message type for this role")
        elif isinstance(msg, wire.Seat):
            room, seat, token = await self.parties.seat(self.watch.code, self.watch.guest)
            self.reply({"t": "seat", "re": msg.id, "room": room, "seat": seat, "token": token})
        else:
            claim = await self.parties.claim_host(self.watch.code, self.watch.guest)
            self.reply({"t": "host_token", "re": msg.id, "token": claim.token,
                        "display_key": claim.display_key})  # fmt: skip

    # hello ------------------------------------------------------------------------------
    async def _hello(self, msg: wire.PartyHello) -> None:
        if self.watch is not None:
            self.fail(msg.id, ErrorCode.ALREADY_JOINED, "This socket already has a role.")
            return
        limiter = self.shared.join_limiter
        if await limiter.blocked(self.address):
            self.fail(msg.id, ErrorCode.RATE_LIMITED, "Too many attempts; wait a minute.")
            return
        party = await self.parties.load(msg.party)
        bound = None if party is None else await self._bind(msg, party)
        if bound is None:
            await limiter.allow(self.address)
            self.fail(msg.id, ErrorCode.JOIN_FAILED, "No such party, or the secret does not match.")
            return
        watch, token = bound
        self.watch = watch
        self.reply(wire.welcome(msg.id, msg.party, msg.role, watch.guest, token))
        await self.party_hub.watch(watch)

    async def _bind(self, msg: wire.PartyHello, party: p.Party) -> tuple[Watch, str | None] | None:
        code, role = msg.party, msg.role
        if role != "guest":
            assert msg.token is not None
            if not await self.parties.role_for(code, role, msg.token):
                return None
            return Watch(self.conn, code, role, epoch=party.host_epoch), None
        if msg.token is not None:
            guest = None if msg.bad_token else await self.parties.guest_for(code, msg.token)
            return None if guest is None else (Watch(self.conn, code, role, guest=guest), None)
        assert msg.name is not None
        guest, token, _ = await self.parties.join(code, msg.name, msg.language)
        return Watch(self.conn, code, role, guest=guest), token

    # actions ----------------------------------------------------------------------------
    async def _act(self, msg: wire.PartyAct, watch: Watch) -> None:
        action = self._action(msg.a, msg.args)
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
        self.reply(protocol.ack(msg.id, out.party.version))
        if watch.leaving:
            self.conn.shut(CloseCode.DELETED)

    def _action(self, name: str, args: dict[str, object] | object) -> p.PartyAction:
        assert isinstance(args, dict)
        if name != "choose_deck":
            return wire.party_action(name, args)
        only(args, {"deck"})
        deck = self.parties.decks.get(word(args, "deck"))
        assert self.watch is not None
        uploaded = deck is not None and deck.id in self.parties.decks.uploaded
        if deck is None or (uploaded and not deck.id.startswith(f"{self.watch.code}~")):
            raise ProtocolError(ErrorCode.BAD_FIELD, "no such deck")
        return p.ChooseDeck(deck.id, len(deck.levels))
