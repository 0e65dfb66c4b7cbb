"""The worker that sends announcements when they fall due (see `service` for why each is
sent exactly once however many of these run)."""

import asyncio
import contextlib
import os
import socket
from uuid import uuid4

import structlog

from premier.announcements import service
from premier.config import Settings
from premier.db import Database

log = structlog.get_logger(__name__)


class AnnouncementScheduler:
    def __init__(
        self, *, database: Database, settings: Settings, worker_id: str | None = None
    ) -> None:
        self.database = database
        self.settings = settings
        self.worker_id = (
            worker_id or f"announce-{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:6]}"
        )

    async def run_once(self) -> int:
        return await service.send_due(
            database=self.database, settings=self.settings, worker_id=self.worker_id
        )

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("announcements_not_sent")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.settings.announcement_poll_seconds)
