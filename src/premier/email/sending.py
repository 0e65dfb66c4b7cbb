"""The email queue as the queue worker sees it: one failover route over the configured
providers, rows turned back into `OutgoingEmail`, suppressions checked again just before
sending, and every outcome written to the delivery log."""

from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.db import Database, core_table
from premier.delivery import attachment
from premier.delivery.breaker import Failover
from premier.delivery.queue import Backoff, Outcome, QueueStatus
from premier.delivery.worker import Provider, QueueConfig, QueueWorker, Settled
from premier.email.models import EmailQueue
from premier.email.providers.base import EmailProvider, OutgoingEmail
from premier.email.providers.build import build_providers, provider_http
from premier.email.tracking import delivery_log
from premier.notifications import suppressions
from premier.notifications.models import Channel, DeliveryLog


class EmailSending:
    name = "email"
    model = EmailQueue
    given_up: Mapping[str, Any] = {}

    def __init__(
        self,
        *,
        settings: Settings,
        database: Database,
        providers: Sequence[EmailProvider],
        http: aiohttp.ClientSession | None = None,
    ):
        self.database = database
        self.providers = list(providers)
        self._http = http  # the providers' HTTP client, when it is this sending's own
        self.config = QueueConfig(
            batch_size=settings.email_batch_size,
            lease_seconds=settings.email_lease_seconds,
            concurrency=settings.email_send_concurrency,
            backoff=Backoff(settings.email_retry_base_seconds, settings.email_retry_max_seconds),
        )
        self.failover: Failover[Provider[OutgoingEmail]] = Failover(
            [(p.name, p) for p in self.providers],
            threshold=settings.breaker_failure_threshold,
            open_seconds=settings.breaker_open_seconds,
        )

    def route(self, row: EmailQueue) -> Failover[Provider[OutgoingEmail]]:
        return self.failover

    def message(self, row: EmailQueue) -> OutgoingEmail:
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
            attachments=attachment.from_stored(row.attachments),
            category=row.category,
            queue_id=row.id,
        )

    async def held_back(self, rows: Sequence[EmailQueue]) -> dict[int, str]:
        async with self.database.reading() as session:
            return await suppressions.held_back(
                session=session, channel=Channel.EMAIL, rows=rows, address=_to_address
            )

    def columns(self, outcome: Outcome, status: str) -> Mapping[str, Any]:
        return {}

    async def record(self, session: AsyncSession, settled: Sequence[Settled[EmailQueue]]) -> None:
        """The delivery-log lines of the settled rows (worded by `tracking.delivery_log`
        them), in one INSERT."""
        await session.execute(insert(DELIVERY_LOG), [_log_line(done) for done in settled])

    async def when_idle(self) -> None:
        return None

    async def aclose(self) -> None:
        for provider in self.providers:
            await provider.aclose()
        if self._http is not None:
            await self._http.close()


DELIVERY_LOG = core_table(DeliveryLog)


def _log_line(done: Settled[EmailQueue]) -> dict[str, Any]:
    return delivery_log(
        done.row,
        status="retrying" if done.status == QueueStatus.QUEUED else done.status,
        provider=done.outcome.provider,
        provider_message_id=done.outcome.provider_message_id,
        detail=done.outcome.error,
    )


def _to_address(row: EmailQueue) -> str:
    return row.to_address


def email_worker(
    *,
    database: Database,
    settings: Settings,
    providers: Sequence[EmailProvider] | None = None,
    worker_id: str | None = None,
    http: aiohttp.ClientSession | None = None,
) -> QueueWorker[EmailQueue, OutgoingEmail]:
    """The worker for the email queue, through `providers` or the configured ones (which
    talk HTTP through `http`, else through a client of the worker's own)."""
    own_http = None
    if providers is None:
        if http is None:
            http = own_http = provider_http(settings)
        providers = build_providers(settings=settings, database=database, http=http)
    sending = EmailSending(settings=settings, database=database, providers=providers, http=own_http)
    return QueueWorker(database=database, sending=sending, worker_id=worker_id)
