"""Scale-out for real: Debian's nginx, rendered from the deployment template, in front
of two server processes sharing one Redis. Partners land on different processes and
play to the end; an instance stopped mid-game (SIGKILL, or a graceful SIGTERM with
``bye``) loses nothing: its player reconnects through nginx to the other instance."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterator

import pytest

from bench.client import Seat, join_pair, move, play
from bench.policy import choose
from tests.bench.conftest import Nginx
from tests.support.servers import ServerProcess, server_processes

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def instances(redis_url: str) -> Iterator[list[ServerProcess]]:
    env = {"REDIS_URL": redis_url, "TRUSTED_PROXIES": "127.0.0.1", "SHUTDOWN_GRACE": "3"}
    with server_processes(env) as servers:
        yield servers


@pytest.fixture
def front(instances: list[ServerProcess], nginx_front: Callable[[list[int]], Nginx]) -> Nginx:
    return nginx_front([server.port for server in instances])


def metric(server: ServerProcess, name: str) -> float:
    """The sum of a metric's samples (all labels) on one instance."""
    status, text = server.metrics()
    assert status == 200
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith((f"{name} ", f"{name}{{"))
    )


async def split_pair(front: Nginx, instances: list[ServerProcess]) -> list[Seat]:
    seats = list(await join_pair(front.http, [front.ws], [front.ws]))
    # least_conn gives the second long-lived socket to the idle instance.
    assert [metric(s, "closeknit_connections") for s in instances] == [1, 1]
    return seats


async def hosts(seats: list[Seat], instances: list[ServerProcess]) -> dict[int, ServerProcess]:
    """Which instance serves which seat: the one whose action count moves when it acts."""
    choice = choose([s.view for s in seats], 1)
    assert choice is not None
    before = [metric(s, "closeknit_actions_total") for s in instances]
    await move(seats, choice.seat, choice.action, **choice.fields)
    after = [metric(s, "closeknit_actions_total") for s in instances]
    served = next(i for i in range(2) if after[i] > before[i])
    return {choice.seat: instances[served], 1 - choice.seat: instances[1 - served]}


async def finish(seats: list[Seat]) -> None:
    await play(seats, 12)
    await play(seats, 20, finishing=True)
    assert [s.view["phase"] for s in seats if s.view] == ["ended", "ended"]
    assert seats[0].version == seats[1].version
    assert not seats[0].errors and not seats[1].errors


async def test_partners_on_different_instances_play_a_game_to_the_end(
    front: Nginx, instances: list[ServerProcess]
) -> None:
    seats = await split_pair(front, instances)
    try:
        assert await play(seats, 40) == 40
        await finish(seats)
        assert [s.connects for s in seats] == [1, 1]
        assert all(metric(s, "closeknit_actions_total") > 0 for s in instances)
    finally:
        for seat in seats:
            await seat.close()


async def test_game_survives_an_instance_killed_mid_game(
    front: Nginx, instances: list[ServerProcess]
) -> None:
    seats = await split_pair(front, instances)
    try:
        await play(seats, 10)
        served = await hosts(seats, instances)
        version = seats[0].version
        served[0].kill()  # SIGKILL: no bye, the socket just dies
        assert await play(seats, 10) == 10  # the partner on the dead instance comes back
        assert seats[0].version >= version + 10
        await finish(seats)
        assert seats[0].connects == 2 and seats[1].connects == 1
        assert seats[0].byes == 0
        survivor = served[1]
        assert metric(survivor, "closeknit_connections") == 2
    finally:
        for seat in seats:
            await seat.close()


async def test_sigterm_says_bye_finishes_the_action_in_flight_and_players_move_over(
    front: Nginx, instances: list[ServerProcess]
) -> None:
    seats = await split_pair(front, instances)
    try:
        await play(seats, 10)
        served = await hosts(seats, instances)
        choice = choose([s.view for s in seats], 1)
        assert choice is not None
        stopping = served[choice.seat]
        mover = seats[choice.seat]
        version = mover.version
        in_flight = asyncio.create_task(mover.act(choice.action, **choice.fields))
        await asyncio.sleep(0)  # the frame is on its way when the signal lands
        assert stopping.proc is not None
        stopping.proc.send_signal(signal.SIGTERM)
        reply = await in_flight
        assert reply["t"] == "ack" and reply["version"] == version + 1  # applied once
        code = await asyncio.to_thread(stopping.proc.wait, 15)
        assert code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it handled
        assert mover.byes == 1
        await finish(seats)
        assert mover.connects == 2 and seats[1 - choice.seat].connects == 1
        assert metric(served[1 - choice.seat], "closeknit_connections") == 2
        assert "Traceback" not in stopping.log()
    finally:
        for seat in seats:
            await seat.close()
