"""SQLite statements run on the event loop's thread; a lock held by another process is
waited for without stalling the loop, and checkpoints run on a helper thread."""

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from premier.db import Database, sqlite


@pytest.fixture
def sqlite_path(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "premier.db"
    path.write_bytes(sqlite_template.read_bytes())
    return path


@pytest.fixture
async def database(sqlite_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{sqlite_path}")
    yield database
    await database.dispose()


async def test_write_waits_for_another_process_lock_without_blocking_the_loop(
    sqlite_path: Path, database: Database
) -> None:
    other = sqlite3.connect(sqlite_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:

        async def write() -> None:
            async with database.writing() as session:
                await session.execute(text("UPDATE users SET full_name = 'x' WHERE id = 0"))
                await session.commit()

        writer = asyncio.create_task(write())
        ticks = 0
        for _ in range(20):  # the loop keeps serving other work while the writer waits
            await asyncio.sleep(0)
            ticks += 1
        assert not writer.done()
        other.execute("COMMIT")
        await asyncio.wait_for(writer, timeout=10)
        assert ticks == 20
    finally:
        other.close()


async def test_reads_see_what_another_process_committed(
    sqlite_path: Path, database: Database
) -> None:
    async with database.reading() as session:  # our read connection is open and warm
        assert await session.scalar(text("SELECT count(*) FROM room_types")) == 0
    other = sqlite3.connect(sqlite_path, isolation_level=None)
    other.execute(
        "INSERT INTO room_types (code, name, description, capacity, base_rate, currency,"
        " image_urls, amenities, is_active, created_at, updated_at) VALUES ('T', 'Twin',"
        " '', 2, 100, 'KES', '[]', '[]', 1, '2026-01-01', '2026-01-01')"
    )
    other.close()
    async with database.reading() as session:
        assert await session.scalar(text("SELECT count(*) FROM room_types")) == 1


async def test_checkpoints_run_off_the_loop_and_bring_the_database_file_up_to_date(
    sqlite_path: Path, database: Database, tmp_path: Path
) -> None:
    assert database.checkpointer is not None
    for n in range(sqlite.CHECKPOINT_EVERY_COMMITS):
        async with database.writing() as session:
            await session.execute(
                text("INSERT INTO inventory_version (id, version) VALUES (:id, 0)"),
                {"id": 1000 + n},
            )
            await session.commit()
    await database.checkpointer.wait()
    assert database.checkpointer.checkpoints == 1
    # The main file alone, without its write-ahead log, now holds every row.
    alone = tmp_path / "alone.db"
    alone.write_bytes(sqlite_path.read_bytes())
    copy = sqlite3.connect(alone)
    rows = copy.execute("SELECT count(*) FROM inventory_version WHERE id >= 1000").fetchone()
    copy.close()
    assert rows == (sqlite.CHECKPOINT_EVERY_COMMITS,)
