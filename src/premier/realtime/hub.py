"""The hub: committed domain events in, numbered frames out to every entitled socket.

Publishing never blocks a request: the after-commit handler only appends the event to an
in-memory publish queue. One task numbers and records queued events in batches through the
backplane, which hands them back (from Redis, when several instances run) for the local
fan-out: each frame is serialized once per channel and the same string is queued for
every subscriber.
"""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import structlog

from premier.events import DomainEvent, UserChanged
from premier.realtime.backplanes.base import Backplane, Delivery, Head, Outgoing
from premier.realtime.connection import Connection, Subscription, text_message
from premier.realtime.protocol import event_tail

log = structlog.get_logger(__name__)

MAX_BATCH = 256
MAX_WAITING_EVENTS = 100_000
TRIM_EVERY_SECONDS = 60.0


class Resync(Exception):
    """The client's position is no longer in the history: it must refetch."""

    def __init__(self, head: Head) -> None:
        super().__init__("history window exceeded")
        self.head = head


class Hub:
    def __init__(
        self, *, backplane: Backplane, history_seconds: int, history_max_events: int
    ) -> None:
        self.backplane = backplane
        self.history_seconds = history_seconds
        self.history_max_events = history_max_events
        self.connections: set[Connection] = set()
        self._channels: dict[str, dict[Connection, Subscription]] = {}
        self._publish_queue: asyncio.Queue[Outgoing] = asyncio.Queue(MAX_WAITING_EVENTS)
        self._tasks: list[asyncio.Task[None]] = []

    # --- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        await self.backplane.start(self.fan_out)
        self._tasks = [
            asyncio.create_task(self._publish_forever(), name="realtime-publisher"),
            asyncio.create_task(self._trim_forever(), name="realtime-trim"),
        ]

    async def stop(self, *, close_code: int, reason: str) -> None:
        for connection in list(self.connections):
            connection.close(close_code, reason)
        await self._drain_publish_queue()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.backplane.stop()

    # --- publishing ----------------------------------------------------------------

    async def on_event(self, event: DomainEvent) -> None:
        """After-commit handler for every domain event: queue it, never wait."""
        channels = event.channels()
        if not channels:
            return
        ts = time.time()
        outgoing = Outgoing(
            event_id=event.event_id,
            channels=tuple(dict.fromkeys(channels)),
            tail=event_tail(
                event_id=event.event_id, event_type=event.type, ts=ts * 1000,
                data_json=event.model_dump_json(),
            ),
            ts=ts,
            span=event.date_span(),
        )  # fmt: skip
        try:
            self._publish_queue.put_nowait(outgoing)
        except asyncio.QueueFull:
            log.error("realtime_publish_queue_full", event_type=event.type, event_id=event.event_id)

    async def _publish_forever(self) -> None:
        while True:
            batch = [await self._publish_queue.get()]
            while len(batch) < MAX_BATCH and not self._publish_queue.empty():
                batch.append(self._publish_queue.get_nowait())
            await self._publish(batch)

    async def _publish(self, batch: list[Outgoing]) -> None:
        try:
            await self.backplane.publish(batch)
        except Exception:
            log.exception("realtime_publish_failed", events=len(batch))
        finally:
            for _ in batch:
                self._publish_queue.task_done()

    async def _drain_publish_queue(self) -> None:
        """Publish what is still queued (at shutdown), without the publisher task."""
        batch: list[Outgoing] = []
        while not self._publish_queue.empty():
            batch.append(self._publish_queue.get_nowait())
        if batch:
            await self._publish(batch)

    async def wait_published(self) -> None:
        """Return once every event queued so far has been numbered and sent on."""
        await self._publish_queue.join()

    async def _trim_forever(self) -> None:
        interval = min(TRIM_EVERY_SECONDS, max(self.history_seconds / 2, 1.0))
        while True:
            await asyncio.sleep(interval)
            try:
                await self.backplane.trim()
            except Exception:
                log.exception("realtime_trim_failed")

    async def on_user_changed(self, event: DomainEvent) -> None:
        """After-commit handler of `user.changed`: that user's sockets check themselves again
        now rather than at their next periodic re-check."""
        if not isinstance(event, UserChanged):
            return
        for connection in list(self.connections):
            if connection.actor.id == event.user_id and connection.recheck is not None:
                connection.recheck()

    # --- fan-out (the hot path) ----------------------------------------------------

    def fan_out(self, delivery: Delivery) -> None:
        span = delivery.span
        for channel, seq, frame in delivery.frames:
            subscribers = self._channels.get(channel)
            if not subscribers:
                continue
            message = text_message(frame)  # one message for every subscriber
            for sub in subscribers.values():
                if seq <= sub.last_seq:
                    continue
                if sub.pending is not None:
                    sub.pending.append((seq, message))
                    continue
                if sub.span is not None and span is not None and not _overlaps(sub.span, span):
                    sub.last_seq = seq
                    continue
                sub.last_seq = seq
                sub.connection.push(message)

    # --- subscriptions -------------------------------------------------------------

    def register(self, connection: Connection) -> None:
        self.connections.add(connection)

    def unregister(self, connection: Connection) -> None:
        self.connections.discard(connection)
        for channel in list(connection.subscriptions):
            self._remove(connection, channel)

    def unsubscribe(self, connection: Connection, channel: str) -> bool:
        return self._remove(connection, channel)

    def _remove(self, connection: Connection, channel: str) -> bool:
        sub = connection.subscriptions.pop(channel, None)
        subscribers = self._channels.get(channel)
        if subscribers is not None:
            subscribers.pop(connection, None)
            if not subscribers:
                del self._channels[channel]
        return sub is not None

    async def subscribe(
        self,
        connection: Connection,
        channel: str,
        *,
        last_seq: int | None,
        last_event_id: str | None,
        span: tuple[date, date] | None,
        on_ready: Callable[[Head, int, bool], Awaitable[Any]],
    ) -> None:
        """Subscribe from now on, or resume after the given event.

        Live frames wait in the subscription while the history is read, so that replayed
        and live frames go out in order and once each. `on_ready(head, replayed, resync)`
        queues the acknowledgement before any event frame of the channel.
        """
        self._remove(connection, channel)
        sub = Subscription(connection, channel, span=span)
        connection.subscriptions[channel] = sub
        self._channels.setdefault(channel, {})[connection] = sub
        resuming = last_seq is not None or last_event_id is not None
        replay: list[str] = []
        resync = False
        try:
            head = await self.backplane.head(channel)
            if resuming:
                try:
                    entries = await self._missed(channel, head, last_seq, last_event_id)
                except Resync:
                    resync = True
                    sub.last_seq = head.seq
                else:
                    sub.last_seq = entries[-1].seq if entries else head.seq
                    replay = [e.frame for e in entries if span is None or _frame_in(span, e)]
            else:
                sub.last_seq = head.seq
        except BaseException:
            self._remove(connection, channel)
            raise
        if connection.subscriptions.get(channel) is not sub:
            return  # unsubscribed meanwhile
        await on_ready(head, len(replay), resync)
        connection.push_replay(replay)
        pending, sub.pending = sub.pending or [], None
        for seq, message in pending:
            if seq > sub.last_seq:
                sub.last_seq = seq
                connection.push(message)

    async def _missed(
        self, channel: str, head: Head, last_seq: int | None, last_event_id: str | None
    ) -> list[Any]:
        if last_seq is None:
            assert last_event_id is not None
            last_seq = await self.backplane.seq_of(channel, last_event_id)
            if last_seq is None:
                raise Resync(head)
        elif last_event_id is not None:
            known = await self.backplane.event_id_at(channel, last_seq)
            if known is not None and known != last_event_id:
                raise Resync(head)  # numbering restarted since: not the same event
        if last_seq > head.seq:
            raise Resync(head)
        missing = head.seq - last_seq
        if missing == 0:
            return []
        if missing > self.history_max_events:
            raise Resync(head)
        entries = await self.backplane.entries_after(channel, last_seq, limit=missing)
        oldest_allowed = time.time() - self.history_seconds
        if (
            len(entries) != missing
            or entries[0].seq != last_seq + 1
            or entries[0].ts < oldest_allowed
        ):
            raise Resync(head)
        return entries


def _overlaps(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _frame_in(span: tuple[date, date], entry: Any) -> bool:
    data = json.loads(entry.frame).get("data", {})
    try:
        touched = (date.fromisoformat(data["start"]), date.fromisoformat(data["end"]))
    except (KeyError, TypeError, ValueError):
        return True
    return _overlaps(span, touched)
