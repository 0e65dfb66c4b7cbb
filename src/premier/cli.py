"""`premier` command line: serve, worker, migrate, seed."""

import asyncio

import typer
import uvicorn

from premier.config import get_settings
from premier.db import Database
from premier.migrations import migrate as run_migrations

app = typer.Typer(help="Premier Hotel platform", no_args_is_help=True)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="interface to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    workers: int = typer.Option(1, help="uvicorn worker processes"),
) -> None:
    """Run the API, the web UI and (unless disabled) the in-process workers."""
    uvicorn.run(
        "premier.main:app", host=host, port=port, workers=workers, loop="uvloop",
        http="httptools", proxy_headers=True, log_level="info",
    )  # fmt: skip


@app.command()
def worker() -> None:
    """Run the workers (event fan-out, email, SMS, expiry of unconfirmed bookings) until
    interrupted; run several for throughput. With Redis configured, the notifications they
    create reach browsers live."""
    import signal

    from premier.app import freeze_long_lived_objects
    from premier.events import BUS_KEY
    from premier.events.dispatcher import EventDispatcher
    from premier.events.subscriptions import hotel_bus
    from premier.realtime.setup import start_realtime, stop_realtime
    from premier.worker.runtime import BackgroundWorkers

    async def _run() -> None:
        settings = get_settings()
        bus = hotel_bus(settings)
        database = Database(settings.database_url, session_info={BUS_KEY: bus})
        await run_migrations(database.write_engine)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        # Without Redis the live feed belongs to the API process alone (see realtime).
        hub = None
        if settings.redis_url:
            hub = await start_realtime(settings=settings, database=database, bus=bus)
        else:
            typer.echo(
                "no Redis configured: browsers see the notifications this worker creates "
                "when they next load them, not live"
            )
        dispatcher = EventDispatcher(database=database, bus=bus)
        workers = BackgroundWorkers(database=database, settings=settings, dispatcher=dispatcher)
        freeze_long_lived_objects()  # as the API does; halves the fan-out's cost per event
        try:
            await stop.wait()
        finally:
            await workers.stop()
            if hub is not None:
                await stop_realtime(hub)
            await database.dispose()

    asyncio.run(_run())


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""

    async def _run() -> None:
        database = Database(get_settings().database_url)
        try:
            await run_migrations(database.write_engine)
        finally:
            await database.dispose()

    asyncio.run(_run())
    typer.echo("database is up to date")


@app.command()
def seed(demo: bool = typer.Option(False, "--demo", help="re-create the demo hotel")) -> None:
    """Re-create the demo data (wipes existing rows)."""
    if not demo:
        raise typer.BadParameter("only --demo is supported")
    from premier.seed import seed_demo

    async def _run() -> None:
        settings = get_settings()
        database = Database(settings.database_url)
        try:
            await run_migrations(database.write_engine)
            await seed_demo(database=database, settings=settings, reset=True)
        finally:
            await database.dispose()

    asyncio.run(_run())
    typer.echo("demo data created; every demo account uses the password premier-demo")


@app.command()
def revision(message: str = typer.Option(..., "-m", help="what the migration changes")) -> None:
    """Autogenerate a migration from the models (developer tool)."""
    import tempfile
    from pathlib import Path

    from alembic import command

    from premier.migrations import alembic_config

    async def _run(url: str) -> None:
        database = Database(url)
        try:
            await run_migrations(database.write_engine)

            def _generate(connection: object) -> None:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.revision(config, message=message, autogenerate=True)

            async with database.write_engine.begin() as connection:
                await connection.run_sync(_generate)
        finally:
            await database.dispose()

    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_run(f"sqlite+aiosqlite:///{Path(folder) / 'schema.db'}"))
