"""Unconfirmed bookings give their rooms back: a booking nobody confirms within the hold
(`booking_hold_hours`) is cancelled by the background workers, so rooms are not held
forever by bookings that will never be paid for or confirmed.

Runs beside the event fan-out in `premier worker` or in the API process; every worker
process may run it, since each cancellation re-reads its booking under a lock.
"""

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta

import structlog

from premier.bookings import service
from premier.config import Settings
from premier.db import Database
from premier.kit.time import utcnow

log = structlog.get_logger(__name__)


class BookingExpiry:
    def __init__(
        self, *, database: Database, settings: Settings, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.database = database
        self.hold = timedelta(hours=settings.booking_hold_hours)
        self.interval = settings.booking_expiry_interval_seconds
        self.clock = clock

    async def expire_due(self) -> int:
        """Cancel what is due now; returns how many bookings were cancelled."""
        expired = await service.expire_unconfirmed(
            database=self.database, now=self.clock(), hold=self.hold
        )
        if expired:
            log.info("unconfirmed_bookings_expired", count=expired)
        return expired

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.expire_due()
            except Exception:
                log.exception("booking_expiry_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.interval)
