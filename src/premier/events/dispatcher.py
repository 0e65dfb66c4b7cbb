"""Runs the deferred subscribers of committed events, read back from `event_outbox`.

Each batch is one transaction: the subscribers' rows (in-app notifications, queued email
and SMS) commit together with the outbox rows marked dispatched, so an event is fanned out
exactly once however the process dies. A subscriber that fails rolls back only its own
event (a savepoint), which is retried with back-off and given up after `MAX_ATTEMPTS`.
"""

import asyncio
from collections.abc import Callable
from datetime import timedelta

import structlog
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.db import Database
from premier.events.models import OutboxEvent, QueueStatus
from premier.kit.time import utcnow

log = structlog.get_logger(__name__)

MAX_ATTEMPTS = 10
MAX_BACKOFF_SECONDS = 300
KEEP_DISPATCHED = timedelta(days=7)
YIELD_FACTOR = 4
PRUNE_EVERY_SECONDS = 3600
OUTBOX = events.OUTBOX
INFLOW_WINDOW_SECONDS = 1.0


class OutboxInflow:
    """Whether events reach the outbox faster than this dispatcher could fan them out.

    A dispatcher in a process of its own cannot see the API's requests, only the events
    they leave behind. When those arrive faster than it fans them out even at full speed,
    it falls behind whatever it does, and the requests making them need the machine's CPU
    more than the confirmations do: so it yields as the API process's dispatcher does
    while requests are served, and catches up once the rush is over.
    """

    def __init__(self) -> None:
        self.seconds_per_event: float | None = None
        self.rush = False
        self._newest_id: int | None = None
        self._seen_at = 0.0

    def dispatched(self, taken: int, seconds: float) -> None:
        """A batch taken at full speed: how long an event takes to fan out."""
        each = seconds / taken
        known = self.seconds_per_event
        self.seconds_per_event = each if known is None else 0.8 * known + 0.2 * each

    def arrived(self, newest_id: int, now: float) -> None:
        """The newest event id now; ids grow by one an event."""
        if self._newest_id is not None and self.seconds_per_event and now > self._seen_at:
            per_second = (newest_id - self._newest_id) / (now - self._seen_at)
            self.rush = per_second * self.seconds_per_event > 1
        self._newest_id, self._seen_at = newest_id, now


class EventDispatcher:
    """Fans committed events out, in batches.

    Given `busy` (the API process's "serving requests right now"), it keeps out of their
    way: while they are being served it takes one event at a time and then pauses for
    `YIELD_FACTOR` times as long as the event took, so fan-out gets a fifth of the process
    and bookings keep their pace; the backlog it leaves is drained once the rush is over.
    Without it (`premier worker`), it does the same while events arrive faster than it
    could fan them out (see OutboxInflow).
    """

    def __init__(
        self,
        *,
        database: Database,
        bus: events.EventBus,
        batch_size: int = 0,
        busy: Callable[[], bool] | None = None,
        inflow_window: float = INFLOW_WINDOW_SECONDS,
    ) -> None:
        self.database = database
        self.bus = bus
        # Subscribers write a batch's rows together, so a bigger batch costs little more
        # than a small one; while requests are served it takes one event at a time anyway.
        self.batch_size = batch_size or 64
        self.busy = busy or (lambda: False)
        # Only a dispatcher that cannot see requests watches the events arrive.
        self.inflow = OutboxInflow() if busy is None else None
        self.inflow_window = inflow_window

    async def dispatch_batch(self, limit: int = 0) -> int:
        """Fan out the oldest due events; returns how many were taken."""
        now = utcnow()
        async with self.database.writing() as session:
            query = (
                select(OutboxEvent)
                .where(OutboxEvent.status == QueueStatus.PENDING, OutboxEvent.available_at <= now)
                .order_by(OutboxEvent.id)
                .limit(limit or self.batch_size)
            )
            if not self.database.is_sqlite:
                # Several workers share the outbox; each takes rows the others have not.
                query = query.with_for_update(skip_locked=True)
            rows = list(await session.scalars(query))
            dispatched = []
            for run in _runs_of_one_type(rows):
                dispatched += await self._dispatch_run(session, run)
            if dispatched:
                # One statement for the batch: marked one by one, each row was flushed by
                # the next event's first query, a round trip an event.
                await session.execute(
                    update(OUTBOX)
                    .where(OUTBOX.c.id.in_(dispatched))
                    .values(status=QueueStatus.DISPATCHED, dispatched_at=utcnow())
                )
            await events.commit(session)
            return len(rows)

    async def _dispatch_run(self, session: AsyncSession, rows: list[OutboxEvent]) -> list[int]:
        """Run the subscribers of consecutive events of one type together, so they write
        what all of them cause in a few statements; should that fail, run them one by one,
        so that only the events whose subscribers fail are retried. Returns the ids of the
        events dispatched."""
        if len(rows) > 1:
            try:
                batch = [
                    events.event_class(r.event_type).model_validate_json(r.payload) for r in rows
                ]
                async with events.savepoint(session):
                    await self.bus.run_deferred(session, batch)
            except Exception:
                log.info("event_batch_failed_one_by_one", event_type=rows[0].event_type)
            else:
                return [row.id for row in rows]
        return [row.id for row in rows if await self._dispatch(session, row)]

    async def _dispatch(self, session: AsyncSession, row: OutboxEvent) -> bool:
        """Run the event's subscribers; whether they all succeeded."""
        try:
            event = events.event_class(row.event_type).model_validate_json(row.payload)
            # What the subscribers emit is forgotten with their work if they fail.
            async with events.savepoint(session):
                await self.bus.run_deferred(session, [event])
        except Exception as exc:
            self._failed(row, exc)
            return False
        return True

    def _failed(self, row: OutboxEvent, exc: Exception) -> None:
        row.attempts += 1
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = QueueStatus.FAILED
            log.error("event_fanout_gave_up", event_id=row.event_id, event_type=row.event_type)
            return
        backoff = min(2**row.attempts, MAX_BACKOFF_SECONDS)
        row.available_at = utcnow() + timedelta(seconds=backoff)
        log.warning(
            "event_fanout_failed", event_id=row.event_id, attempts=row.attempts, exc_info=exc
        )

    async def drain(self) -> int:
        """Dispatch until no event is due; returns how many were taken."""
        total = 0
        while taken := await self.dispatch_batch():
            total += taken
        return total

    async def _newest_event_id(self) -> int:
        async with self.database.reading() as session:
            return int(await session.scalar(select(func.max(OutboxEvent.id))) or 0)

    async def prune(self) -> None:
        """Forget events dispatched long ago; the table is a queue, not an archive."""
        async with self.database.writing() as session:
            await session.execute(
                delete(OutboxEvent).where(
                    OutboxEvent.status == QueueStatus.DISPATCHED,
                    OutboxEvent.dispatched_at < utcnow() - KEEP_DISPATCHED,
                )
            )
            await session.commit()

    async def run(self, stop: asyncio.Event, *, idle_seconds: float = 1.0) -> None:
        """Dispatch until `stop`; woken at once by this process's commits, else polls."""
        log.info("event_dispatcher_started")
        loop = asyncio.get_running_loop()
        next_prune = next_inflow = loop.time()
        while not stop.is_set():
            if loop.time() >= next_prune and not self.busy():
                # Hourly, not only at start-up: a long-lived process must not keep every
                # event it ever dispatched.
                next_prune = loop.time() + PRUNE_EVERY_SECONDS
                try:
                    await self.prune()
                except Exception:
                    log.exception("event_outbox_prune_failed")
            self.bus.outbox_written.clear()
            if self.inflow is not None and loop.time() >= next_inflow:
                next_inflow = loop.time() + self.inflow_window
                try:
                    self.inflow.arrived(await self._newest_event_id(), loop.time())
                except Exception:
                    log.exception("event_outbox_inflow_failed")
            rush = self.busy() or (self.inflow is not None and self.inflow.rush)
            started = loop.time()
            try:
                taken = await self.dispatch_batch(1 if rush else 0)
            except Exception:
                log.exception("event_dispatch_batch_failed")
                taken = 0
            if taken == 0:
                await self._idle(stop, idle_seconds)
            elif rush:
                await asyncio.sleep((loop.time() - started) * YIELD_FACTOR)
            elif self.inflow is not None:
                self.inflow.dispatched(taken, loop.time() - started)

    async def _idle(self, stop: asyncio.Event, seconds: float) -> None:
        waits = [
            asyncio.ensure_future(stop.wait()),
            asyncio.ensure_future(self.bus.outbox_written.wait()),
        ]
        try:
            await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()


def _runs_of_one_type(rows: list[OutboxEvent]) -> list[list[OutboxEvent]]:
    """Consecutive events of one type, in order: the order they happened in is kept."""
    runs: list[list[OutboxEvent]] = []
    for row in rows:
        if runs and runs[-1][0].event_type == row.event_type:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs
