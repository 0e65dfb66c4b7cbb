"""`premier` command line: serve, worker, migrate, seed."""

import asyncio
import errno
import os
import socket

import typer
import uvicorn
from pydantic import ValidationError

from premier.config import Settings, explain_invalid_settings
from premier.db import Database
from premier.migrations import migrate as run_migrations

app = typer.Typer(help="Premier Hotel platform", no_args_is_help=True)


def checked_settings(*, environment_unless_set: str | None = None) -> Settings:
    """The settings, or a plain explanation on stderr and exit status 2 when they are unsafe
    or invalid (a traceback would bury the one line that says what to set)."""
    overrides = {}
    if environment_unless_set and "PREMIER_ENVIRONMENT" not in os.environ:
        overrides["environment"] = environment_unless_set
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        typer.echo(explain_invalid_settings(exc), err=True)
        raise typer.Exit(2) from None
    return settings


def port_unavailable(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, or None when it can (bound the way
    uvicorn binds it, so a port in TIME_WAIT does not count as taken)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        return f"unknown host ({exc.strerror})"
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return "the address is already in use (is another server running?)"
            return exc.strerror or str(exc)
    return None


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="interface to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    workers: int = typer.Option(1, help="uvicorn worker processes"),
) -> None:
    """Run the API, the web UI and (unless disabled) the in-process workers."""
    checked_settings()
    # uvicorn binds only after the app's startup (migrations, workers): a port taken by
    # another server would fail after all of that, with a traceback.
    problem = port_unavailable(host, port)
    if problem is not None:
        typer.echo(f"premier: cannot listen on {host}:{port}: {problem}", err=True)
        raise typer.Exit(1)
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

    from premier import events
    from premier.app import freeze_long_lived_objects
    from premier.events.dispatcher import EventDispatcher
    from premier.payments.runtime import start_payments
    from premier.realtime.setup import start_realtime, stop_realtime
    from premier.wiring import hotel_bus
    from premier.worker.runtime import BackgroundWorkers

    settings = checked_settings()

    async def _run() -> None:
        bus = hotel_bus(settings)
        database = Database(settings.database_url, session_info=events.carrying(bus))
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
        payments = start_payments(settings=settings, database=database)
        workers = BackgroundWorkers(
            database=database, settings=settings, dispatcher=dispatcher, payments=payments
        )
        freeze_long_lived_objects()  # as the API does: collections skip what lives as long as we do
        try:
            await stop.wait()
        finally:
            await workers.stop()
            await payments.aclose()
            if hub is not None:
                await stop_realtime(hub)
            await database.dispose()

    asyncio.run(_run())


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    settings = checked_settings()

    async def _run() -> None:
        database = Database(settings.database_url)
        try:
            await run_migrations(database.write_engine)
        finally:
            await database.dispose()

    asyncio.run(_run())
    typer.echo("database is up to date")


@app.command()
def seed(demo: bool = typer.Option(False, "--demo", help="re-create the demo hotel")) -> None:
    """Re-create the demo data (wipes existing rows). A development command: it runs in
    development unless PREMIER_ENVIRONMENT says otherwise, and never in production, where
    accounts with a published password must not exist."""
    if not demo:
        raise typer.BadParameter("only --demo is supported")
    from premier.seed import seed_demo

    settings = checked_settings(environment_unless_set="development")
    if settings.environment == "production":
        typer.echo("premier: demo accounts share a published password: not in production", err=True)
        raise typer.Exit(2)

    async def _run() -> None:
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
