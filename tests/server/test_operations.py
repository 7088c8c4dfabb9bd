"""The server process as its operator sees it: LOG_FORMAT=json writes one JSON object a
line with the same redaction as plain lines, and Ctrl+C in a terminal stops it cleanly
(shutdown lines, no traceback, exit status 0)."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import pty
import select
import subprocess
import sys
import termios
import time

from tests.server.client import Client, create_room, hello_invite, resume, split_invite
from tests.server.test_game_flow import STEPS, done
from tests.support.sealing import envelope
from tests.support.servers import HOST, ROOT, ServerProcess, _get, free_port

TYPED = {"done_speaking", "reflect", "write_reveal"}  # the moves that may carry typed text


async def test_json_log_lines_parse_and_carry_no_typed_text_names_or_tokens() -> None:
    name_mark, partner_mark, answer_mark = "Zq8JsonName", "Zq8JsonPartner", "Zq8JsonAnswer"
    with ServerProcess({"LOG_FORMAT": "json", "LOG_LEVEL": "debug"}) as srv:
        created = await create_room(srv.url, name=name_mark)
        code, invite = split_invite(created["invite_url"])
        a, welcome = await resume(srv.ws_url, code, created["token"])
        await a.act("done_speaking", text=answer_mark)  # refused: no game yet
        b = await Client.connect(srv.ws_url)
        joined = await b.request(hello_invite(code, invite, name=partner_mark))
        assert joined["t"] == "welcome", joined
        await a.act("ready")
        version = int((await b.act("ready"))["version"])
        await a.act("done_speaking", text=answer_mark)  # refused: plain text, sealed room
        sealed = envelope()
        assert await type_in_play(a, b, sealed, version)  # accepted in a game
        await a.close()
        await b.close()
        assert srv.get(f"/?join={invite}")[0] == 200
        await asyncio.sleep(0.3)
        log = srv.log()
    records = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert len(records) >= 5
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert any(r["logger"] == "uvicorn.access" and '"GET / HTTP/1.1" 200' in r["message"]
               for r in records)  # fmt: skip
    secrets = (name_mark, partner_mark, answer_mark, sealed, created["token"],
               welcome["token"], joined["token"], invite)  # fmt: skip
    for secret in secrets:
        assert secret not in log


async def type_in_play(a: Client, b: Client, text: str, version: int) -> int:
    """Play by the book until a move carrying ``text`` is accepted; how many were."""
    seats, typed = (a, b), 0
    for _ in range(40):
        views = [await c.latest_view(version) for c in seats]
        for client, view in zip(seats, views, strict=True):
            step = next((s for s in STEPS if s in view["legal"] and not done(view, s)), None)
            if step is None:
                continue
            fields = {"text": text} if step in TYPED else {}
            ack = await client.act(step, **fields)
            assert ack["t"] == "ack", ack
            version, typed = int(ack["version"]), typed + bool(fields)
            break
        if typed >= 2:
            return typed
    return typed


def test_ctrl_c_in_a_terminal_stops_the_server_with_status_0_and_no_traceback() -> None:
    port = free_port()
    master, slave = pty.openpty()

    def controlling_terminal() -> None:  # the pty becomes the server's terminal
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    env = {**os.environ, "PYTHONPATH": str(ROOT), "METRICS_PORT": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--host", HOST, "--port", str(port)],
        cwd=ROOT, env=env, stdin=slave, stdout=slave, stderr=slave,
        preexec_fn=controlling_terminal,  # noqa: PLW1509 (no threads at this point)
    )  # fmt: skip
    os.close(slave)
    output = b""
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if _get(f"http://{HOST}:{port}/healthz", 0.5)[0] == 200:
                    break
            time.sleep(0.05)
        output += _drain(master, 0.2)
        os.write(master, b"\x03")  # what the terminal sends for Ctrl+C
        status = proc.wait(15)
        output += _drain(master, 0.5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        os.close(master)
    text = output.decode(errors="replace")
    assert status == 0, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert "Shutting down" in text and "stopped" in text, text


def _drain(fd: int, wait: float) -> bytes:
    data = b""
    while select.select([fd], [], [], wait)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        data += chunk
    return data
