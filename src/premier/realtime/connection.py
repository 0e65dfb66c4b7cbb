"""One client socket: its subscriptions, and how frames reach it without holding up others.

A frame for an idle client is written at once, from the fan-out loop itself: the ASGI send
of a text frame completes without suspending while the socket's transport accepts data,
so stepping it directly saves a task switch per client per event, which is most of the
cost of a fan-out. When the transport pushes back (the client reads slowly), that send is
finished by the connection's writer task and later frames wait in a bounded queue behind
it; a client whose queue overflows is disconnected. Fan-out never awaits a client.
"""

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Coroutine, Generator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import structlog
from starlette.websockets import WebSocket

from premier.auth.actor import Actor
from premier.realtime.asgi import RAW_SEND
from premier.realtime.protocol import CLOSE_SLOW_CONSUMER

log = structlog.get_logger(__name__)

CLOSE_TIMEOUT_SECONDS = 5.0

# An ASGI `websocket.send` message; one is built per frame and shared by every client.
Message = dict[str, Any]


def text_message(frame: str) -> Message:
    return {"type": "websocket.send", "text": frame}


@dataclass(slots=True, eq=False)
class Subscription:
    connection: "Connection"
    channel: str
    # Highest sequence number sent (or skipped as already known): later frames only.
    last_seq: int = 0
    # While a resume reads the history, live frames wait here instead of going out.
    pending: list[tuple[int, Message]] | None = field(default_factory=list)
    span: tuple[date, date] | None = None


class _Unfinished:
    """The rest of a send coroutine that was started outside any task and had to wait."""

    __slots__ = ("coro", "waiting")

    def __init__(self, coro: Coroutine[Any, Any, None], waiting: Any) -> None:
        self.coro = coro
        self.waiting = waiting

    def __await__(self) -> Generator[Any, None, None]:
        waiting = self.waiting
        while True:
            try:
                yield waiting
            except BaseException as exc:  # cancelled while waiting: let the send unwind
                try:
                    waiting = self.coro.throw(exc)
                except StopIteration:
                    return
                continue
            try:
                waiting = self.coro.send(None)
            except StopIteration:
                return


class Connection:
    # Thousands live at once: no per-object dict, and the writer's queue and wake-up event
    # are made with the writer, which most connections never need.
    __slots__ = (
        "_busy",
        "_close",
        "_queue",
        "_replay_allowance",
        "_send",
        "_unfinished",
        "_wake",
        "_writer",
        "actor",
        "closed",
        "queue_limit",
        "recheck",
        "subscriptions",
        "websocket",
    )

    def __init__(self, websocket: WebSocket, actor: Actor, *, queue_limit: int) -> None:
        self.websocket = websocket
        self.actor = actor
        self.queue_limit = queue_limit
        self.subscriptions: dict[str, Subscription] = {}
        self.closed = False
        self._queue: deque[Message] | None = None
        self._replay_allowance = 0
        self._busy = False  # the writer task owns the socket until it has drained the queue
        self._unfinished: _Unfinished | None = None
        self._wake: asyncio.Event | None = None
        self._close: tuple[int, str] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._send: Any = websocket.scope.get(RAW_SEND, websocket.send)
        # Set by the socket's session: checks the user again (they changed meanwhile).
        self.recheck: Callable[[], None] | None = None

    @property
    def writer(self) -> "asyncio.Task[None] | None":
        """The task sending what could not be sent at once, and the close; None until needed."""
        return self._writer

    def _wake_writer(self) -> None:
        # Most clients keep up and never need a writer task: it is made on first need.
        if self._writer is None:
            if self._queue is None:
                self._queue = deque()
            self._wake = asyncio.Event()
            self._writer = asyncio.get_running_loop().create_task(self._write())
        assert self._wake is not None
        self._wake.set()

    def push(self, message: Message) -> None:
        """Send a frame now if the client is keeping up, else queue it (bounded)."""
        if self.closed:
            return
        queue = self._queue
        if not self._busy and not queue:
            self._send_now(message)
            return
        if queue is None:
            queue = self._queue = deque()
        if len(queue) >= self.queue_limit + self._replay_allowance:
            self.abort(CLOSE_SLOW_CONSUMER, "send queue overflow")
            return
        queue.append(message)
        self._wake_writer()

    def push_text(self, frame: str) -> None:
        self.push(text_message(frame))

    def _send_now(self, message: Message) -> None:
        coro = self._send(message)
        try:
            waiting = coro.send(None)
        except StopIteration:
            return
        except Exception:  # the client is gone; its reader will notice
            self.closed = True
            return
        # The transport pushes back: the writer finishes this send, the rest queue behind.
        self._busy = True
        self._unfinished = _Unfinished(coro, waiting)
        self._wake_writer()

    def push_replay(self, frames: list[str]) -> None:
        """History frames may exceed the queue limit once; live frames then queue behind."""
        if self.closed or not frames:
            return
        self._replay_allowance += len(frames)
        if self._queue is None:
            self._queue = deque()
        self._queue.extend(text_message(frame) for frame in frames)
        self._wake_writer()

    def close(self, code: int, reason: str) -> None:
        """Send what is queued, then close."""
        if self.closed:
            return
        self.closed = True
        self._close = (code, reason)
        self._wake_writer()

    def abort(self, code: int, reason: str) -> None:
        """Drop what is queued and close at once (the writer may be stuck on this client)."""
        if self.closed and self._close is None:
            return
        log.info("realtime_client_dropped", user_id=self.actor.id, code=code, reason=reason)
        self.closed = True
        self._close = None
        if self._queue is not None:
            self._queue.clear()
        if self._writer is not None:
            self._writer.cancel()
        asyncio.get_running_loop().create_task(self._send_close(code, reason))

    async def _write(self) -> None:
        queue, wake, send = self._queue, self._wake, self._send
        assert queue is not None and wake is not None  # made with this task
        try:
            while True:
                await wake.wait()
                wake.clear()
                self._busy = True
                if self._unfinished is not None:
                    await self._unfinished
                    self._unfinished = None
                while queue:
                    await send(queue.popleft())
                self._busy = False
                self._replay_allowance = 0
                if self._close is not None:
                    await self._send_close(*self._close)
                    return
        except asyncio.CancelledError:
            raise
        except Exception:  # the client went away mid-send: the reader will notice
            self.closed = True
        finally:
            self._discard_unfinished()

    def _discard_unfinished(self) -> None:
        if self._unfinished is not None:
            self._unfinished.coro.close()
            self._unfinished = None

    async def _send_close(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):  # already gone: nothing left to tell it
            await asyncio.wait_for(self.websocket.close(code, reason), CLOSE_TIMEOUT_SECONDS)

    async def stop(self) -> None:
        self.closed = True
        if self._writer is not None and not self._writer.done():
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        self._discard_unfinished()
