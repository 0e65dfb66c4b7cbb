"""Items that arrive together are written in one transaction and answered after its commit;
one bad item fails only itself; a broken unique constraint the owner handles comes back as
a UniqueViolation naming it."""

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, UniqueConstraint, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier.db import Database
from premier.db.group_commit import GroupCommit, UniqueViolation, returning_each

METADATA = MetaData()
NOTES = Table(
    "notes",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("key", String(16), nullable=False),
    UniqueConstraint("key", name="uq_notes_key"),
)
KEY_UNIQUE = next(c for c in NOTES.constraints if isinstance(c, UniqueConstraint))
INSERT_NOTE = insert(NOTES).returning(NOTES.c.id, NOTES.c.key)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'notes.db'}")
    async with database.write_engine.begin() as connection:
        await connection.run_sync(METADATA.create_all)
    yield database
    await database.dispose()


class Notes:
    """An owner of the queue: writes notes, refuses empty ones, counts its commits."""

    def __init__(self, database: Database) -> None:
        self.commits = 0
        self.queue: GroupCommit[str, int] = GroupCommit(
            database, self.write, commit=self.commit, unique=[KEY_UNIQUE]
        )

    async def write(self, session: AsyncSession, keys: Sequence[str]) -> list[int | Exception]:
        connection = await session.connection()
        kept = [key for key in keys if key]
        rows = await returning_each(connection, INSERT_NOTE, [{"key": key} for key in kept])
        ids = {row["key"]: row["id"] for row in rows}
        return [ids[key] if key else ValueError("an empty note") for key in keys]

    async def commit(self, session: AsyncSession) -> None:
        await session.commit()
        self.commits += 1


async def _stored(database: Database) -> list[str]:
    async with database.reading() as session:
        return list(await session.scalars(select(NOTES.c.key).order_by(NOTES.c.id)))


async def test_items_waiting_together_share_one_commit(database: Database) -> None:
    notes = Notes(database)
    first = await notes.queue.submit("first")
    together = await asyncio.gather(*(notes.queue.submit(f"note{i}") for i in range(5)))
    assert notes.commits == 2, "the first alone, then the five that waited for it"
    assert sorted(together) == list(range(first + 1, first + 6))
    assert await _stored(database) == ["first", *(f"note{i}" for i in range(5))]


async def test_a_refused_item_fails_alone_and_shares_the_commit(database: Database) -> None:
    notes = Notes(database)
    kept, refused = await asyncio.gather(
        notes.queue.submit("kept"), notes.queue.submit(""), return_exceptions=True
    )
    assert isinstance(kept, int) and isinstance(refused, ValueError)
    assert notes.commits == 1
    assert await _stored(database) == ["kept"]


async def test_a_broken_unique_constraint_comes_back_named(database: Database) -> None:
    notes = Notes(database)
    await notes.queue.submit("taken")
    clash, fresh = await asyncio.gather(notes.queue.submit("taken"), notes.queue.submit("fresh"))
    assert isinstance(clash, UniqueViolation) and clash.constraint == "uq_notes_key"
    assert isinstance(clash.error, IntegrityError)
    assert isinstance(fresh, int), "the group failed, then each item was written alone"
    assert await _stored(database) == ["taken", "fresh"]
