"""The hub: committed domain events in, numbered frames out to every entitled socket.

Publishing never blocks a request: the after-commit handler only appends the event to an
in-memory publish queue. One task numbers and records queued events in batches through the
backplane, which hands them back (from Redis, when several instances run) for the local
fan-out: each frame is serialized once per channel and the same string is queued for
every subscriber.

Nothing is lost quietly:
- An event the backplane cannot take (Redis is down) waits in the publish queue, in
  order, and is published when the backplane is back; publishing again is safe (the
  backplane numbers an event once). Only what is still queued when the process stops,
  after a few seconds' grace, is lost, and that is logged with its count.
- Sequence numbers are consecutive per channel, so a frame that is not the next one for
  a subscriber means frames passed this instance by (its Redis link was down). The hub
  then holds the channel's live frames, reads what is missing from the history, and
  sends it before them; what the history no longer has becomes a `resync` frame. The
  same catch-up runs for every channel listened to here whenever the backplane's
  delivery resumes after a break.
"""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import structlog

from premier.events import DomainEvent, UserChanged
from premier.realtime.backplanes.base import Backplane, Delivery, Entry, Head, Outgoing
from premier.realtime.connection import Connection, Subscription, text_message
from premier.realtime.presence import Presence
from premier.realtime.protocol import dump, event_tail

log = structlog.get_logger(__name__)

MAX_BATCH = 256
MAX_WAITING_EVENTS = 100_000
TRIM_EVERY_SECONDS = 60.0
PUBLISH_RETRY_MAX_SECONDS = 5.0
SHUTDOWN_PUBLISH_SECONDS = 5.0
# Channels read back at once after a break (each read is a round trip to the backplane).
CATCH_UP_CONCURRENCY = 8

# A frame waiting for a catch-up: sequence number, frame, the dates it touches.
Held = tuple[int, str, tuple[date, date] | None]


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
        self.closing = False  # sockets are being closed: the server is stopping
        self.on_stop: list[Callable[[], None]] = []  # called first thing in `stop`
        self.presence: Presence | None = None  # who is online, from the sockets here
        self._channels: dict[str, dict[Connection, Subscription]] = {}
        self._publish_queue: asyncio.Queue[Outgoing] = asyncio.Queue(MAX_WAITING_EVENTS)
        self._publishing = 0  # events taken from the queue, not yet accepted by the backplane
        self._tasks: list[asyncio.Task[None]] = []
        # Channels being caught up, with the live frames that arrived meanwhile.
        self._held: dict[str, list[Held]] = {}
        self._catch_ups: set[asyncio.Task[None]] = set()
        self._catch_up_slots = asyncio.Semaphore(CATCH_UP_CONCURRENCY)

    # --- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        await self.backplane.start(self.fan_out, self.catch_up_all)
        if self.presence is not None:
            await self.presence.start()
        self._tasks = [
            asyncio.create_task(self._publish_forever(), name="realtime-publisher"),
            asyncio.create_task(self._trim_forever(), name="realtime-trim"),
        ]

    def close_all(self, *, close_code: int, reason: str) -> list[asyncio.Task[None]]:
        """Close every socket (each sends what it has queued first); returns their writers."""
        self.closing = True
        for connection in list(self.connections):
            connection.close(close_code, reason)
        return [c.writer for c in self.connections if c.writer is not None]

    async def stop(self, *, close_code: int, reason: str) -> None:
        for undo in self.on_stop:
            undo()
        self.close_all(close_code=close_code, reason=reason)
        if self.presence is not None:
            await self.presence.stop()
        try:
            # Let the publisher hand on what is queued, while the backplane takes it.
            await asyncio.wait_for(self._publish_queue.join(), SHUTDOWN_PUBLISH_SECONDS)
        except TimeoutError:
            log.error("realtime_events_unpublished",
                      events=self._publish_queue.qsize() + self._publishing)  # fmt: skip
        for task in [*self._tasks, *self._catch_ups]:
            task.cancel()
        await asyncio.gather(*self._tasks, *self._catch_ups, return_exceptions=True)
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
                data_json=event.live_json(),
            ),
            ts=ts,
            span=event.date_span(),
        )  # fmt: skip
        try:
            self._publish_queue.put_nowait(outgoing)
        except asyncio.QueueFull:
            log.error("realtime_publish_queue_full", event_type=event.type, event_id=event.event_id)

    async def _publish_forever(self) -> None:
        queue = self._publish_queue
        while True:
            batch = [await queue.get()]
            while len(batch) < MAX_BATCH and not queue.empty():
                batch.append(queue.get_nowait())
            self._publishing = len(batch)
            await self._publish(batch)
            self._publishing = 0
            for _ in batch:
                queue.task_done()

    async def _publish(self, batch: list[Outgoing]) -> None:
        """Until the backplane takes the batch: later events queue behind it, in order."""
        delay = 0.1
        failures = 0
        while True:
            try:
                await self.backplane.publish(batch)
            except Exception:
                failures += 1
                # The whole story once, then a line per attempt while the outage lasts.
                log.warning("realtime_publish_waiting", events=len(batch),
                            queued=self._publish_queue.qsize(), attempt=failures,
                            exc_info=failures == 1)  # fmt: skip
                await asyncio.sleep(delay)
                delay = min(delay * 2, PUBLISH_RETRY_MAX_SECONDS)
                continue
            if failures:
                log.info("realtime_publish_resumed", events=len(batch), attempts=failures + 1)
            return

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
            held = self._held.get(channel)
            if held is not None:  # being caught up: goes out after what is missing
                held.append((seq, frame, span))
                continue
            message = text_message(frame)  # one message for every subscriber
            gap = False
            for sub in subscribers.values():
                last = sub.last_seq
                if seq <= last:
                    continue
                if sub.pending is not None:
                    sub.pending.append((seq, message))
                    continue
                if seq != last + 1:
                    gap = True
                    continue
                sub.last_seq = seq
                if sub.span is not None and span is not None and not _overlaps(sub.span, span):
                    continue
                sub.connection.push(message)
            if gap:
                self._catch_up(channel, [(seq, frame, span)])

    # --- catching up after frames passed this instance by ----------------------------

    def catch_up_all(self) -> None:
        """The backplane's delivery resumed after a break: every channel listened to here
        reads what it may have missed."""
        for channel in list(self._channels):
            self._catch_up(channel, [])

    def _catch_up(self, channel: str, held: list[Held]) -> None:
        if channel in self._held:
            self._held[channel].extend(held)
            return
        self._held[channel] = held
        task = asyncio.get_running_loop().create_task(self._read_missed(channel))
        self._catch_ups.add(task)
        task.add_done_callback(self._catch_ups.discard)

    async def _read_missed(self, channel: str) -> None:
        entries: list[Entry] = []
        head: Head | None = None
        try:
            async with self._catch_up_slots:
                # Subscriptions still starting read the history themselves.
                positions = [
                    s.last_seq
                    for s in self._channels.get(channel, {}).values()
                    if s.pending is None
                ]
                if positions:
                    low = min(positions)
                    head = await self.backplane.head(channel)
                    if head.seq > low:
                        after = max(low, head.seq - self.history_max_events)
                        entries = await self.backplane.entries_after(
                            channel, after, limit=head.seq - after
                        )
        except Exception:
            # Whoever misses frames is told to refetch below; a later gap tries again.
            log.warning("realtime_catch_up_failed", channel=channel, exc_info=True)
        finally:
            held = self._held.pop(channel, [])
        subscribers = self._channels.get(channel)
        if not subscribers:
            return
        frames: list[Held] = [(e.seq, e.frame, _entry_span(channel, e)) for e in entries]
        frames += held
        for seq, frame, span in frames:
            message = text_message(frame)
            for sub in list(subscribers.values()):
                last = sub.last_seq
                if seq <= last:
                    continue
                if sub.pending is not None:
                    sub.pending.append((seq, message))
                    continue
                if seq != last + 1:  # no longer in the history: refetch, then carry on
                    self._resync(sub, seq - 1, None)
                sub.last_seq = seq
                if sub.span is not None and span is not None and not _overlaps(sub.span, span):
                    continue
                sub.connection.push(message)
        if head is not None:
            for sub in list(subscribers.values()):
                if sub.pending is None and sub.last_seq < head.seq:
                    self._resync(sub, head.seq, head.event_id)

    def _resync(self, sub: Subscription, seq: int, event_id: str | None) -> None:
        sub.last_seq = seq
        sub.connection.push_text(
            dump({"type": "resync", "channel": sub.channel, "seq": seq,
                  "last_event_id": event_id, "reason": "missed_while_disconnected"})
        )  # fmt: skip

    # --- subscriptions -------------------------------------------------------------

    def register(self, connection: Connection) -> None:
        self.connections.add(connection)
        if self.presence is not None:
            self.presence.opened(connection.actor)

    def unregister(self, connection: Connection) -> None:
        if connection in self.connections and self.presence is not None:
            self.presence.closed(connection.actor)
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
        for i, (seq, message) in enumerate(pending):
            if seq <= sub.last_seq:
                continue
            if seq != sub.last_seq + 1:  # frames passed this instance by meanwhile
                held: list[Held] = [(s, _text_of(m), None) for s, m in pending[i:]]
                self._catch_up(channel, held)
                return
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
    touched = _data_span(entry.frame)
    return touched is None or _overlaps(span, touched)


def _data_span(frame: str) -> tuple[date, date] | None:
    data = json.loads(frame).get("data", {})
    try:
        return (date.fromisoformat(data["start"]), date.fromisoformat(data["end"]))
    except (KeyError, TypeError, ValueError):
        return None


def _entry_span(channel: str, entry: Entry) -> tuple[date, date] | None:
    # Only availability listeners ask for a window of dates.
    return _data_span(entry.frame) if channel == "availability" else None


def _text_of(message: Any) -> str:
    text: str = message["text"]
    return text
