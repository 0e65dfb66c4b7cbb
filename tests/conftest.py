"""Shared fixtures: a migrated database per test (SQLite, and PostgreSQL when configured),
the app with its lifespan running, and an HTTP client speaking to it in-process."""

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from premier.app import create_app
from premier.config import Settings, async_database_url
from premier.db import Base, Database
from premier.migrations import migrate

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
BACKENDS = ["sqlite", "postgresql"]


def _postgres_server_url() -> str | None:
    url = os.environ.get("PREMIER_TEST_DATABASE_URL")
    return async_database_url(url) if url else None


async def _run_migrations(url: str) -> None:
    database = Database(url)
    try:
        await migrate(database.write_engine)
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for every test (much faster than migrating each)."""
    path = tmp_path_factory.mktemp("template") / "premier.db"
    asyncio.run(_run_migrations(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A private database on the configured server, so parallel runs never collide."""
    server = _postgres_server_url()
    if server is None:
        pytest.skip("PostgreSQL tests need PREMIER_TEST_DATABASE_URL")
    name = f"premier_test_{uuid.uuid4().hex[:10]}"
    admin_url = make_url(server)

    async def _admin(sql: str) -> None:
        engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(text(sql))
        await engine.dispose()

    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    asyncio.run(_run_migrations(url))
    yield url
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _truncate_postgres(url: str) -> None:
    engine = create_async_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "premier.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    asyncio.run(_truncate_postgres(url))
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        secret_key=TEST_SECRET,
        seed_demo_data=False,
        run_workers_in_process=False,
        static_dir=tmp_path / "no-static",
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Any]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """Requests and responses wait for the event fan-out of what came before them (what
    `premier worker` or the in-process dispatcher does moments later), so tests read the
    notifications of a change at once, whether the API or a test helper made it."""

    async def fan_out(_: httpx.Request | httpx.Response) -> None:
        await app.state.dispatcher.drain()

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://hotel.test",
        event_hooks={"request": [fan_out], "response": [fan_out]},
    ) as http:
        yield http


@pytest.fixture
def database(app: Any) -> Database:
    db: Database = app.state.database
    return db
