"""Uploads nobody attached are deleted a day after they were made (`orphan_hours`).

An upload is made before the thing that uses it is saved (a photo picked before the room
type's form is submitted), so an unused one is normal for a while; after the orphan age
it is one the form never used. Runs in the background workers (premier.worker.runtime), in
batches, each batch's rows deleted and committed before their objects, so a crash leaves
at worst an object without a row, never a row without its object. Every worker process
may run it: a row already deleted by another deletes nothing.
"""

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta

import structlog

from premier.db import Database
from premier.kit.time import utcnow
from premier.storage.protocol import Storage
from premier.storage.settings import StorageSettings
from premier.uploads import service

log = structlog.get_logger(__name__)
BATCH = 100


class OrphanCleanup:
    def __init__(
        self,
        *,
        database: Database,
        storage: Storage,
        settings: StorageSettings,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.database = database
        self.storage = storage
        self.age = timedelta(hours=settings.orphan_hours)
        self.interval = settings.cleanup_interval_seconds
        self.clock = clock

    async def delete_due(self) -> int:
        """Delete every orphan older than the orphan age; returns how many."""
        deleted = 0
        made_before = self.clock() - self.age
        while True:
            async with self.database.writing() as session:
                batch = await service.orphans(session, made_before=made_before, limit=BATCH)
                await service.purge(session=session, storage=self.storage, uploads=batch)
            deleted += len(batch)
            if len(batch) < BATCH:
                break
        if deleted:
            log.info("orphan_uploads_deleted", count=deleted)
        return deleted

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.delete_due()
            except Exception:
                log.exception("orphan_upload_cleanup_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.interval)
