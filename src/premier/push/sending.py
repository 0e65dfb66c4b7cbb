"""The push queue as the queue worker sees it: one provider (whichever push service the
subscription's endpoint names, spoken to the same way, with a breaker per service),
retried with the push back-off on 429 and 5xx, and a subscription the push service calls
gone (404/410) forgotten in the transaction that settles its row."""

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientSession
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.db import Database
from premier.delivery.breaker import Failover
from premier.delivery.errors import TransientFailure
from premier.delivery.queue import Backoff, Outcome, QueueStatus
from premier.delivery.worker import Provider, QueueConfig, QueueWorker, Settled
from premier.kit.time import utcnow
from premier.push import service
from premier.push.encryption import Keys
from premier.push.models import PushQueue, PushSubscription
from premier.push.vapid import vapid_of
from premier.push.webpush import EXPIRED, OutboundPush, WebPushProvider

UNSUBSCRIBED = "the device unsubscribed before the message went out"


class Unconfigured:
    """Where push has no VAPID key: every row waits (a transient failure) for one."""

    name = "webpush"

    async def send(self, message: OutboundPush) -> Any:
        raise TransientFailure(self.name, "web push is not configured (no VAPID key)")


class PushSending:
    name = "push"
    model = PushQueue
    given_up: Mapping[str, Any] = {}

    def __init__(self, *, settings: Settings, database: Database, http: ClientSession) -> None:
        self.settings = settings
        self.database = database
        vapid = vapid_of(settings)
        provider: Provider[OutboundPush] = (
            WebPushProvider(vapid=vapid, http=http, timeout_seconds=settings.push_timeout_seconds)
            if vapid is not None
            else Unconfigured()
        )
        self.config = QueueConfig(
            backoff=Backoff(settings.push_retry_base_seconds, settings.push_retry_max_seconds)
        )
        self._provider = provider
        self._routes: dict[str, Failover[Provider[OutboundPush]]] = {}

    def route(self, row: PushQueue) -> Failover[Provider[OutboundPush]]:
        """One breaker per push service (the endpoint's origin): browsers' services fail
        independently, and one being down must not hold back the others' messages."""
        origin = urlsplit(row.endpoint).netloc
        if origin not in self._routes:
            self._routes[origin] = Failover(
                providers=[(self._provider.name, self._provider)],
                threshold=self.settings.breaker_failure_threshold,
                open_seconds=self.settings.breaker_open_seconds,
            )
        return self._routes[origin]

    def message(self, row: PushQueue) -> OutboundPush:
        return OutboundPush(
            endpoint=row.endpoint,
            keys=Keys(p256dh=row.p256dh, auth=row.auth),
            payload=row.payload,
            ttl_seconds=row.ttl_seconds,
            urgency=row.urgency,
            topic=_topic(row),
        )

    async def held_back(self, rows: Sequence[PushQueue]) -> dict[int, str]:
        return {row.id: UNSUBSCRIBED for row in rows if row.subscription_id is None}

    def columns(self, outcome: Outcome, status: str) -> Mapping[str, Any]:
        return {}

    async def record(self, session: AsyncSession, settled: Sequence[Settled[PushQueue]]) -> None:
        gone = {
            done.row.subscription_id
            for done in settled
            if done.outcome.error_code == EXPIRED and done.row.subscription_id is not None
        }
        await service.forget_expired(session=session, subscription_ids=gone)
        sent = sorted(
            {
                done.row.subscription_id
                for done in settled
                if done.status == QueueStatus.SENT and done.row.subscription_id is not None
            }
            - gone
        )
        if sent:
            await session.execute(
                update(PushSubscription)
                .where(PushSubscription.id.in_(sent))
                .values(last_sent_at=utcnow())
            )

    async def when_idle(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


def _topic(row: PushQueue) -> str | None:
    """A later push of the same notification replaces one the device has not fetched yet
    (RFC 8030 §5.4: up to 32 base64url characters)."""
    return f"n{row.notification_id}" if row.notification_id else None


def push_worker(
    *, database: Database, settings: Settings, http: ClientSession, worker_id: str | None = None
) -> QueueWorker[PushQueue, OutboundPush]:
    """The worker for the push queue."""
    sending = PushSending(settings=settings, database=database, http=http)
    return QueueWorker(database=database, sending=sending, worker_id=worker_id)
