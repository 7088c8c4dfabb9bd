"""A player's move on its hot path, without a coroutine (issue 16).

``rooms.Service.act`` awaits load -> apply -> commit. ``act_now`` does the same work as
plain calls up to the one store call, when the room's state is cached here and the
store can take the commit at once (``RoomStore.commit_now``); the store's answer comes
back to a callback, which hands the outcome on. No coroutine is made, suspended or
resumed for the move: that glue cost as much as the engine. The move is judged by the
same rule as on the awaited path (``Service.step``); whatever it cannot decide at once
(no cached state, a move refused on the cached state, a conflict) it leaves to ``act``,
so the awaited path stays the reference.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping

from game import GameError
from server.rooms.service import Applied, Service
from server.store.guard import refusal

# What ``act_now``'s callback is told: the move applied, why it was refused, or None: the
# room changed under it (another move landed first); the caller runs ``act``, which
# judges it again on the stored state.
Outcome = Applied | Exception | None


def act_now(  # noqa: PLR0917 (act's arguments, then the service that runs it)
    service: Service,
    room_id: str,
    seat: int,
    msg_id: str | int,
    name: str,
    args: Mapping[str, object],
    *,
    then: Callable[[Outcome], None],
) -> bool:
    """Begin the move on the cached state: True when its commit is on its way (``then``
    gets the outcome, within the reply deadline), False when nothing was done and the
    caller should await ``act``. Raises what ``act`` raises before any I/O (a bad
    action, ``Duplicate``, a server limit). The caller delivers the move to this
    instance's seats (the store publishes it only to the others)."""
    known = service.known(room_id)
    if known is None:
        return False
    change = service.step(seat, msg_id, name, args)
    expected, state = known
    try:
        new, events = change(state)
    except GameError:
        return False  # refused on a cached state: ``act`` judges it on the stored one
    blob, record, ttl = service.written(new, events)
    going = service.store.commit_now(room_id, expected, blob, record, ttl)
    if going is None:
        return False
    started = time.perf_counter()
    deadline = asyncio.get_running_loop().call_later(service.settings.reply_deadline, going.cancel)

    def landed(done: asyncio.Future[bool]) -> None:
        deadline.cancel()
        service.metrics.store_latency.observe(time.perf_counter() - started)
        outcome: Outcome
        if done.cancelled():  # past the deadline (the move may still land: a retry
            # with the same id is answered as a duplicate)
            outcome = refusal(TimeoutError())
        elif (error := done.exception()) is not None:
            outcome = refusal(error)
        elif done.result():
            service.metrics.actions[name] += 1
            service.metrics.moves_now += 1
            outcome = service.landed(room_id, new, events)
        else:
            service.conflicted(room_id)
            outcome = None
        then(outcome)

    going.add_done_callback(landed)
    return True
