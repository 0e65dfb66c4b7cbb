"""The one worker that drains a channel's queue: claim due rows under a lease, send each
through the first healthy provider of its route, settle each outcome as soon as the
provider answers, retry with the channel's back-off. Email, SMS and push each describe
their queue as a `Sending`; the worker is the same for all.

Settling as answers arrive, not a batch at a time, bounds what a crash repeats: each of
the `concurrency` sending slots holds its message until the outcome is committed, so a
worker killed at any instant leaves behind at most `concurrency` messages sent but not yet
recorded, to be sent again when their leases expire. Answers that arrive while the
previous ones are being written go in the next write, so a fast provider costs a commit
per group of answers, not per message. The next batch is claimed while the current one is
still sending, so the slots never wait for a batch's slowest message.

Whatever one row's sending raises stays that row's transient failure (see
`premier.delivery.queue`); an answer a provider does not promise is treated as "it may
have gone out": retried later, never handed to the next provider at once.
"""

import asyncio
import contextlib
import os
import socket
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar
from uuid import uuid4

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from premier.db import Database
from premier.delivery.breaker import Failover
from premier.delivery.errors import PermanentFailure, TransientFailure
from premier.delivery.queue import (
    Backoff,
    Outcome,
    QueueColumns,
    QueueStatus,
    claim_due_rows,
    settle,
    unexpected_failure,
)
from premier.delivery.settler import GroupSettler

log = structlog.get_logger(__name__)

RowT = TypeVar("RowT", bound=QueueColumns)
MessageT = TypeVar("MessageT")
MessageT_contra = TypeVar("MessageT_contra", contravariant=True)


class Provider(Protocol[MessageT_contra]):
    name: str

    async def send(self, message: MessageT_contra) -> Any:
        """Hand the message over; returns the provider's receipt (with its
        `provider_message_id`) or raises PermanentFailure / TransientFailure."""
        ...


@dataclass(frozen=True, slots=True)
class QueueConfig:
    batch_size: int = 50
    lease_seconds: float = 120.0
    concurrency: int = 16
    backoff: Backoff = field(default_factory=Backoff)


@dataclass(frozen=True, slots=True)
class Settled(Generic[RowT]):
    """A row whose outcome this worker recorded, with the status it now has."""

    row: RowT
    outcome: Outcome
    status: str


class Sending(Protocol[RowT, MessageT]):
    """What the worker needs to know of one channel's queue."""

    name: str
    model: type[RowT]
    config: QueueConfig
    # Columns set besides `status` on a row given up after its last attempt.
    given_up: Mapping[str, Any]

    def route(self, row: RowT) -> Failover[Provider[MessageT]]:
        """The providers to try for this row, in order, with their breakers."""
        ...

    def message(self, row: RowT) -> MessageT: ...

    async def held_back(self, rows: Sequence[RowT]) -> dict[int, str]:
        """Rows that must not go out after all (suppressed since queued), with why."""
        ...

    def columns(self, outcome: Outcome, status: str) -> Mapping[str, Any]:
        """Columns of the channel's own to set on a settled row with its status (written
        in the same UPDATE)."""
        ...

    async def record(self, session: AsyncSession, settled: Sequence[Settled[RowT]]) -> None:
        """Note settled rows' outcomes beyond their columns (delivery log, opt-outs), in
        the transaction that settles them."""
        ...

    async def when_idle(self) -> None:
        """Housekeeping between batches when nothing is due."""
        ...

    async def aclose(self) -> None: ...


@dataclass
class DrainStats:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    suppressed: int = 0
    by_provider: dict[str, int] = field(default_factory=dict)

    def add(self, other: "DrainStats") -> None:
        for name in ("claimed", "sent", "retrying", "failed", "suppressed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for provider, count in other.by_provider.items():
            self.by_provider[provider] = self.by_provider.get(provider, 0) + count

    def count(self, status: str, provider: str | None) -> None:
        if status == QueueStatus.SENT:
            self.sent += 1
            name = provider or "?"
            self.by_provider[name] = self.by_provider.get(name, 0) + 1
        elif status == QueueStatus.QUEUED:
            self.retrying += 1
        elif status == QueueStatus.SUPPRESSED:
            self.suppressed += 1
        else:
            self.failed += 1


class QueueWorker(Generic[RowT, MessageT]):
    def __init__(
        self,
        *,
        database: Database,
        sending: Sending[RowT, MessageT],
        worker_id: str | None = None,
    ) -> None:
        self.database = database
        self.sending = sending
        self.worker_id = (
            worker_id or f"{sending.name}-{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:6]}"
        )

    async def send_one(self, row: RowT) -> Outcome:
        """Send one row; whatever goes wrong is this row's outcome, never an exception."""
        try:
            return await self._send_one(row)
        except Exception as exc:
            log.exception("send_crashed", channel=self.sending.name, row_id=row.id)
            return unexpected_failure(row, exc)

    async def _send_one(self, row: RowT) -> Outcome:
        def result(**fields: Any) -> Outcome:
            return Outcome(
                row_id=row.id, attempts=row.attempts, max_attempts=row.max_attempts, **fields
            )

        route = self.sending.route(row)
        message = self.sending.message(row)
        last: TransientFailure | None = None
        for name, provider in route.candidates():
            breaker = route.breakers[name]
            try:
                receipt = await provider.send(message)
            except PermanentFailure as exc:
                breaker.record_success()  # the provider works; the message is the problem
                return result(
                    ok=False, permanent=True, provider=name, error=exc.message, error_code=exc.code
                )
            except TransientFailure as exc:
                breaker.record_failure()
                log.warning(
                    "provider_failed", channel=self.sending.name, provider=name, error=exc.message
                )
                last = exc
                if exc.ambiguous:
                    break  # it may have gone out: retry later rather than send it twice now
                continue
            except Exception as exc:  # an answer the adapter did not expect, after sending
                log.exception("provider_crashed", channel=self.sending.name, provider=name)
                breaker.record_failure()
                last = TransientFailure(
                    name, f"unexpected {type(exc).__name__}: {exc}", ambiguous=True
                )
                break
            breaker.record_success()
            return result(
                ok=True,
                provider=name,
                provider_message_id=receipt.provider_message_id,
                receipt=receipt,
            )
        if last is None:
            return result(ok=False, error=f"every {self.sending.name} provider is unavailable "
                          "(circuit open)")  # fmt: skip
        return result(
            ok=False, error=last.message, retry_after=last.retry_after, error_code=last.code
        )

    async def drain_once(self) -> DrainStats:
        """Claim one batch, send it, settle each answer as it arrives."""
        return await self._pump(max_batches=1)

    async def drain(self, *, max_batches: int = 10_000) -> DrainStats:
        """Send until nothing is due (tests and `premier worker --once` use this)."""
        return await self._pump(max_batches=max_batches)

    async def run(self, stop: asyncio.Event, *, idle_seconds: float = 1.0) -> None:
        log.info("queue_worker_started", channel=self.sending.name, worker=self.worker_id)
        while not stop.is_set():
            try:
                stats = await self._pump(stop=stop)
            except Exception:
                log.exception("queue_worker_batch_failed", channel=self.sending.name)
                stats = DrainStats()
            if stats.claimed == 0:
                with contextlib.suppress(Exception):
                    await self.sending.when_idle()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=idle_seconds)

    async def _pump(
        self, *, max_batches: int = 10_000, stop: asyncio.Event | None = None
    ) -> DrainStats:
        """Keep `concurrency` sends going until nothing is due: the next batch is claimed
        while the current one is still being sent, when fewer rows wait than there are
        slots, so the slowest message of a batch never holds up the next.

        A slot is held until its row's outcome is committed, not merely handed over: at any
        instant at most `concurrency` messages are sent but not yet recorded, and only
        those are sent again after a crash. A claim short of a full batch means nothing
        more is due: the pump lets what is in flight settle and looks once more; nothing
        due with nothing in flight ends it.
        """
        config = self.sending.config
        stats = DrainStats()
        rows: dict[int, RowT] = {}
        waiting: deque[RowT] = deque()
        senders: set[asyncio.Task[None]] = set()
        moved = asyncio.Event()  # a sender took a row or finished
        settler = GroupSettler(
            lambda outcomes: self._settle(outcomes, rows, stats),
            writers=1 if self.database.is_sqlite else 2,
        )

        failures: list[Exception] = []

        async def sender() -> None:
            try:
                while waiting and not failures:
                    row = waiting.popleft()
                    moved.set()
                    await settler.write(await self.send_one(row))
            except Exception as exc:  # the outcome could not be recorded (database down)
                failures.append(exc)
            finally:
                moved.set()

        batches = 0
        try:
            while not failures:
                claimed = 0
                if batches < max_batches and not (stop is not None and stop.is_set()):
                    claimed = await self._claim_into(waiting, rows, settler)
                    batches += 1
                stats.claimed += claimed
                while waiting and len(senders) < config.concurrency:
                    task = asyncio.create_task(sender())
                    senders.add(task)
                    task.add_done_callback(senders.discard)
                if claimed < config.batch_size:
                    # Nothing more due for now: let what is in flight settle, then look once
                    # more (a retry may have come due meanwhile).
                    if senders:
                        await asyncio.wait(set(senders))
                    elif claimed == 0:
                        break
                    continue
                while len(waiting) > config.concurrency and senders:
                    moved.clear()
                    await moved.wait()
        finally:
            if senders:
                await asyncio.wait(set(senders))
            await settler.close()
        if failures:
            raise failures[0]
        return stats

    async def _claim_into(
        self, waiting: deque[RowT], rows: dict[int, RowT], settler: "GroupSettler"
    ) -> int:
        """Lease the next batch: rows held back are settled at once, the rest queued to
        send. Returns how many were claimed."""
        config = self.sending.config
        claimed = await claim_due_rows(
            database=self.database,
            model=self.sending.model,
            worker_id=self.worker_id,
            limit=config.batch_size,
            lease_seconds=config.lease_seconds,
            given_up=self.sending.given_up,
        )
        if not claimed:
            return 0
        rows.update((row.id, row) for row in claimed)
        held = await self.sending.held_back(claimed)
        for row_id, reason in held.items():
            settler.put(
                Outcome(row_id, ok=False, error=reason, final_status=QueueStatus.SUPPRESSED)
            )
        waiting.extend(row for row in claimed if row.id not in held)
        return len(claimed)

    async def _settle(
        self, outcomes: list[Outcome], rows: dict[int, RowT], stats: DrainStats
    ) -> None:
        async with self.database.writing() as session:
            statuses = await settle(
                session=session,
                model=self.sending.model,
                worker_id=self.worker_id,
                outcomes=outcomes,
                backoff=self.sending.config.backoff,
                columns=self.sending.columns,
            )
            # A row missing from `statuses` lost its lease; the new owner records its own.
            settled = [
                Settled(rows[outcome.row_id], outcome, statuses[outcome.row_id])
                for outcome in outcomes
                if outcome.row_id in statuses
            ]
            if settled:
                await self.sending.record(session, settled)
            await session.commit()
        for done in settled:
            stats.count(done.status, done.outcome.provider)
        for outcome in outcomes:
            rows.pop(outcome.row_id, None)

    async def aclose(self) -> None:
        await self.sending.aclose()
