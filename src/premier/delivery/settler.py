"""Settling for the queue worker: outcomes are written as they arrive, and all that
arrive while a write is under way go together in the next one, so a fast provider costs a
commit per group of answers, not per message."""

import asyncio
from collections.abc import Awaitable, Callable

import structlog

from premier.delivery.queue import Outcome

log = structlog.get_logger(__name__)


class GroupSettler:
    """Writes outcomes as they arrive: all that came in while the writers were busy go in
    the next write. Up to `writers` writes run at once (on PostgreSQL, where one waits
    mostly for its commit to reach the disk; SQLite has one writer anyway)."""

    def __init__(self, write: Callable[[list[Outcome]], Awaitable[None]], *, writers: int) -> None:
        self._write = write
        self._pending: list[tuple[Outcome, asyncio.Future[None] | None]] = []
        self._arrived = asyncio.Event()
        self._closing = False
        self._writing: set[asyncio.Task[None]] = set()
        self._writers = asyncio.Semaphore(writers)
        self._task = asyncio.create_task(self._loop())

    def put(self, outcome: Outcome) -> None:
        """Write this outcome with the next group; nobody waits for it."""
        self._pending.append((outcome, None))
        self._arrived.set()

    async def write(self, outcome: Outcome) -> None:
        """Write this outcome with the next group; returns once it is committed."""
        done = asyncio.get_running_loop().create_future()
        self._pending.append((outcome, done))
        self._arrived.set()
        await done

    async def _loop(self) -> None:
        while True:
            await self._arrived.wait()
            await self._writers.acquire()
            self._arrived.clear()
            group, self._pending = self._pending, []
            if group:
                task = asyncio.create_task(self._write_group(group))
                self._writing.add(task)
                task.add_done_callback(self._writing.discard)
            else:
                self._writers.release()
            if self._closing and not self._pending:
                if self._writing:
                    await asyncio.wait(set(self._writing))
                if not self._pending:
                    return

    async def _write_group(self, group: list[tuple[Outcome, asyncio.Future[None] | None]]) -> None:
        try:
            await self._write([outcome for outcome, _ in group])
        except Exception as exc:
            # Unrecorded, these rows are sent again when their leases run out.
            log.exception("queue_settle_failed", rows=len(group))
            for _, done in group:
                if done is not None and not done.done():
                    done.set_exception(exc)
            return
        finally:
            self._writers.release()
        for _, done in group:
            if done is not None and not done.done():
                done.set_result(None)

    async def close(self) -> None:
        """Wait until every outcome put so far is written."""
        self._closing = True
        self._arrived.set()
        await self._task
