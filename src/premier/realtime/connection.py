"""One client socket: its subscriptions and a bounded queue drained by its own writer task.

Fan-out only appends to the queue (never awaits), so a slow or stuck client costs the
others nothing; when its queue overflows it is disconnected.
"""

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import structlog
from starlette.websockets import WebSocket

from premier.auth.actor import Actor
from premier.realtime.protocol import CLOSE_SLOW_CONSUMER

log = structlog.get_logger(__name__)

CLOSE_TIMEOUT_SECONDS = 5.0


@dataclass(slots=True, eq=False)
class Subscription:
    connection: "Connection"
    channel: str
    # Highest sequence number sent (or skipped as already known): later frames only.
    last_seq: int = 0
    # While a resume reads the history, live frames wait here instead of going out.
    pending: list[tuple[int, str]] | None = field(default_factory=list)
    span: tuple[date, date] | None = None


class Connection:
    def __init__(self, websocket: WebSocket, actor: Actor, *, queue_limit: int) -> None:
        self.websocket = websocket
        self.actor = actor
        self.queue_limit = queue_limit
        self.subscriptions: dict[str, Subscription] = {}
        self.closed = False
        self._queue: deque[str] = deque()
        self._replay_allowance = 0
        self._wake = asyncio.Event()
        self._close: tuple[int, str] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._send: Any = websocket.send  # raw ASGI frames: one dict per message

    def start(self) -> None:
        self._writer = asyncio.create_task(self._write(), name="realtime-writer")

    def push(self, frame: str) -> None:
        """Queue a frame for this client; disconnect it when it has fallen too far behind."""
        if self.closed:
            return
        queue = self._queue
        if len(queue) >= self.queue_limit + self._replay_allowance:
            self.abort(CLOSE_SLOW_CONSUMER, "send queue overflow")
            return
        queue.append(frame)
        self._wake.set()

    def push_replay(self, frames: list[str]) -> None:
        """History frames may exceed the queue limit once; live frames then queue behind."""
        if self.closed:
            return
        self._replay_allowance += len(frames)
        self._queue.extend(frames)
        self._wake.set()

    def close(self, code: int, reason: str) -> None:
        """Send what is queued, then close."""
        if self.closed:
            return
        self.closed = True
        self._close = (code, reason)
        self._wake.set()

    def abort(self, code: int, reason: str) -> None:
        """Drop what is queued and close at once (the writer may be stuck on this client)."""
        if self.closed and self._close is None:
            return
        log.info("realtime_client_dropped", user_id=self.actor.id, code=code, reason=reason)
        self.closed = True
        self._close = None
        self._queue.clear()
        if self._writer is not None:
            self._writer.cancel()
        asyncio.get_running_loop().create_task(self._send_close(code, reason))

    async def _write(self) -> None:
        queue, wake, send = self._queue, self._wake, self._send
        try:
            while True:
                await wake.wait()
                wake.clear()
                while queue:
                    await send({"type": "websocket.send", "text": queue.popleft()})
                self._replay_allowance = 0
                if self._close is not None:
                    await self._send_close(*self._close)
                    return
        except asyncio.CancelledError:
            raise
        except Exception:  # the client went away mid-send: the reader will notice
            self.closed = True

    async def _send_close(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):  # already gone: nothing left to tell it
            await asyncio.wait_for(
                self._send({"type": "websocket.close", "code": code, "reason": reason}),
                CLOSE_TIMEOUT_SECONDS,
            )

    async def stop(self) -> None:
        self.closed = True
        if self._writer is not None and not self._writer.done():
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
