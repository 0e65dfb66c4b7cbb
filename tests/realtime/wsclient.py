"""Serving the app with a real uvicorn, and a small WebSocket client for the tests."""

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import jwt
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from premier.kit.time import utcnow
from tests.conftest import TEST_SECRET


def listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    # Listening before uvicorn starts: early connections wait in the backlog.
    sock.listen(1024)
    return sock


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """Serve an app whose lifespan is already running; yields its ws:// base URL."""
    sock = listening_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"ws://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def token_for(
    user_id: int, *, seconds: float = 600, secret: str = TEST_SECRET, ver: int = 0
) -> str:
    now = utcnow()
    expires = now + timedelta(seconds=seconds)
    claims = {"sub": str(user_id), "role": "guest", "ver": ver, "kind": "access",
              "iat": int(now.timestamp()), "exp": int(expires.timestamp())}  # fmt: skip
    return jwt.encode(claims, secret, algorithm="HS256")


class Client:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def send(self, frame: dict[str, Any] | str) -> None:
        await self.ws.send(frame if isinstance(frame, str) else json.dumps(frame))

    async def recv(self, *, timeout: float = 5.0, pings: bool = False) -> dict[str, Any]:
        """The next frame, answering (and skipping) server pings unless asked for them."""
        while True:
            frame: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if frame["type"] == "ping" and not pings:
                await self.send({"type": "pong"})
                continue
            return frame

    async def expect(self, kind: str, **fields: Any) -> dict[str, Any]:
        frame = await self.recv()
        assert frame["type"] == kind, frame
        for key, value in fields.items():
            assert frame[key] == value, (key, frame)
        return frame

    async def event(self, name: str, **fields: Any) -> dict[str, Any]:
        """The next event called `name`, passing over other events (notifications...)."""
        while True:
            frame = await self.recv()
            assert frame["type"] == "event", frame
            if frame["event"] == name:
                for key, value in fields.items():
                    assert frame[key] == value, (key, frame)
                return frame

    async def subscribe(self, channel: str, **extra: Any) -> dict[str, Any]:
        """Subscribe and return the answer, passing over live events of other channels."""
        await self.send({"type": "subscribe", "channel": channel, **extra})
        while True:
            frame = await self.recv()
            if frame["type"] != "event" or frame["channel"] == channel:
                return frame

    async def barrier(self) -> None:
        """Everything the server queued for us before now has arrived once this returns."""
        await self.send({"type": "ping", "request_id": "barrier"})
        while True:
            frame = await self.recv()
            if frame["type"] == "pong":
                return
            raise AssertionError(f"unexpected frame before the barrier: {frame}")

    async def closed_with(self) -> tuple[int | None, str | None]:
        """Read until the server closes; return its close code and reason."""
        try:
            while True:
                await asyncio.wait_for(self.ws.recv(), 10)
        except ConnectionClosed as closed:
            rcvd = closed.rcvd
            return (rcvd.code, rcvd.reason) if rcvd else (None, None)


@asynccontextmanager
async def ws_client(
    url: str, *, token: str | None = None, ready: bool = True
) -> AsyncIterator[Client]:
    full = f"{url}?token={token}" if token else url
    async with connect(full, open_timeout=10, max_size=2**22) as ws:
        client = Client(ws)
        if ready:
            await client.expect("ready")
        yield client


async def access_token(http: Any, email: str) -> str:
    from tests.helpers import PASSWORD

    response = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token
