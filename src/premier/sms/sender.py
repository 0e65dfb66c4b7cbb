"""The SMS side of the shared outbox worker: claim due `sms_queue` rows, send each through
its destination's providers in order (skipping those whose circuit breaker is open), and
settle the outcomes under the lease.

Whatever one row's sending raises stays that row's transient failure (see
`premier.delivery.queue`); an answer a provider does not promise (a 201 without a message id)
is treated as "it may have gone out": retried later, never handed to the next provider at
once."""

import asyncio
import contextlib
import os
import socket
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.db import Database
from premier.delivery.breaker import CircuitBreaker, Failover
from premier.delivery.queue import (
    Backoff,
    Outcome,
    QueueStatus,
    claim_due_rows,
    settle,
    unexpected_failure,
)
from premier.sms import service
from premier.sms.models import SmsQueue
from premier.sms.providers import build_providers, provider_order
from premier.sms.providers.base import (
    Accepted,
    OutboundSms,
    PermanentFailure,
    SmsProvider,
    TransientFailure,
)
from premier.sms.providers.twilio import TwilioProvider
from premier.sms.tracking import FINAL, SmsStatus

log = structlog.get_logger(__name__)

# Provider codes that mean the recipient opted out at the provider: remember it ourselves.
OPTED_OUT_CODES = {("twilio", "21610"), ("africastalking", "406")}
STATUS_CALLBACK_PATH = "/api/v1/sms/webhooks/twilio/status"


@dataclass
class Sent:
    outcome: Outcome
    accepted: Accepted | None = None
    error_code: str | None = None


@dataclass
class SmsSender:
    settings: Settings
    providers: dict[str, SmsProvider]
    worker_id: str = field(default_factory=lambda: f"sms-{socket.gethostname()}-{os.getpid()}")
    batch_size: int = 50
    concurrency: int = 16
    lease_seconds: float = 120.0
    breakers: dict[str, CircuitBreaker] = field(default_factory=dict)
    _failovers: dict[tuple[str, ...], Failover[SmsProvider]] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings, http: httpx.AsyncClient) -> "SmsSender":
        return cls(settings=settings, providers=build_providers(settings=settings.sms, http=http))

    def failover_for(self, to: str) -> Failover[SmsProvider]:
        order = tuple(provider_order(settings=self.settings.sms, to=to))
        if order not in self._failovers:
            # One breaker per provider, shared by every route that uses it.
            self._failovers[order] = Failover(
                providers=[(name, self.providers[name]) for name in order],
                threshold=self.settings.breaker_failure_threshold,
                open_seconds=self.settings.breaker_open_seconds,
                breakers=self.breakers,
            )
        return self._failovers[order]

    def message(self, row: SmsQueue) -> OutboundSms:
        callback = self.settings.public_base_url.rstrip("/") + STATUS_CALLBACK_PATH
        return OutboundSms(
            reference=str(row.id), to=row.to_phone, body=row.body, status_callback_url=callback
        )

    async def send_one(self, row: SmsQueue) -> Sent:
        """Send one row; whatever goes wrong is this row's outcome, never an exception."""
        try:
            return await self._send_one(row)
        except Exception as exc:
            log.exception("sms_send_crashed", sms_id=row.id)
            return Sent(unexpected_failure(row, exc))

    async def _send_one(self, row: SmsQueue) -> Sent:
        def result(**fields: Any) -> Outcome:
            return Outcome(
                row_id=row.id, attempts=row.attempts, max_attempts=row.max_attempts, **fields
            )

        failover = self.failover_for(row.to_phone)
        last: TransientFailure | None = None
        for name, provider in failover.candidates():
            breaker = failover.breakers[name]
            try:
                accepted = await provider.send(self.message(row))
            except PermanentFailure as exc:
                breaker.record_success()  # the provider works; the message is the problem
                return Sent(
                    result(ok=False, permanent=True, provider=name, error=str(exc)),
                    error_code=exc.code,
                )
            except TransientFailure as exc:
                breaker.record_failure()
                log.warning("sms_provider_failed", provider=name, sms_id=row.id, error=str(exc))
                last = exc
                if exc.ambiguous:
                    break  # it may have gone out: retry later rather than send it twice now
                continue
            except Exception as exc:  # an answer the adapter did not expect, after sending
                log.exception("sms_provider_crashed", provider=name, sms_id=row.id)
                breaker.record_failure()
                last = TransientFailure(
                    name, f"unexpected {type(exc).__name__}: {exc}", ambiguous=True
                )
                break
            breaker.record_success()
            sent = result(ok=True, provider=name, provider_message_id=accepted.provider_message_id)
            return Sent(sent, accepted=accepted)
        error = str(last) if last else "every SMS provider is unavailable (circuit open)"
        retry_after = last.retry_after if last else None
        return Sent(
            result(ok=False, error=error, retry_after=retry_after),
            error_code=last.code if last else None,
        )

    async def drain_once(self, database: Database) -> int:
        """Claim one batch, send it, record the results; returns how many rows were claimed."""
        rows = await claim_due_rows(
            database=database,
            model=SmsQueue,
            worker_id=self.worker_id,
            limit=self.batch_size,
            lease_seconds=self.lease_seconds,
            given_up={"delivery_status": SmsStatus.FAILED.value},
        )
        if not rows:
            return 0
        gate = asyncio.Semaphore(self.concurrency)

        async def bounded(row: SmsQueue) -> Sent:
            async with gate:
                return await self.send_one(row)

        answers = await asyncio.gather(*(bounded(row) for row in rows), return_exceptions=True)
        results = [
            answer if isinstance(answer, Sent) else Sent(unexpected_failure(row, answer))
            for row, answer in zip(rows, answers, strict=True)
        ]
        backoff = Backoff(self.settings.sms.retry_base_seconds, self.settings.sms.retry_max_seconds)
        async with database.writing() as session:
            statuses = await settle(
                session=session,
                model=SmsQueue,
                worker_id=self.worker_id,
                outcomes=[r.outcome for r in results],
                backoff=backoff,
            )
            for result in results:
                status = statuses.get(result.outcome.row_id)
                if status is None:
                    continue  # our lease was lost; the new owner records its own result
                values = _tracking_values(result, status)
                if values:
                    await session.execute(
                        update(SmsQueue)
                        .where(SmsQueue.id == result.outcome.row_id)
                        .values(**values)
                    )
                if (result.outcome.provider, result.error_code) in OPTED_OUT_CODES:
                    row = next(r for r in rows if r.id == result.outcome.row_id)
                    await self._remember_opt_out(session, row, result)
            await session.commit()
        return len(rows)

    async def _remember_opt_out(self, session: AsyncSession, row: SmsQueue, result: Sent) -> None:
        """Note the provider's opt-out in a savepoint: should it fail, the batch's outcomes
        are still recorded (else its sent rows would be sent again once their lease ends)."""
        try:
            async with session.begin_nested():
                await service.suppress(
                    session=session,
                    phone=row.to_phone,
                    reason="unsubscribe",
                    source=f"{result.outcome.provider}:{result.error_code}",
                )
        except Exception:
            log.exception("sms_opt_out_not_recorded", sms_id=row.id)

    async def collect_prices(self, database: Database, limit: int = 50) -> int:
        """Record what Twilio charged for messages whose fate is known; returns how many."""
        twilio = self.providers.get("twilio")
        if not isinstance(twilio, TwilioProvider):
            return 0
        async with database.reading() as session:
            rows = (
                await session.execute(
                    select(SmsQueue.id, SmsQueue.provider_message_id)
                    .where(
                        SmsQueue.provider == "twilio",
                        SmsQueue.price.is_(None),
                        SmsQueue.delivery_status.in_([s.value for s in FINAL]),
                    )
                    .limit(limit)
                )
            ).all()
        prices = {}
        for row_id, sid in rows:
            price = await twilio.fetch_price(sid) if sid else None
            if price is not None:
                prices[row_id] = price
        if prices:
            async with database.writing() as session:
                for row_id, (amount, currency) in prices.items():
                    await session.execute(
                        update(SmsQueue)
                        .where(SmsQueue.id == row_id)
                        .values(price=amount, price_currency=currency)
                    )
                await session.commit()
        return len(prices)

    async def drain(self, database: Database) -> int:
        """Send everything that is due now (for tests and `premier worker --once`)."""
        total = 0
        while claimed := await self.drain_once(database):
            total += claimed
        return total

    async def run(self, database: Database, stop: asyncio.Event, idle_seconds: float = 1.0) -> None:
        while not stop.is_set():
            try:
                claimed = await self.drain_once(database)
            except Exception:
                log.exception("sms_worker_batch_failed")
                claimed = 0
            if not claimed:
                with contextlib.suppress(Exception):
                    await self.collect_prices(database)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=idle_seconds)


def _tracking_values(result: Sent, status: str) -> dict[str, object]:
    if status == QueueStatus.SENT and result.accepted is not None:
        accepted = result.accepted
        values: dict[str, object] = {"delivery_status": accepted.status, "error_code": None}
        if accepted.price is not None:
            values |= {"price": accepted.price, "price_currency": accepted.price_currency}
        return values
    if status == QueueStatus.FAILED:
        return {"delivery_status": SmsStatus.FAILED.value, "error_code": result.error_code}
    return {"error_code": result.error_code} if result.error_code else {}
