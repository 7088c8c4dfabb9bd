"""The service on a store, without sockets: compare-and-set with re-apply, seats and
token rotation with a grace period, at-most-once actions, room life and expiry."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import psutil
import pytest

from decks.catalog import load_decks
from game import RuleViolation
from server.errors import Duplicate, ErrorCode
from server.errors import Refused as ServiceError
from server.rooms.admission import Admission
from server.rooms.service import ACT_MEMORY, Service
from server.settings import Settings
from server.store.base import SecretChanges, Snapshot, StoreUnavailable
from server.store.factory import from_url
from server.store.memory import MemoryStore

DECKS = load_decks()


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class Meddling(MemoryStore):
    """A store that lets a test slip a change in between a load and the next commit."""

    before_commit: Callable[[], Coroutine[Any, Any, None]] | None = None

    async def commit(self, room_id: str, expected: int, snapshot: Snapshot, record: bytes,
                     ttl: float, *, secrets: SecretChanges | None = None,
                     local: bool = True) -> bool:  # fmt: skip
        meddle, self.before_commit = self.before_commit, None
        if meddle is not None:
            await meddle()
        return await super().commit(
            room_id, expected, snapshot, record, ttl, secrets=secrets, local=local
        )


@pytest.fixture
async def store() -> AsyncIterator[Meddling]:
    s = Meddling(background_sweep=False)
    yield s
    await s.close()


def service_on(store: Any, clock: Clock | None = None, **settings: Any) -> Service:
    return Service(store, DECKS, Settings(**settings), clock=clock or Clock())


async def seated_room(svc: Service) -> tuple[str, str, str]:
    created = await svc.create_room("closer", name="Ana", language=None, light_mode=False)
    b = await svc.join_invite(created.code, created.invite, "Bo")
    return created.code, created.token, b.token


async def in_speaking(svc: Service, code: str) -> int:
    """Start the game and have the drawer answer a "one" card; returns the speaker."""
    await svc.act(code, 0, "r0", "ready", {})
    await svc.act(code, 1, "r1", "ready", {})
    for n in range(40):
        state = await svc.load(code)
        assert state is not None
        speaker = state.room.next_speaker
        applied = await svc.act(code, speaker, f"d{n}", "draw", {})
        card = applied.room.card()
        assert card is not None
        if not card.answered_by_both and card.mode.value == "one":
            await svc.act(code, speaker, f"a{n}", "answer", {})
            return speaker
        await svc.act(code, speaker, f"s{n}", "skip", {})
    raise AssertionError("no plain card found")


async def test_a_pass_is_reapplied_over_a_concurrent_heart(store: Meddling) -> None:
    svc = service_on(store)
    code, _, _ = await seated_room(svc)
    speaker = await in_speaking(svc, code)
    listener = 1 - speaker

    async def heart() -> None:
        await svc.act(code, listener, "h", "react", {"reaction": "heart"})

    store.before_commit = heart
    before = svc.metrics.conflicts
    applied = await svc.act(code, speaker, "p", "pass", {})
    assert svc.metrics.conflicts == before + 1
    state = await svc.load(code)
    assert state is not None and state.room.version == applied.room.version
    assert state.room.phase.value == "between"


async def test_an_action_made_illegal_by_a_concurrent_one_is_refused(store: Meddling) -> None:
    svc = service_on(store)
    code, _, _ = await seated_room(svc)
    speaker = await in_speaking(svc, code)
    state = await svc.load(code)
    assert state is not None
    version = state.room.version

    async def partner_passes() -> None:
        await svc.act(code, speaker, "p", "pass", {})

    store.before_commit = partner_passes
    with pytest.raises(RuleViolation):
        await svc.act(code, speaker, "d", "done_speaking", {})
    after = await svc.load(code)
    assert after is not None and after.room.version == version + 1


async def test_a_rule_violation_writes_nothing(store: Meddling) -> None:
    svc = service_on(store)
    code, _, _ = await seated_room(svc)
    before = await store.load(code)
    with pytest.raises(RuleViolation):
        await svc.act(code, 1, "x", "draw", {})
    assert await store.load(code) == before


async def test_endless_conflicts_end_in_store_busy(store: Meddling) -> None:
    svc = service_on(store, commit_retries=3)
    code, _, _ = await seated_room(svc)

    async def always_fail(*args: object, **kwargs: object) -> bool:
        return False

    store.commit = always_fail  # type: ignore[method-assign]
    with pytest.raises(ServiceError) as exc:
        await svc.act(code, 0, "x", "ready", {})
    assert exc.value.code.value == "store/busy"


async def test_old_token_works_for_the_grace_period_only(store: Meddling) -> None:
    clock = Clock()
    svc = service_on(store, clock)
    code, t0, _ = await seated_room(svc)
    t1 = (await svc.resume(code, t0, None)).token
    clock.now += 59
    t2 = (await svc.resume(code, t0, None)).token  # the reply with t1 was lost
    assert len({t0, t1, t2}) == 3
    clock.now += 2
    with pytest.raises(ServiceError):
        await svc.resume(code, t0, None)
    assert (await svc.resume(code, t2, None)).seat == 0


async def test_tokens_are_stored_hashed(store: Meddling) -> None:
    svc = service_on(store)
    code, t0, t1 = await seated_room(svc)
    secrets = await store.secrets(code)
    for token in (t0, t1):
        assert not any(token in value for value in secrets.values())


async def test_action_ids_are_remembered_per_seat(store: Meddling) -> None:
    svc = service_on(store)
    code, _, _ = await seated_room(svc)
    first = await svc.act(code, 0, "same", "ready", {})
    with pytest.raises(Duplicate) as dup:
        await svc.act(code, 0, "same", "unready", {})
    assert dup.value.version == first.room.version
    other_seat = await svc.act(code, 1, "same", "set_light_mode", {"on": True})  # its own ids
    assert other_seat.room.version == first.room.version + 1
    for n in range(70):  # the memory is bounded: old ids are forgotten
        await svc.act(code, 0, f"n{n}", "set_name", {"value": f"Ana {n}"})
    state = await svc.load(code)
    assert state is not None and len([a for a in state.acts if a[0] == 0]) == ACT_MEMORY


async def test_a_deleted_room_is_gone(store: Meddling) -> None:
    svc = service_on(store)
    code, t0, _ = await seated_room(svc)
    await svc.delete(code)
    assert await store.load(code) is None and await store.secrets(code) == {}
    with pytest.raises(ServiceError):
        await svc.resume(code, t0, None)
    with pytest.raises(ServiceError) as exc:
        await svc.act(code, 0, "x", "ready", {})
    assert exc.value.code.value == "room/gone"


async def test_idle_rooms_expire_on_the_memory_store() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock, background_sweep=False)
    svc = service_on(store, room_ttl=30)
    code, t0, _ = await seated_room(svc)
    clock.now += 31
    store.sweep()
    assert await store.load(code) is None and store.entries == 0
    with pytest.raises(ServiceError):
        await svc.resume(code, t0, None)
    await store.close()


async def test_idle_rooms_expire_on_redis(redis_url: str) -> None:
    store = from_url(redis_url)
    svc = service_on(store, room_ttl=0.3)
    code, _, _ = await seated_room(svc)
    await asyncio.sleep(0.5)
    assert await store.load(code) is None and await store.secrets(code) == {}
    await store.close()


async def test_ten_thousand_rooms_created_and_deleted_leave_nothing_behind() -> None:
    store = MemoryStore(background_sweep=False)
    svc = service_on(store)
    await churn(svc, 500)  # warm caches and allocator pools before measuring
    gc.collect()
    start = psutil.Process().memory_info().rss
    await churn(svc, 10_000)
    gc.collect()
    grown = psutil.Process().memory_info().rss - start
    assert store.entries == 0 and await store.room_count() == 0
    assert grown < 8 * 2**20, grown
    await store.close()


async def churn(svc: Service, rooms: int, batch: int = 1) -> list[str]:
    codes: list[str] = []

    async def one() -> None:
        created = await svc.create_room("closer", name="Ana", language=None, light_mode=False)
        codes.append(created.code)
        await svc.delete(created.code)

    for _ in range(rooms // batch):
        await asyncio.gather(*(one() for _ in range(batch)))
    return codes


async def test_ten_thousand_rooms_on_redis_leave_no_keys(redis_url: str) -> None:
    store = from_url(redis_url)
    svc = service_on(store)
    client = store.client  # type: ignore[attr-defined]
    before = await client.dbsize()
    codes = await churn(svc, 10_000, batch=250)
    assert len(codes) == 10_000  # codes may repeat: each room is deleted before the next batch
    assert await client.dbsize() <= before
    await store.close()


async def test_the_creator_gets_the_invite_back_on_resume_until_the_partner_joins(
    store: Meddling,
) -> None:
    svc = service_on(store)
    created = await svc.create_room("closer", name="Ana", language=None, light_mode=False)
    again = await svc.resume(created.code, created.token, None)
    assert again.invite == created.invite
    await svc.join_invite(created.code, again.invite, "Bo")
    after = await svc.resume(created.code, again.token, None)
    assert after.invite is None
    assert created.invite not in (await store.secrets(created.code)).values()


class NoLoneSecrets(Meddling):
    """A store whose separate secret writes fail while ``broken`` (Redis went away
    between two calls)."""

    broken = True

    async def set_secret(self, room_id: str, key: str, value: str | None, ttl: float) -> None:
        if self.broken:
            raise StoreUnavailable("gone between two writes")
        await super().set_secret(room_id, key, value, ttl)


async def test_a_joined_seat_and_its_token_are_written_together() -> None:
    # Written apart, a failure between the seat's commit and the token's write left a
    # taken seat that nobody could resume: the partner locked out of the room for good.
    store = NoLoneSecrets(background_sweep=False)
    svc = service_on(store)
    created = await svc.create_room("closer", name="Ana", language=None, light_mode=False)
    bo = await svc.join_invite(created.code, created.invite, "Bo")
    store.broken = False
    back = await svc.resume(created.code, bo.token, None)
    assert back.seat == 1
    assert "invite_open" not in await store.secrets(created.code)
    await store.close()


async def test_two_joiners_at_once_one_seat_and_only_its_token_resumes(store: Meddling) -> None:
    svc = service_on(store)
    created = await svc.create_room("closer", name="Ana", language=None, light_mode=False)
    results = await asyncio.gather(
        svc.join_invite(created.code, created.invite, "Bo"),
        svc.join_invite(created.code, created.invite, "Cy"),
        return_exceptions=True,
    )
    seated = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(seated) == 1
    assert len(refused) == 1
    assert refused[0].code == ErrorCode.SEAT_TAKEN
    assert (await svc.resume(created.code, seated[0].token, None)).seat == 1


async def test_an_admission_is_spent_by_the_join_it_allows(store: Meddling) -> None:
    svc = service_on(store)
    created = await svc.create_room("closer", name="Ana", language=None, light_mode=False)
    admission = Admission(svc)
    request, recorded = await admission.knock(created.code, "Bo")
    assert recorded
    await admission.answer(created.code, 0, request, accept=True)
    seated = await admission.claim(created.code, request, "Bo")
    assert seated is not None
    assert seated.seat == 1
    assert f"knock:{request}" not in await store.secrets(created.code)
    assert await admission.claim(created.code, request, "Bo") is None  # used up
    assert (await svc.resume(created.code, seated.token, None)).seat == 1
