"""SQLite driven from the event loop's own thread.

aiosqlite hands every statement to a helper thread and back: two thread switches and a
GIL hand-off per statement, which cost more than the statement itself when the pages are
cached (a primary-key read takes microseconds). Here the statement runs at once, on the
loop's thread, behind the same interface SQLAlchemy's aiosqlite dialect drives.

The one wait SQLite can impose is a lock held by another process; `busy_timeout` would
block the whole loop for it, so it is zero and a busy database is retried with an awaited
back-off instead, until the deadline a `busy_timeout` would have given. The one slow thing
it does is a checkpoint (copying the write-ahead log into the database, with fsyncs), which
SQLite would run inside some COMMIT: here a helper thread runs it instead.
"""

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

BUSY_DEADLINE_SECONDS = 10.0
CHECKPOINT_EVERY_COMMITS = 500
FIRST_BACKOFF_SECONDS = 0.0005
LONGEST_BACKOFF_SECONDS = 0.05


def _is_busy(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", None) in (
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    ) or "database is locked" in str(error)


async def _retry_while_busy(run: Callable[[], Any]) -> Any:
    """Run `run`; while another process holds the lock, wait without blocking the loop."""
    deadline = time.monotonic() + BUSY_DEADLINE_SECONDS
    backoff = FIRST_BACKOFF_SECONDS
    while True:
        try:
            return run()
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or time.monotonic() >= deadline:
                raise
        # Another process holds SQLite's lock and SQLite offers nothing to await.
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, LONGEST_BACKOFF_SECONDS)


class InlineCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> "InlineCursor":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> "InlineCursor":
        await _retry_while_busy(lambda: self._cursor.execute(sql, parameters))
        return self

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> "InlineCursor":
        batch = list(rows)
        await _retry_while_busy(lambda: self._cursor.executemany(sql, batch))
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class Checkpointer:
    """Checkpoints one database file on a helper thread every so many commits."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.commits = 0
        self.checkpoints = 0
        self._running: asyncio.Future[None] | None = None

    def committed(self) -> None:
        self.commits += 1
        if self.path == ":memory:" or self.commits % CHECKPOINT_EVERY_COMMITS:
            return
        if self._running is None or self._running.done():
            self._running = asyncio.get_running_loop().run_in_executor(None, self._checkpoint)

    def _checkpoint(self) -> None:
        connection = sqlite3.connect(self.path, uri=self.path.startswith("file:"))
        try:
            # PASSIVE: copies what it can without waiting for readers or the writer.
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            self.checkpoints += 1
        finally:
            connection.close()

    async def wait(self) -> None:
        if self._running is not None:
            await self._running


class InlineConnection:
    """The slice of aiosqlite's Connection that SQLAlchemy's aiosqlite dialect uses."""

    def __init__(self, connection: sqlite3.Connection, checkpointer: Checkpointer) -> None:
        self._conn = connection
        self._checkpointer = checkpointer
        self._changes = connection.total_changes
        # SQLAlchemy checks it to tell an open connection from a closed one.
        self._connection: sqlite3.Connection | None = connection

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        await _retry_while_busy(self._conn.commit)
        if self._conn.total_changes != self._changes:  # a transaction that wrote
            self._changes = self._conn.total_changes
            self._checkpointer.committed()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kw: Any) -> None:
        self._conn.create_function(*args, **kw)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        self._connection = None
        self._conn.close()


def creator(path: str, checkpointer: Checkpointer) -> Callable[[], Any]:
    """An `async_creator` for SQLAlchemy: autocommit mode, so SQLAlchemy issues BEGIN."""

    async def connect() -> InlineConnection:
        connection = sqlite3.connect(
            path,
            isolation_level=None,
            check_same_thread=False,
            uri=path.startswith("file:"),
            detect_types=0,
        )
        connection.execute("PRAGMA busy_timeout=0")
        connection.execute("PRAGMA wal_autocheckpoint=0")  # the Checkpointer's job
        return InlineConnection(connection, checkpointer)

    return connect
