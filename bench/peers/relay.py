"""The bare relay floor: a Starlette WebSocket endpoint that forwards each message to
the partner in the same room. No game, no store, no validation: whatever Closeknit
costs above this is the price of its rules, its store and its safety.

    python -m bench.peers.relay --port 9100       # ws://127.0.0.1:9100/relay/{room}
    python -m bench.peers.relay --port 9100 --echo

With ``--echo`` each message also goes back to its sender first: one frame in and one
write to each seat, the socket work of a Closeknit move (the mover's ack and new state
in one write, the partner's state in another) with nothing else. It is the floor for a
move: what any server on this Python, Starlette and uvicorn pays before its rules.
"""

from __future__ import annotations

import argparse
import gc

import uvicorn
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

rooms: dict[str, list[WebSocket]] = {}


async def relay(websocket: WebSocket, echo: bool) -> None:
    room = websocket.path_params["room"]
    await websocket.accept()
    members = rooms.setdefault(room, [])
    members.append(websocket)
    try:
        while True:
            message = await websocket.receive_bytes()
            if echo:
                await websocket.send_bytes(message)
            for other in members:
                if other is not websocket:
                    await other.send_bytes(message)
    except WebSocketDisconnect:
        pass
    finally:
        members.remove(websocket)
        if not members:
            rooms.pop(room, None)


def create_app(echo: bool = False) -> Starlette:
    async def endpoint(websocket: WebSocket) -> None:
        await relay(websocket, echo)

    return Starlette(routes=[WebSocketRoute("/relay/{room}", endpoint)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--echo", action="store_true", help="send each message back too")
    args = parser.parse_args()
    gc.freeze()
    uvicorn.run(
        create_app(args.echo),
        host="127.0.0.1",
        port=args.port,
        ws="websockets-sansio",
        loop="uvloop",
        log_level="warning",
        ws_per_message_deflate=False,
        backlog=4096,
    )


if __name__ == "__main__":
    main()
