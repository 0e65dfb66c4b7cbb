"""The email outbox worker: claim due rows, send each through the first healthy provider,
record the outcome. Runs in-process with the app or as `premier worker`."""

import asyncio
import contextlib
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import uuid4

import structlog
from sqlalchemy import or_, select

from premier.config import Settings
from premier.db import Database
from premier.delivery.breaker import Failover
from premier.delivery.queue import (
    Backoff,
    Outcome,
    QueueStatus,
    claim_due_rows,
    settle,
    unexpected_failure,
)
from premier.email.compose import stored_attachments
from premier.email.models import EmailQueue
from premier.email.providers import build_providers
from premier.email.providers.base import (
    Attachment,
    EmailProvider,
    OutgoingEmail,
    PermanentError,
    TransientError,
)
from premier.email.tracking import delivery_log
from premier.notifications.models import Channel, Suppression

log = structlog.get_logger(__name__)


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


def outgoing(row: EmailQueue) -> OutgoingEmail:
    return OutgoingEmail(
        message_id=row.message_id,
        from_address=row.from_address,
        from_name=row.from_name,
        to_address=row.to_address,
        to_name=row.to_name,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        headers=dict(row.headers or {}),
        attachments=tuple(
            Attachment(a.filename, a.content_type, a.content) for a in stored_attachments(row)
        ),
        category=row.category,
        outbox_id=row.id,
    )


class EmailWorker:
    def __init__(
        self,
        *,
        database: Database,
        settings: Settings,
        providers: Sequence[EmailProvider] | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.providers = (
            list(providers)
            if providers is not None
            else build_providers(settings=settings, database=database)
        )
        self.failover: Failover[EmailProvider] = Failover(
            [(p.name, p) for p in self.providers],
            threshold=settings.breaker_failure_threshold,
            open_seconds=settings.breaker_open_seconds,
        )
        self.backoff = Backoff(settings.email_retry_base_seconds, settings.email_retry_max_seconds)
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:6]}"
        self._slots = asyncio.Semaphore(settings.email_send_concurrency)

    async def send_one(self, row: EmailQueue) -> Outcome:
        """Send one row; whatever goes wrong is this row's outcome, never an exception."""
        try:
            return await self._send_one(row)
        except Exception as exc:
            log.exception("email_send_crashed", email_id=row.id)
            return unexpected_failure(row, exc)

    async def _send_one(self, row: EmailQueue) -> Outcome:
        email = outgoing(row)
        attempts, max_attempts = row.attempts, row.max_attempts
        last: TransientError | None = None
        async with self._slots:
            for name, provider in self.failover.candidates():
                breaker = self.failover.breakers[name]
                try:
                    result = await provider.send(email)
                except PermanentError as exc:
                    breaker.record_success()  # the provider is up; the message is bad
                    return Outcome(
                        row.id,
                        ok=False,
                        provider=name,
                        error=exc.message,
                        permanent=True,
                        attempts=attempts,
                        max_attempts=max_attempts,
                    )
                except TransientError as exc:
                    breaker.record_failure()
                    last = exc
                    if exc.ambiguous:
                        break  # it may have gone out: retry later rather than risk a double
                    continue
                except Exception as exc:  # a bug in one adapter must not stop the others
                    # An answer the adapter could not read (a 200 without an id) may well
                    # mean the mail went out: retry later rather than risk a double now.
                    log.exception("email_provider_crashed", provider=name)
                    breaker.record_failure()
                    last = TransientError(f"{name}: {type(exc).__name__}: {exc}", ambiguous=True)
                    break
                breaker.record_success()
                return Outcome(
                    row.id,
                    ok=True,
                    provider=name,
                    provider_message_id=result.provider_message_id,
                    attempts=attempts,
                    max_attempts=max_attempts,
                )
        error = last.message if last else "every email provider is unavailable (circuit open)"
        return Outcome(
            row.id,
            ok=False,
            error=error,
            retry_after=last.retry_after if last else None,
            attempts=attempts,
            max_attempts=max_attempts,
        )

    async def _suppressed(self, rows: list[EmailQueue]) -> dict[int, str]:
        addresses = {row.to_address.lower() for row in rows}
        async with self.database.reading() as session:
            found = list(
                await session.scalars(
                    select(Suppression).where(
                        Suppression.channel == Channel.EMAIL, Suppression.address.in_(addresses)
                    )
                )
            )
        blocked: dict[int, str] = {}
        essential = {"account"}
        for row in rows:
            if row.category in essential:
                continue
            for s in found:
                if s.address == row.to_address.lower() and s.category in ("*", row.category):
                    blocked[row.id] = f"suppressed: {s.reason}"
        return blocked

    async def drain_once(self) -> DrainStats:
        """Claim one batch, send it, record it. Returns what happened."""
        rows = await claim_due_rows(
            database=self.database,
            model=EmailQueue,
            worker_id=self.worker_id,
            limit=self.settings.email_batch_size,
            lease_seconds=self.settings.email_lease_seconds,
        )
        stats = DrainStats(claimed=len(rows))
        if not rows:
            return stats
        blocked = await self._suppressed(rows)
        outcomes: list[Outcome] = [
            Outcome(row.id, ok=False, error=blocked[row.id], final_status=QueueStatus.SUPPRESSED)
            for row in rows
            if row.id in blocked
        ]
        sending = [row for row in rows if row.id not in blocked]
        results = await asyncio.gather(
            *(self.send_one(row) for row in sending), return_exceptions=True
        )
        outcomes += [
            result if isinstance(result, Outcome) else unexpected_failure(row, result)
            for row, result in zip(sending, results, strict=True)
        ]
        by_id = {row.id: row for row in rows}
        async with self.database.writing() as session:
            statuses = await settle(
                session=session,
                model=EmailQueue,
                worker_id=self.worker_id,
                outcomes=outcomes,
                backoff=self.backoff,
            )
            for outcome in outcomes:
                status = statuses.get(outcome.row_id)
                if status is None:
                    continue  # lease lost: another worker owns this row now
                row = by_id[outcome.row_id]
                logged = "retrying" if status == QueueStatus.QUEUED else status
                session.add(
                    delivery_log(
                        row,
                        status=logged,
                        provider=outcome.provider,
                        provider_message_id=outcome.provider_message_id,
                        detail=outcome.error,
                    )
                )
                if status == QueueStatus.SENT:
                    stats.sent += 1
                    name = outcome.provider or "?"
                    stats.by_provider[name] = stats.by_provider.get(name, 0) + 1
                elif status == QueueStatus.QUEUED:
                    stats.retrying += 1
                elif status == QueueStatus.SUPPRESSED:
                    stats.suppressed += 1
                else:
                    stats.failed += 1
            await session.commit()
        return stats

    async def drain(self, *, max_batches: int = 10_000) -> DrainStats:
        """Send until nothing is due (tests and the CLI use this)."""
        total = DrainStats()
        for _ in range(max_batches):
            stats = await self.drain_once()
            total.add(stats)
            if stats.claimed == 0:
                break
        return total

    async def run(self, stop: asyncio.Event, *, idle_seconds: float = 1.0) -> None:
        log.info(
            "email_worker_started",
            worker=self.worker_id,
            providers=[p.name for p in self.providers],
        )
        while not stop.is_set():
            try:
                stats = await self.drain_once()
            except Exception:
                log.exception("email_worker_batch_failed")
                stats = DrainStats()
            if stats.claimed == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=idle_seconds)

    async def aclose(self) -> None:
        for provider in self.providers:
            await provider.aclose()


async def due_count(database: Database) -> int:
    from sqlalchemy import func

    async with database.reading() as session:
        return (
            await session.scalar(
                select(func.count())
                .select_from(EmailQueue)
                .where(or_(EmailQueue.status == "queued", EmailQueue.status == "sending"))
            )
            or 0
        )
