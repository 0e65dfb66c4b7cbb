"""The background workers, inside the API process (`make run`) or in a process of their own
(`premier worker`): the event fan-out, email delivery, SMS delivery and the expiry of
unconfirmed bookings."""

import asyncio

from premier.bookings.expiry import BookingExpiry
from premier.config import Settings
from premier.db import Database
from premier.email.worker import EmailWorker
from premier.events.dispatcher import EventDispatcher
from premier.sms import runtime as sms_runtime


class BackgroundWorkers:
    def __init__(
        self, *, database: Database, settings: Settings, dispatcher: EventDispatcher
    ) -> None:
        self.dispatcher = dispatcher
        self._stop = asyncio.Event()
        self._email = EmailWorker(database=database, settings=settings)
        self._sms = sms_runtime.start(database, settings)
        self.booking_expiry = BookingExpiry(database=database, settings=settings)
        self._tasks = [
            asyncio.create_task(self._email.run(self._stop), name="email-worker"),
            asyncio.create_task(dispatcher.run(self._stop), name="event-dispatcher"),
            asyncio.create_task(self.booking_expiry.run(self._stop), name="booking-expiry"),
        ]

    async def stop(self) -> None:
        """Let each worker finish what it holds, then close their connections."""
        self._stop.set()
        await self._sms.stop()
        await asyncio.gather(*self._tasks)
        await self._email.aclose()
