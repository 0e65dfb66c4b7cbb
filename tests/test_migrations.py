"""The migrations are the schema: one head, and nothing in the models they lack."""

import asyncio
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from premier.db import Database
from premier.messaging.search import described_by_the_models
from premier.migrations import alembic_config
from premier.models import Base


def test_migrations_have_a_single_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"several migration heads, merge them: {heads}"


def test_models_match_the_migrated_schema(sqlite_template: Path) -> None:
    def _diff(connection: Any) -> list[Any]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": described_by_the_models}
        )
        return list(compare_metadata(context, Base.metadata))

    async def _run() -> list[Any]:
        database = Database(f"sqlite+aiosqlite:///{sqlite_template}")
        try:
            async with database.read_engine.connect() as connection:
                return await connection.run_sync(_diff)
        finally:
            await database.dispose()

    assert asyncio.run(_run()) == [], "models changed without a migration: premier revision -m"
