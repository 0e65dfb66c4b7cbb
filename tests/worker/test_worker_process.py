"""`premier worker` as deployed beside the API: a process of its own that fans out the
events the API committed, and stops cleanly when told to."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from premier import events
from premier.config import Settings
from premier.db import Database
from premier.events.models import OutboxEvent, QueueStatus
from premier.notifications.models import Notification
from premier.wiring import hotel_bus
from tests.helpers import commit_events, make_user

PREMIER = Path(sys.executable).parent / "premier"


async def commit_booking_event(database_url: str, settings: Settings) -> int:
    """As the API does: the event goes to the outbox in the booking's transaction."""
    database = Database(database_url, session_info=events.carrying(hotel_bus(settings)))
    try:
        guest = await make_user(database)
        await commit_events(database, events.BookingCreated(
            booking_id=41, reference="PH-WRKR41", guest_id=guest, room_id=1,
            room_number="101", room_type_id=1, check_in=date(2027, 3, 1),
            check_out=date(2027, 3, 3), status="pending",
        ))  # fmt: skip
        return guest
    finally:
        await database.dispose()


async def fanned_out(database_url: str) -> tuple[list[str], list[QueueStatus]]:
    database = Database(database_url)
    try:
        async with database.reading() as session:
            titles = list(await session.scalars(select(Notification.title)))
            statuses = list(await session.scalars(select(OutboxEvent.status)))
            return titles, statuses
    finally:
        await database.dispose()


def test_a_worker_process_fans_out_what_the_api_committed(
    database_url: str, settings: Settings
) -> None:
    asyncio.run(commit_booking_event(database_url, settings))
    env = {**os.environ, "PREMIER_DATABASE_URL": database_url, "PREMIER_ENVIRONMENT": "test",
           "PREMIER_SECRET_KEY": settings.secret_key}  # fmt: skip
    env.pop("PREMIER_REDIS_URL", None)
    worker = subprocess.Popen(
        [str(PREMIER), "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        titles: list[str] = []
        while time.monotonic() < deadline and worker.poll() is None:
            titles, statuses = asyncio.run(fanned_out(database_url))
            if titles:
                break
            time.sleep(0.1)  # another process's progress cannot be awaited
        assert titles == ["We received your booking PH-WRKR41"], worker.stdout
        assert statuses == [QueueStatus.DISPATCHED]
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "no Redis configured" in output
