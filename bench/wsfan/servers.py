"""The four servers of the fan-out benchmark, each with a small control port.

A control connection sends `paced <n> <rate>` or `burst <n>`; the server fires the events
and answers `done`. Every event carries a sequence number and the server's timestamp (ms).
"""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

import uvicorn

Fire = Callable[[int], Awaitable[None]]
PAD = "x" * 96  # brings the peers' frames to the size of ours (~210 bytes)


def peer_frame(seq: int) -> str:
    return json.dumps(
        {
            "type": "event",
            "channel": "all",
            "seq": seq,
            "ts": round(time.time() * 1000, 3),
            "data": {"note": PAD},
        },
        separators=(",", ":"),
    )


async def control_server(port: int, fire: Fire) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            mode, n, *rest = line.decode().split()
            if mode == "paced":
                rate = float(rest[0])
                start = time.monotonic()
                for i in range(int(n)):
                    await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
                    await fire(1)
            else:
                await fire(int(n))
            writer.write(b"done\n")
            await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", port)


def uvicorn_server(app: Any, port: int) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        ws="auto",
        log_level="warning",
        backlog=8192,
        lifespan="on",
    )
    return uvicorn.Server(config)


# --- the floor: the websockets library's own server and broadcast() -------------------


async def serve_websockets(port: int, control: int) -> None:
    from websockets.asyncio.server import ServerConnection, broadcast, serve

    clients: set[ServerConnection] = set()
    seq = 0

    async def handler(ws: ServerConnection) -> None:
        clients.add(ws)
        try:
            await ws.send('{"type":"hello"}')
            async for _ in ws:
                pass
        finally:
            clients.discard(ws)

    async def fire(n: int) -> None:
        nonlocal seq
        for _ in range(n):
            seq += 1
            broadcast(clients, peer_frame(seq))

    await control_server(control, fire)
    async with serve(handler, "127.0.0.1", port, backlog=8192, compression=None):
        await asyncio.Future()


# --- naive Starlette: a set of sockets and a loop over send_text -----------------------


async def serve_starlette(port: int, control: int) -> None:
    from starlette.applications import Starlette
    from starlette.routing import WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    clients: set[WebSocket] = set()
    seq = 0

    async def endpoint(ws: WebSocket) -> None:
        await ws.accept()
        clients.add(ws)
        await ws.send_text('{"type":"hello"}')
        try:
            while True:
                await ws.receive_text()
        except WebSocketDisconnect:
            pass
        finally:
            clients.discard(ws)

    async def fire(n: int) -> None:
        nonlocal seq
        for _ in range(n):
            seq += 1
            message = peer_frame(seq)
            for ws in list(clients):
                try:
                    await ws.send_text(message)
                except Exception:
                    clients.discard(ws)

    await control_server(control, fire)
    await uvicorn_server(Starlette(routes=[WebSocketRoute("/ws", endpoint)]), port).serve()


# --- python-socketio: AsyncServer under uvicorn, one room, emit ------------------------


async def serve_socketio(port: int, control: int) -> None:
    import socketio

    sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=[])
    seq = 0

    @sio.event
    async def connect(sid: str, environ: dict[str, Any]) -> None:
        await sio.enter_room(sid, "all")

    async def fire(n: int) -> None:
        nonlocal seq
        for _ in range(n):
            seq += 1
            payload = {
                "type": "event",
                "channel": "all",
                "seq": seq,
                "ts": round(time.time() * 1000, 3),
                "data": {"note": PAD},
            }
            await sio.emit("tick", payload, room="all")

    await control_server(control, fire)
    await uvicorn_server(socketio.ASGIApp(sio), port).serve()


# --- ours: the Premier app, events through the domain bus -----------------------------


async def serve_ours(port: int, control: int) -> None:
    from premier.app import create_app
    from premier.config import get_settings
    from premier.events import DomainEvent

    class BenchTick(DomainEvent):
        type: ClassVar[str] = "bench.tick"
        note: str

        def channels(self) -> list[str]:
            return ["department:front_desk"]

    app = create_app(get_settings())
    note = "x" * 24

    async def fire(n: int) -> None:
        for _ in range(n):
            await app.state.bus.deliver(BenchTick(note=note))

    await control_server(control, fire)
    await uvicorn_server(app, port).serve()


SERVERS = {
    "ours": serve_ours,
    "websockets": serve_websockets,
    "starlette": serve_starlette,
    "socketio": serve_socketio,
}
PATHS = {
    "ours": "/api/v1/ws",
    "websockets": "/",
    "starlette": "/ws",
    "socketio": "/socket.io/?EIO=4&transport=websocket",
}
