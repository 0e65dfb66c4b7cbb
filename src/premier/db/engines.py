"""Database engines and sessions.

SQLite allows one writer at a time, and two pooled connections racing for its write lock
spend most of their time waiting. So on SQLite writes are funnelled through one connection
that opens its transactions with BEGIN IMMEDIATE (a read-then-write transaction can never
lose the lock half-way), while reads use a pool. On PostgreSQL both are the same pool.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from premier.db import sqlite
from premier.db.pool import FairAsyncPool


def _configure_sqlite(engine: AsyncEngine, *, immediate: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The connection is in autocommit mode (see premier.db.sqlite), so SQLAlchemy emits
        # BEGIN itself and we choose its kind.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


PG_POOL_SIZE = 24
PG_OVERFLOW = 16


class Database:
    """Owns the engines; `reading()` and `writing()` hand out sessions."""

    def __init__(self, url: str, *, session_info: dict[str, Any] | None = None) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.checkpointer: sqlite.Checkpointer | None = None
        if self.is_sqlite:
            path = self._ensure_sqlite_folder(url)
            self.checkpointer = sqlite.Checkpointer(path)
            self.read_engine = create_async_engine(
                url, poolclass=FairAsyncPool, pool_size=64, max_overflow=64,
                async_creator=sqlite.creator(path, self.checkpointer),
            )  # fmt: skip
            self.write_engine = create_async_engine(
                url, poolclass=FairAsyncPool, pool_size=1, max_overflow=0,
                pool_timeout=60, async_creator=sqlite.creator(path, self.checkpointer),
            )  # fmt: skip
            _configure_sqlite(self.read_engine, immediate=False)
            _configure_sqlite(self.write_engine, immediate=True)
        else:
            # Connections the pool keeps open. A connection past these is opened for one
            # checkout and closed after it: a new server process, every statement prepared
            # again. The email worker alone holds 16 at once when it writes to the local
            # outbox, so 10 made the worker open and close a connection several times a
            # batch, costing more than the work it did. Last in, first out: the connections
            # in use stay the same few, whose server processes and prepared statements are
            # warm, rather than turns of all of them.
            self.read_engine = create_async_engine(
                url,
                poolclass=FairAsyncPool,
                pool_size=PG_POOL_SIZE,
                max_overflow=PG_OVERFLOW,
                pool_use_lifo=True,
            )
            self.write_engine = self.read_engine
        info = session_info or {}
        self._read_sessions = async_sessionmaker(
            self.read_engine, expire_on_commit=False, info=info
        )
        self._write_sessions = async_sessionmaker(
            self.write_engine, expire_on_commit=False, info=info
        )

    @staticmethod
    def _ensure_sqlite_folder(url: str) -> str:
        database = make_url(url).database or ":memory:"
        if database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        return database

    @property
    def dialect(self) -> str:
        return "sqlite" if self.is_sqlite else "postgresql"

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        async with self._read_sessions() as session:
            yield session

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A session for a unit of work; the service commits, anything else rolls back."""
        async with self._write_sessions() as session:
            yield session

    async def dispose(self) -> None:
        if self.checkpointer is not None:
            await self.checkpointer.wait()
        await self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            await self.write_engine.dispose()
