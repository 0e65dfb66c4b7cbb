"""Reconciliation: payments still pending past a while are asked about at their provider.

Webhooks and callbacks get lost (Daraja does not promise to retry at all). The workers
look every `reconcile_interval_seconds` for payments pending longer than
`reconcile_after_seconds` that were not asked about for as long, query their provider and
apply what it says like any webhook (stored once, forward only). A payment nobody can
confirm by `abandon_after_seconds` (an STK Push whose answer was lost has nothing to query)
is given up as failed. The same query answers a guest back from a provider's page
(`POST /payments/{id}/refresh`).
"""

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from sqlalchemy import or_, select, update

from premier import events
from premier.db import Database
from premier.kit.time import utcnow
from premier.payments import status as machine
from premier.payments.apply import Applied, apply_all, attempt_of, emit_status
from premier.payments.models import Payment, PaymentStatus
from premier.payments.providers.base import ProviderDown
from premier.payments.registry import Providers
from premier.payments.settings import PaymentSettings

log = structlog.get_logger(__name__)

BATCH = 50
OPEN = (PaymentStatus.PENDING, PaymentStatus.PROCESSING)
GIVEN_UP = "The payment provider never confirmed this payment. Please start a new one."


async def check_one(*, database: Database, providers: Providers, payment_id: int) -> bool:
    """Ask the payment's provider where it is and apply the answer; False when it could not
    be asked (provider down, nothing to ask about)."""
    async with database.reading() as session:
        payment = await session.get(Payment, payment_id)
        if payment is None or payment.status not in OPEN or payment.provider is None:
            return False
        provider = providers.by_name.get(payment.provider)
        attempt = attempt_of(payment)
    if provider is None:
        return False
    try:
        found = await provider.query(attempt)
    except ProviderDown:
        log.info("payment_query_failed", payment_id=payment_id)
        return False
    if found is None:
        return False
    applied: list[Applied] = await apply_all(database, [found])
    return bool(applied)


class Reconciler:
    def __init__(
        self,
        *,
        database: Database,
        providers: Providers,
        settings: PaymentSettings,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.database = database
        self.providers = providers
        self.after = timedelta(seconds=settings.reconcile_after_seconds)
        self.abandon = timedelta(seconds=settings.abandon_after_seconds)
        self.interval = settings.reconcile_interval_seconds
        self.clock = clock

    async def due(self) -> list[int]:
        now = self.clock()
        async with self.database.writing() as session:
            ids = list(
                await session.scalars(
                    select(Payment.id)
                    .where(
                        Payment.status.in_(OPEN),
                        Payment.provider != "cash",
                        Payment.created_at < now - self.after,
                        or_(Payment.checked_at.is_(None), Payment.checked_at < now - self.after),
                    )
                    .order_by(Payment.id)
                    .limit(BATCH)
                )
            )
            if ids:
                await session.execute(
                    update(Payment).where(Payment.id.in_(ids)).values(checked_at=now)
                )
                await session.commit()
            return ids

    async def run_once(self) -> int:
        """Check what is due now; returns how many payments were asked about."""
        ids = await self.due()
        for payment_id in ids:
            await check_one(database=self.database, providers=self.providers, payment_id=payment_id)
        await self._give_up()
        return len(ids)

    async def _give_up(self) -> None:
        cutoff = self.clock() - self.abandon
        async with self.database.writing() as session:
            stale = list(
                await session.scalars(
                    select(Payment)
                    .where(
                        Payment.status.in_(OPEN),
                        Payment.provider != "cash",
                        Payment.created_at < cutoff,
                    )
                    .with_for_update()
                )
            )
            for payment in stale:
                previous = machine.advance(payment, PaymentStatus.FAILED)
                payment.failure_reason = GIVEN_UP
                await emit_status(session, payment, previous)
            await events.commit(session)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("payment_reconciliation_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.interval)
