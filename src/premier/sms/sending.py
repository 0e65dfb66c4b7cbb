"""The SMS queue as the queue worker sees it: each number's route (its country's providers,
else the default ones, sharing one breaker per provider), suppressions checked again just
before sending, and the provider's word kept on the row: delivery status, price, error
code, and an opt-out it reports remembered as our own suppression."""

from collections.abc import Mapping, Sequence
from typing import Any

import structlog
from aiohttp import ClientSession
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.db import Database
from premier.delivery.breaker import CircuitBreaker, Failover
from premier.delivery.queue import Backoff, Outcome, QueueStatus
from premier.delivery.worker import Provider, QueueConfig, QueueWorker, Settled
from premier.notifications import suppressions
from premier.notifications.models import Channel
from premier.sms import service
from premier.sms.models import SmsQueue
from premier.sms.providers.base import Accepted, OutboundSms, SmsProvider
from premier.sms.providers.build import build_providers, provider_order
from premier.sms.providers.twilio import TwilioProvider
from premier.sms.tracking import FINAL, SmsStatus

log = structlog.get_logger(__name__)

# Provider codes that mean the recipient opted out at the provider: remember it ourselves.
OPTED_OUT_CODES = {("twilio", "21610"), ("africastalking", "406")}
STATUS_CALLBACK_PATH = "/api/v1/sms/webhooks/twilio/status"


class SmsSending:
    name = "sms"
    model = SmsQueue
    given_up: Mapping[str, Any] = {"delivery_status": SmsStatus.FAILED.value}

    def __init__(
        self, *, settings: Settings, database: Database, providers: dict[str, SmsProvider]
    ) -> None:
        self.settings = settings
        self.database = database
        self.providers = providers
        self.config = QueueConfig(
            backoff=Backoff(settings.sms.retry_base_seconds, settings.sms.retry_max_seconds)
        )
        self._breakers: dict[str, CircuitBreaker] = {}
        self._routes: dict[tuple[str, ...], Failover[Provider[OutboundSms]]] = {}
        self._callback = settings.public_base_url.rstrip("/") + STATUS_CALLBACK_PATH

    def reset_breakers(self) -> None:
        """Forget every provider's failures (an operator's "try them all again")."""
        self._breakers.clear()
        self._routes.clear()

    def route(self, row: SmsQueue) -> Failover[Provider[OutboundSms]]:
        order = tuple(provider_order(settings=self.settings.sms, to=row.to_phone))
        if order not in self._routes:
            # One breaker per provider, shared by every route that uses it.
            self._routes[order] = Failover(
                providers=[(name, self.providers[name]) for name in order],
                threshold=self.settings.breaker_failure_threshold,
                open_seconds=self.settings.breaker_open_seconds,
                breakers=self._breakers,
            )
        return self._routes[order]

    def message(self, row: SmsQueue) -> OutboundSms:
        return OutboundSms(
            reference=str(row.id),
            to=row.to_phone,
            body=row.body,
            status_callback_url=self._callback,
        )

    async def held_back(self, rows: Sequence[SmsQueue]) -> dict[int, str]:
        async with self.database.reading() as session:
            return await suppressions.held_back(
                session=session, channel=Channel.SMS, rows=rows, address=_to_phone
            )

    def columns(self, outcome: Outcome, status: str) -> Mapping[str, Any]:
        return _tracking_values(outcome, status)

    async def record(self, session: AsyncSession, settled: Sequence[Settled[SmsQueue]]) -> None:
        for done in settled:
            if (done.outcome.provider, done.outcome.error_code) in OPTED_OUT_CODES:
                await self._remember_opt_out(session, done.row, done.outcome)

    async def _remember_opt_out(
        self, session: AsyncSession, row: SmsQueue, outcome: Outcome
    ) -> None:
        """Note the provider's opt-out in a savepoint: should it fail, the other outcomes
        are still recorded (else their sent rows would be sent again once their lease ends)."""
        try:
            async with session.begin_nested():
                await service.suppress(
                    session=session,
                    phone=row.to_phone,
                    reason="unsubscribe",
                    source=f"{outcome.provider}:{outcome.error_code}",
                )
        except Exception:
            log.exception("sms_opt_out_not_recorded", sms_id=row.id)

    async def when_idle(self) -> None:
        await self.collect_prices()

    async def collect_prices(self, limit: int = 50) -> int:
        """Record what Twilio charged for messages whose fate is known; returns how many."""
        twilio = self.providers.get("twilio")
        if not isinstance(twilio, TwilioProvider):
            return 0
        async with self.database.reading() as session:
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
            async with self.database.writing() as session:
                for row_id, (amount, currency) in prices.items():
                    await session.execute(
                        update(SmsQueue)
                        .where(SmsQueue.id == row_id)
                        .values(price=amount, price_currency=currency)
                    )
                await session.commit()
        return len(prices)

    async def aclose(self) -> None:
        return None


def _to_phone(row: SmsQueue) -> str:
    return row.to_phone


def _tracking_values(outcome: Outcome, status: str) -> dict[str, object]:
    if status == QueueStatus.SENT and isinstance(outcome.receipt, Accepted):
        accepted = outcome.receipt
        values: dict[str, object] = {"delivery_status": accepted.status, "error_code": None}
        if accepted.price is not None:
            values |= {"price": accepted.price, "price_currency": accepted.price_currency}
        return values
    if status == QueueStatus.FAILED:
        return {"delivery_status": SmsStatus.FAILED.value, "error_code": outcome.error_code}
    if status == QueueStatus.SUPPRESSED:
        return {"delivery_status": None}
    return {"error_code": outcome.error_code} if outcome.error_code else {}


def sms_worker(
    *, database: Database, settings: Settings, http: ClientSession, worker_id: str | None = None
) -> QueueWorker[SmsQueue, OutboundSms]:
    """The worker for the SMS queue, through the configured providers."""
    providers = build_providers(settings=settings.sms, http=http)
    sending = SmsSending(settings=settings, database=database, providers=providers)
    return QueueWorker(database=database, sending=sending, worker_id=worker_id)
