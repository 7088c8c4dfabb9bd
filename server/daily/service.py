"""Daily spaces on a store: load -> ``game.daily.apply_daily`` -> commit (compare-and-set),
as live rooms are. Seats, tokens and the invite are the live room's secrets, kept the
same way (``rooms.service``); knocks are ``rooms.admission``'s.

Revealed answers leave the space's blob at their reveal: each goes under its own store
key that expires at its ``kept_until`` (``blob``), written before the commit that
reveals them (a commit that then loses its compare-and-set leaves a key that expires at
the same deadline and is written again by the winner). A tick removes the days whose
deadline passed from the state and drops their keys.
"""

from __future__ import annotations

import random
import secrets as pysecrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from game import ActionFormatError, Deck
from game import ErrorCode as GameCode
from game.daily import (
    SYSTEM,
    AnswerCard,
    DailyAction,
    DailyCode,
    DailyViolation,
    Join,
    Space,
    Tick,
    apply_daily,
    new_space,
    next_deadline,
)
from game.daily.codec import action_from_wire
from game.daily.days import zone
from server import tokens
from server.daily import blob
from server.daily.blob import DailyState
from server.errors import Duplicate, ErrorCode, Refused
from server.metrics import Metrics
from server.rooms.service import FAILED, OPEN_INVITE
from server.settings import Settings
from server.store.base import RoomStore, SecretChanges, Snapshot
from server.store.guard import bounded
from server.wire import broker, seal

T = TypeVar("T")
ACT_MEMORY = 16  # action ids remembered per seat (as live rooms)
CODE_ATTEMPTS = 20
MIN_TTL = 60.0  # a stored space lives at least this long past any write
MORE_DEVICES = 4  # tokens a seat may hold besides its first (devices let back in)


@dataclass(frozen=True, slots=True)
class DailyCreated:
    code: str
    invite: str
    token: str


@dataclass(frozen=True, slots=True)
class DailySeated:
    code: str
    seat: int
    token: str
    space: Space
    invite: str | None = None  # for seat 0 while seat 1 is free
    key: str | None = None  # a knocker's room key, wrapped for it by the creator's page


class DailyService:
    """What the socket and HTTP ask of daily spaces. ``clock`` is the one clock the
    engine is given (tests pass their own; no client can move it)."""

    def __init__(
        self,
        store: RoomStore,
        decks: Mapping[str, Deck],
        settings: Settings,
        metrics: Metrics | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.decks = decks
        self.settings = settings
        self.metrics = metrics or Metrics()
        self.clock = clock

    async def io(self, call: Awaitable[T]) -> T:
        return await bounded(call, self.settings.reply_deadline, self.metrics.store_latency.observe)

    def ttl(self, space: Space) -> float:
        """The stored space expires at its ``ends_at`` (an ended space soon)."""
        if space.ended:
            return MIN_TTL
        return max(MIN_TTL, space.ends_at - self.clock())

    # reading ------------------------------------------------------------------------
    async def load(self, code: str) -> tuple[int, DailyState] | None:
        """The stored space with its revealed texts still kept; None: no such space."""
        if not blob.is_daily_code(code):
            return None
        snap = await self.io(self.store.load(code))
        if snap is None:
            return None
        return snap.version, await self._filled(code, snap)

    async def adopt(self, code: str, snapshot: Snapshot | None) -> DailyState | None:
        """A commit's state from its broker message (decoded, texts added), else loaded."""
        if snapshot is not None:
            try:
                return await self._filled(code, snapshot)
            except Refused:  # a damaged or foreign message: the store's copy decides
                pass
        loaded = await self.load(code)
        return None if loaded is None else loaded[1]

    async def _filled(self, code: str, snap: Snapshot) -> DailyState:
        try:
            state = blob.decode(snap.blob, self.decks)
        except (ValueError, KeyError, TypeError) as exc:
            raise Refused(ErrorCode.STORE_FORMAT, "Saved by a newer server.") from exc
        names = blob.text_names(state.space)
        texts = await self.io(self.store.texts(code, names)) if names else {}
        return replace(state, space=blob.fill(state.space, texts))

    # creating -----------------------------------------------------------------------
    async def create(
        self, deck_id: str, *, name: str, language: str | None, tz: str, day_start: int
    ) -> DailyCreated:
        deck = self.decks.get(deck_id)
        if deck is None:
            raise ActionFormatError(GameCode.LOBBY_UNKNOWN_DECK, "no such deck")
        if zone(tz) is None:
            raise DailyViolation(DailyCode.BAD_TIME_ZONE)
        if isinstance(day_start, bool) or not 0 <= day_start <= 23:
            raise DailyViolation(DailyCode.BAD_DAY_START)
        language = language or deck.languages[0]
        if language not in deck.languages:
            raise ActionFormatError(GameCode.LOBBY_UNKNOWN_LANGUAGE, "the deck lacks it")
        if not name or len(name) > self.settings.max_name:
            raise ActionFormatError(GameCode.NAME_INVALID, "a name of 1-40 characters")
        s = self.settings
        for _ in range(CODE_ATTEMPTS):
            code = tokens.new_code(blob.CODE_LENGTH)
            space = new_space(
                deck,
                seed=pysecrets.token_hex(8) + str(random.SystemRandom().getrandbits(32)),
                name=name,
                now=self.clock(),
                language=language,
                tz=tz,
                day_start=day_start,
                keep_days=s.daily_keep_days,
                idle_days=s.daily_idle_days,
                sealed=s.sealed_texts,
            )
            token, invite = tokens.new_secret(), tokens.new_secret()
            secrets = {
                "seat0": tokens.digest(token),
                "invite": tokens.digest(invite),
                OPEN_INVITE: invite,
            }
            snap = Snapshot(space.version, blob.encode(DailyState(space)))
            if await self.io(self.store.create(code, snap, secrets, self.ttl(space))):
                self.metrics.rooms_created += 1
                return DailyCreated(code, invite, token)
        raise Refused(ErrorCode.STORE_BUSY, "Could not find a free code.")

    # changing -----------------------------------------------------------------------
    async def change(
        self,
        code: str,
        step: Callable[[DailyState, float], DailyState],
        secrets: SecretChanges | None = None,
    ) -> DailyState:
        """``step`` on the stored state, committed with compare-and-set (run again on
        a conflict; it raises when the change has become illegal)."""
        for _ in range(self.settings.commit_retries):
            loaded = await self.load(code)
            if loaded is None:
                raise Refused(ErrorCode.ROOM_GONE, "This space no longer exists.")
            expected, state = loaded
            now = self.clock()
            new = step(state, now)
            old_texts = blob.revealed_texts(state.space)
            new_texts = blob.revealed_texts(new.space)
            fresh = {
                name: (text, self._keep_ttl(new.space, name, now))
                for name, text in new_texts.items()
                if name not in old_texts
            }
            if fresh:  # before the commit: the answer must never be only in memory
                await self.io(self.store.put_texts(code, fresh))
            record = broker.encode(broker.Commit(new.space.version, (), tokens.new_secret()))
            snap = Snapshot(new.space.version, blob.encode(new))
            ttl = self.ttl(new.space)
            if await self.io(self.store.commit(code, expected, snap, record, ttl, secrets=secrets)):
                gone = set(blob.text_names(state.space)) - set(blob.text_names(new.space))
                if gone:
                    await self.io(self.store.drop_texts(code, sorted(gone)))
                return new
            self.metrics.conflicts += 1
        raise Refused(ErrorCode.STORE_BUSY, "The space is busy; retry.")

    def _keep_ttl(self, space: Space, name: str, now: float) -> float:
        day = name.rpartition(":")[0]
        for d in space.history:
            if d.day == day and d.kept_until is not None:
                return max(1.0, d.kept_until - now)
        return space.keep_seconds

    def _applied(self, state: DailyState, actor: int, action: DailyAction, now: float) -> Space:
        return apply_daily(state.space, actor, action, now).space

    async def act(
        self, code: str, seat: int, msg_id: str | int, name: str, args: Mapping[str, object]
    ) -> DailyState:
        s = self.settings
        limit = seal.max_chars_for(s.max_text) if s.sealed_texts else s.max_text
        action = action_from_wire(name, args, text_limit=limit)  # before any I/O
        key = f"{type(msg_id).__name__[0]}:{msg_id}"

        def step(state: DailyState, now: float) -> DailyState:
            for sv, k, v in state.acts:
                if sv == seat and k == key:
                    raise Duplicate(v)
            if isinstance(action, AnswerCard):
                self._check_text(state.space, action.text)
            space = self._due(state.space, now)  # a day turned since: its card first
            space = apply_daily(space, seat, action, now).space
            return blob.remember(replace(state, space=space), seat, key, space.version, ACT_MEMORY)

        out = await self.change(code, step)
        self.metrics.actions[name] += 1
        return out

    def _check_text(self, space: Space, text: str) -> None:
        if space.sealed and self.settings.sealed_texts:
            try:
                seal.check(text, max_chars=self.settings.max_text)
            except seal.EnvelopeError as exc:
                raise Refused(ErrorCode.NOT_SEALED, str(exc)) from None
        elif len(text) > self.settings.max_text:
            raise ActionFormatError(GameCode.TEXT_TOO_LONG, "too long")

    @staticmethod
    def _due(space: Space, now: float) -> Space:
        at = next_deadline(space)
        if at is None or now < at:
            return space
        return apply_daily(space, SYSTEM, Tick(), now).space

    async def tick(self, code: str, known: DailyState | None = None) -> DailyState | None:
        """Fire what is due now; None when nothing was (safe to run twice, anywhere).
        ``known``: a state the caller holds, to judge whether anything is due without a
        load (the commit still runs on the stored one: a stale one costs nothing)."""
        if known is None:
            loaded = await self.load(code)
            if loaded is None:
                return None
            known = loaded[1]
        at = next_deadline(known.space)
        if at is None or self.clock() < at:
            return None

        def step(state: DailyState, now: float) -> DailyState:
            return replace(state, space=apply_daily(state.space, SYSTEM, Tick(), now).space)

        try:
            state = await self.change(code, step)
        except DailyViolation:  # another instance ticked first: nothing due any more
            return None
        if state.space.ended:  # its end: every key goes at once, and its sockets close
            await self.delete(code)
            await self.io(self.store.publish(code, broker.encode(broker.Deleted())))
        return state

    async def set_push(self, code: str, seat: int, sub: dict[str, Any] | None) -> None:
        def step(state: DailyState, now: float) -> DailyState:
            push = (sub, state.push[1]) if seat == 0 else (state.push[0], sub)
            space = replace(state.space, version=state.space.version + 1)
            return replace(state, space=space, push=push)

        await self.change(code, step)

    async def delete(self, code: str) -> None:
        loaded = await self.load(code)
        if loaded is not None:
            names = blob.text_names(loaded[1].space)
            await self.io(self.store.drop_texts(code, names))
        await self.io(self.store.delete(code))
        self.metrics.rooms_deleted += 1

    # seats --------------------------------------------------------------------------
    async def resume(self, code: str, token: str) -> DailySeated:
        secrets = await self.io(self.store.secrets(code))
        seat = _seat_of(secrets, token)
        loaded = await self.load(code)
        if seat is None or loaded is None:
            raise Refused(ErrorCode.JOIN_FAILED, FAILED)
        state = await self.tick(code, loaded[1]) or loaded[1]  # what came due meanwhile
        invite = secrets.get(OPEN_INVITE) if seat == 0 and not state.space.seats[1].joined else None
        # A daily seat keeps its token: a month-long space is opened from two phones
        # now and then, and a token that turned with every visit would be lost by the
        # first reload that did not store the new one.
        return DailySeated(code, seat, token, state.space, invite)

    async def join_invite(
        self, code: str, invite: str, name: str, language: str, seat: int | None = None
    ) -> DailySeated:
        """The invite seats the partner; on a full space it lets a browser that lost its
        storage back into the seat it names (``seat``) with a token of its own, beside
        the seat's other devices (the invite link is the couple's secret: it carries
        the key to every answer too)."""
        secrets = await self.io(self.store.secrets(code))
        if not blob.is_daily_code(code) or not tokens.matches(invite, secrets.get("invite")):
            raise Refused(ErrorCode.JOIN_FAILED, FAILED)
        loaded = await self.load(code)
        if loaded is None:
            raise Refused(ErrorCode.JOIN_FAILED, FAILED)
        space = loaded[1].space
        if not space.seats[1].joined and seat in (None, 1):
            return await self.take_seat(code, name, language=language)
        if seat is None:
            raise DailyViolation(DailyCode.SEAT_TAKEN)
        token = tokens.new_secret()
        extra = sorted(k for k in secrets if k.startswith(f"more{seat}:"))
        for old in extra[: max(0, len(extra) - (MORE_DEVICES - 1))]:
            await self.io(self.store.set_secret(code, old, None, self.ttl(space)))
        name_ = f"more{seat}:{tokens.new_secret()[:12]}"
        await self.io(self.store.set_secret(code, name_, tokens.digest(token), self.ttl(space)))
        return DailySeated(code, seat, token, space)

    async def take_seat(
        self, code: str, name: str, spent: str | None = None, *, language: str = ""
    ) -> DailySeated:
        if not name or len(name) > self.settings.max_name:
            raise ActionFormatError(GameCode.NAME_INVALID, "a name of 1-40 characters")

        def step(state: DailyState, now: float) -> DailyState:
            space = state.space
            if space.seats[1].joined:
                raise Refused(ErrorCode.SEAT_TAKEN, "The second seat is already taken.")
            lang = language if language in space.deck.languages else space.language
            return replace(state, space=apply_daily(space, SYSTEM, Join(1, name, lang), now).space)

        token = tokens.new_secret()
        changes: dict[str, str | None] = {"seat1": tokens.digest(token), OPEN_INVITE: None}
        if spent is not None:
            changes[spent] = None
        state = await self.change(code, step, changes)
        return DailySeated(code, 1, token, state.space)

    async def free_seat(self, code: str) -> bool:
        """Whether the space exists with its second seat free (a knock is recorded)."""
        loaded = await self.load(code)
        return loaded is not None and not loaded[1].space.seats[1].joined


def _seat_of(secrets: Mapping[str, str], token: str) -> int | None:
    """The seat ``token`` opens: its first token, or one a rejoining device was given."""
    for seat in (0, 1):
        if tokens.matches(token, secrets.get(f"seat{seat}")):
            return seat
    for key, digest in secrets.items():
        if key.startswith(("more0:", "more1:")) and tokens.matches(token, digest):
            return int(key[4])
    return None


__all__ = ["DailyCreated", "DailySeated", "DailyService"]
