"""Liveness and backpressure: pings, idle and token timeouts, bad frames, slow clients."""

import asyncio
import base64
import json
import os
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from premier.app import create_app
from premier.config import Settings
from premier.events import ReviewCreated
from premier.users.models import Role
from tests.helpers import make_user
from tests.realtime.wsclient import serving, token_for, ws_client


@asynccontextmanager
async def running(settings: Settings, **overrides: Any) -> AsyncIterator[tuple[Any, str]]:
    app = create_app(settings.model_copy(update=overrides))
    async with app.router.lifespan_context(app), serving(app) as url:
        yield app, url


async def test_bad_frames_get_error_frames_and_a_flood_gets_the_client_dropped(
    settings: Settings,
) -> None:
    async with running(settings) as (app, url):
        guest = await make_user(app.state.database)
        async with ws_client(f"{url}/api/v1/ws", token=token_for(guest)) as ws:
            await ws.send("{not json")
            assert (await ws.expect("error"))["code"] == "invalid_frame"
            await ws.send({"type": "dance"})
            assert (await ws.expect("error"))["code"] == "invalid_frame"
            await ws.send({"type": "subscribe", "channel": f"user:{guest}", "extra": 1})
            assert (await ws.expect("error"))["code"] == "invalid_frame"
            await ws.send({"type": "ping", "request_id": "x" * 5000})
            assert (await ws.expect("error"))["code"] == "frame_too_large"
            await ws.send({"type": "ping", "request_id": "still-here"})
            await ws.expect("pong", request_id="still-here")

        async with ws_client(f"{url}/api/v1/ws", token=token_for(guest)) as ws:
            for _ in range(200):
                await ws.send({"type": "ping"})
            code, _ = await ws.closed_with()
            assert code == 4429
        async with ws_client(f"{url}/api/v1/ws", token=token_for(guest)) as ws:
            answers: list[str] = []
            for _ in range(45):
                await ws.send({"type": "ping"})
            for _ in range(45):
                frame = await ws.recv()
                answers.append(frame["type"] if frame["type"] == "pong" else frame["code"])
            # A burst allowance, then the rate limit, but not yet disconnected.
            assert answers.count("pong") >= 30
            assert "rate_limited" in answers


async def test_server_pings_and_drops_clients_that_stop_answering(settings: Settings) -> None:
    async with running(settings, realtime_ping_seconds=0.2, realtime_idle_timeout_seconds=0.7) as (
        app,
        url,
    ):
        guest = await make_user(app.state.database)
        async with (
            ws_client(f"{url}/api/v1/ws", token=token_for(guest)) as silent,
            ws_client(f"{url}/api/v1/ws", token=token_for(guest)) as lively,
        ):
            assert (await silent.recv(pings=True))["type"] == "ping"
            closing = asyncio.create_task(silent.closed_with())
            started = time.monotonic()
            while not closing.done():  # the lively one answers every ping meanwhile
                assert (await lively.recv(pings=True))["type"] == "ping"
                await lively.send({"type": "pong"})
            assert (await closing)[0] == 4408
            assert time.monotonic() - started < 3
            await lively.barrier()


async def test_an_expiring_token_ends_the_connection_unless_renewed(settings: Settings) -> None:
    async with running(settings) as (app, url):
        guest = await make_user(app.state.database)
        async with (
            ws_client(f"{url}/api/v1/ws", token=token_for(guest, seconds=2)) as expiring,
            ws_client(f"{url}/api/v1/ws", token=token_for(guest, seconds=2)) as renewed,
        ):
            await renewed.send({"type": "auth", "token": token_for(guest, seconds=600)})
            assert (await renewed.expect("authenticated"))["expires_at"] > time.time() + 500
            assert await expiring.closed_with() == (4401, "token_expired")
            await renewed.barrier()


def _masked_text_frame(text: str) -> bytes:
    payload = text.encode()
    mask = os.urandom(4)
    assert len(payload) < 126
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


async def _stuck_client(url: str, token: str, channel: str) -> socket.socket:
    """A client that subscribes and then never reads (with a tiny receive buffer)."""
    host, port = url.removeprefix("ws://").split(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    await loop.sock_connect(sock, (host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /api/v1/ws?token={token} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n"
    )
    await loop.sock_sendall(sock, request.encode())
    received = b""
    while b"\r\n\r\n" not in received:
        received += await loop.sock_recv(sock, 1)
    assert received.startswith(b"HTTP/1.1 101"), received
    frame = json.dumps({"type": "subscribe", "channel": channel})
    await loop.sock_sendall(sock, _masked_text_frame(frame))
    return sock


async def test_a_stuck_client_is_dropped_without_holding_up_the_others(
    settings: Settings,
) -> None:
    async with running(settings, realtime_send_queue=32) as (app, url):
        hub = app.state.realtime
        slow = await make_user(app.state.database, role=Role.MANAGER)
        fast = await make_user(app.state.database, role=Role.MANAGER)
        async with ws_client(f"{url}/api/v1/ws", token=token_for(fast)) as ws:
            await ws.subscribe("role:manager")
            stuck = await _stuck_client(url, token_for(slow), "role:manager")
            try:
                comment = "x" * 20_000
                count = 400
                started = time.monotonic()
                seqs: list[int] = []
                for n in range(count):
                    await app.state.bus.deliver(
                        ReviewCreated(
                            review_id=n, booking_id=1, guest_id=1, rating=5, comment=comment
                        )
                    )
                    if n % 8 == 7:  # the fast client keeps up, a few events behind at most
                        seqs += [(await ws.expect("event"))["seq"] for _ in range(8)]
                assert seqs == list(range(1, count + 1))
                assert time.monotonic() - started < 10
                still_served = [c for c in hub.connections if c.actor.id == slow and not c.closed]
                assert still_served == []
                assert [c.closed for c in hub.connections if c.actor.id == fast] == [False]
            finally:
                stuck.close()
