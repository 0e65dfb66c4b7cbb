"""SQLite statements run on the event loop's thread; a lock held by another process is
waited for without stalling the loop, and the write then goes through."""

import asyncio
import sqlite3
from pathlib import Path

from sqlalchemy import text

from premier import sqlite_inline
from premier.db import Database


async def test_write_waits_for_another_process_lock_without_blocking_the_loop(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "locked.db"
    path.write_bytes(sqlite_template.read_bytes())
    database = Database(f"sqlite+aiosqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
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
        await database.dispose()


async def test_reads_see_what_another_process_committed(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "shared.db"
    path.write_bytes(sqlite_template.read_bytes())
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with database.reading() as session:  # our read connection is open and warm
            assert await session.scalar(text("SELECT count(*) FROM rooms")) == 0
        other = sqlite3.connect(path, isolation_level=None)
        other.execute(
            "INSERT INTO room_types (code, name, description, capacity, base_rate, currency,"
            " image_urls, amenities, is_active, created_at, updated_at) VALUES ('T', 'Twin',"
            " '', 2, 100, 'KES', '[]', '[]', 1, '2026-01-01', '2026-01-01')"
        )
        other.close()
        async with database.reading() as session:
            assert await session.scalar(text("SELECT count(*) FROM room_types")) == 1
    finally:
        await database.dispose()


async def test_checkpoints_run_off_the_loop_and_bring_the_database_file_up_to_date(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "busy.db"
    path.write_bytes(sqlite_template.read_bytes())
    database = Database(f"sqlite+aiosqlite:///{path}")
    assert database.checkpointer is not None
    try:
        for n in range(sqlite_inline.CHECKPOINT_EVERY_COMMITS):
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
        alone.write_bytes(path.read_bytes())
        copy = sqlite3.connect(alone)
        rows = copy.execute("SELECT count(*) FROM inventory_version WHERE id >= 1000").fetchone()
        copy.close()
        assert rows == (sqlite_inline.CHECKPOINT_EVERY_COMMITS,)
    finally:
        await database.dispose()
