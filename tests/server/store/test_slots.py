"""``Slots``: the bound on a RedisStore's calls in flight. Never more holders than the
limit, waiters served in order, and no slot lost to a caller cancelled while waiting."""

from __future__ import annotations

import asyncio

from server.store.batch import Slots


async def test_no_more_holders_than_the_limit_and_waiters_in_order() -> None:
    slots = Slots(2)
    inside: list[int] = []
    most = 0
    order: list[int] = []
    gate = asyncio.Event()

    async def caller(n: int) -> None:
        nonlocal most
        async with slots:
            order.append(n)
            inside.append(n)
            most = max(most, len(inside))
            await gate.wait()
            inside.remove(n)

    tasks = [asyncio.create_task(caller(n)) for n in range(6)]
    await asyncio.sleep(0)
    assert order == [0, 1] and slots.free == 0
    gate.set()
    await asyncio.gather(*tasks)
    assert most == 2 and order == list(range(6)) and slots.free == 2


async def test_a_waiter_cancelled_before_its_turn_takes_no_slot() -> None:
    slots = Slots(1)
    release = asyncio.Event()

    async def holder() -> None:
        async with slots:
            await release.wait()

    held = asyncio.create_task(holder())
    await asyncio.sleep(0)

    async def waiter() -> None:
        async with slots:
            raise AssertionError("a cancelled waiter must not get in")

    waiting = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    waiting.cancel()
    await asyncio.gather(waiting, return_exceptions=True)
    release.set()
    await held
    assert slots.free == 1


async def test_a_waiter_cancelled_as_the_slot_reaches_it_passes_it_on() -> None:
    slots = Slots(1)
    got: list[str] = []

    async def enter(name: str, hold: asyncio.Event | None = None) -> None:
        async with slots:
            got.append(name)
            if hold is not None:
                await hold.wait()

    release = asyncio.Event()
    first = asyncio.create_task(enter("first", release))
    await asyncio.sleep(0)
    second = asyncio.create_task(enter("second"))
    third = asyncio.create_task(enter("third"))
    await asyncio.sleep(0)
    release.set()
    await asyncio.sleep(0)  # first leaves: its slot is handed to second...
    second.cancel()  # ...which is cancelled before it runs
    await asyncio.wait_for(asyncio.gather(first, second, third, return_exceptions=True), 5)
    assert got == ["first", "third"] and slots.free == 1
