"""The background workers, inside the API process (`make run`) or in a process of their own
(`premier worker`): the event fan-out, one queue worker per delivery channel, the
expiry of unconfirmed bookings, the deletion of uploads nothing uses, announcements as they
fall due and the reconciliation of payments whose provider never answered."""

import asyncio
from typing import Any

from premier.announcements.scheduler import AnnouncementScheduler
from premier.bookings.expiry import BookingExpiry
from premier.config import Settings
from premier.db import Database
from premier.delivery.http import provider_session
from premier.delivery.worker import QueueConfig, QueueWorker
from premier.email.sending import email_worker
from premier.events.dispatcher import EventDispatcher
from premier.payments.reconcile import Reconciler
from premier.payments.runtime import Payments
from premier.push.sending import push_worker
from premier.sms.sending import sms_worker
from premier.storage.factory import build_storage
from premier.uploads.cleanup import OrphanCleanup


class BackgroundWorkers:
    def __init__(
        self,
        *,
        database: Database,
        settings: Settings,
        dispatcher: EventDispatcher,
        payments: Payments | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self._stop = asyncio.Event()
        # One session and its connection pool for every channel's providers, with a
        # connection for each concurrent send of each channel (SMS and push send at the
        # queue's default concurrency). Each provider bounds its own requests with its own timeout.
        self._http = provider_session(
            connections=settings.email_send_concurrency + 2 * QueueConfig().concurrency
        )
        self._queues: list[QueueWorker[Any, Any]] = [
            email_worker(database=database, settings=settings, http=self._http),
            sms_worker(database=database, settings=settings, http=self._http),
            push_worker(database=database, settings=settings, http=self._http),
        ]
        self.booking_expiry = BookingExpiry(database=database, settings=settings)
        self._storage = build_storage(settings)
        self.orphan_uploads = OrphanCleanup(
            database=database, storage=self._storage, settings=settings.storage
        )
        # Payments whose webhook or callback never came are asked about at their provider.
        self.reconciler = (
            Reconciler(database=database, providers=payments.providers, settings=settings.payments)
            if payments is not None
            else None
        )
        self.announcements = AnnouncementScheduler(database=database, settings=settings)
        self._tasks = [
            *(
                asyncio.create_task(queue.run(self._stop), name=f"{queue.sending.name}-worker")
                for queue in self._queues
            ),
            asyncio.create_task(dispatcher.run(self._stop), name="event-dispatcher"),
            asyncio.create_task(self.booking_expiry.run(self._stop), name="booking-expiry"),
            asyncio.create_task(self.orphan_uploads.run(self._stop), name="orphan-uploads"),
            asyncio.create_task(self.announcements.run(self._stop), name="announcements"),
        ]
        if self.reconciler is not None:
            self._tasks.append(
                asyncio.create_task(self.reconciler.run(self._stop), name="payment-reconciler")
            )

    async def stop(self) -> None:
        """Let each worker finish what it holds, then close their connections."""
        self._stop.set()
        await asyncio.gather(*self._tasks)
        for queue in self._queues:
            await queue.aclose()
        await self._http.close()
        await self._storage.aclose()
