"""Drain queued SMS through the worker into the fake Twilio, beside a bare httpx loop
posting the same messages to the same fake (the raw limit of our HTTP client), and print
the ratio.

    .venv/bin/python bench/sms_drain.py [--messages 2000] [--backends sqlite,postgresql]

The fake runs in its own process pinned to core 1; queueing and draining run on core 0.
Writes bench/results/sms_drain.json.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN  # noqa: E402
from tests.live_server import free_port  # noqa: E402

from premier.config import Settings, async_database_url  # noqa: E402
from premier.db import Database  # noqa: E402
from premier.migrations import migrate  # noqa: E402
from premier.sms.sender import SmsSender  # noqa: E402
from premier.sms.service import queue_sms  # noqa: E402
from premier.sms.settings import SmsSettings  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "sms_drain.json"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
CONCURRENCY = 16
FAKE = """
import uvicorn
from tests.fakes.twilio import FakeTwilio
uvicorn.run(FakeTwilio().app(), host="127.0.0.1", port={port}, log_level="warning",
            loop="uvloop", http="httptools")
"""


def start_fake() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        ["taskset", "-c", "1", sys.executable, "-c", FAKE.format(port=port)], cwd=ROOT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=0.5)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("fake Twilio did not start")


def settings_for(url: str, fake_url: str) -> Settings:
    return Settings(
        environment="test",
        database_url=url,
        seed_demo_data=False,
        run_workers_in_process=False,
        secret_key="bench-secret-key-that-is-long-enough-0123456789",
        sms=SmsSettings(
            providers=["twilio"],
            twilio_base_url=fake_url,
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
            twilio_from_number="+15005550006",
            recipient_per_hour=10_000,
        ),
    )


def numbers(count: int) -> list[str]:
    return [f"+2547{10_000_000 + i:08d}" for i in range(count)]


async def queue_all(database: Database, settings: Settings, count: int) -> float:
    start = time.perf_counter()
    batch = 200
    phones = numbers(count)
    for offset in range(0, count, batch):
        async with database.writing() as session:
            for i, phone in enumerate(phones[offset : offset + batch], offset):
                await queue_sms(
                    session=session,
                    settings=settings,
                    to=phone,
                    category="orders",
                    body=f"Order {i} is ready for pickup at the restaurant. Karibu!",
                )
            await session.commit()
    return count / (time.perf_counter() - start)


async def drain(database: Database, settings: Settings) -> tuple[int, float]:
    async with httpx.AsyncClient(
        timeout=10, limits=httpx.Limits(max_connections=CONCURRENCY)
    ) as http:
        sender = SmsSender.from_settings(settings, http)
        sender.batch_size, sender.concurrency = 200, CONCURRENCY
        start = time.perf_counter()
        sent = await sender.drain(database)
        return sent, sent / (time.perf_counter() - start)


async def raw_loop(fake_url: str, count: int) -> float:
    """The same requests from a bare httpx client at the same concurrency, no database."""
    url = f"{fake_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    auth = httpx.BasicAuth(ACCOUNT_SID, AUTH_TOKEN)
    gate = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(
        timeout=10, limits=httpx.Limits(max_connections=CONCURRENCY)
    ) as http:

        async def one(i: int, phone: str) -> None:
            async with gate:
                form = {"To": phone, "From": "+15005550006", "Body": f"Order {i} is ready"}
                response = await http.post(url, data=form, auth=auth)
                assert response.status_code == 201, response.text

        start = time.perf_counter()
        await asyncio.gather(*(one(i, p) for i, p in enumerate(numbers(count))))
        return count / (time.perf_counter() - start)


async def fresh_postgres() -> tuple[str, Any]:
    server = make_url(async_database_url(os.environ.get("PREMIER_TEST_DATABASE_URL", PG_DEFAULT)))
    name = f"premier_bench_{os.getpid()}"
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        await connection.execute(text(f'CREATE DATABASE "{name}"'))

    async def drop() -> None:
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await engine.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


async def run_backend(backend: str, fake_url: str, count: int) -> dict[str, Any]:
    cleanup = None
    folder = tempfile.TemporaryDirectory()
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{folder.name}/bench.db"
    else:
        url, cleanup = await fresh_postgres()
    database = Database(url)
    try:
        await migrate(database.write_engine)
        settings = settings_for(url, fake_url)
        queued_rate = await queue_all(database, settings, count)
        sent, drain_rate = await drain(database, settings)
        assert sent == count, (sent, count)
        raw = await raw_loop(fake_url, count)
    finally:
        await database.dispose()
        if cleanup:
            await cleanup()
        folder.cleanup()
    return {
        "backend": backend,
        "messages": count,
        "queued_per_s": round(queued_rate),
        "drained_per_s": round(drain_rate),
        "raw_client_per_s": round(raw),
        "ratio": round(drain_rate / raw, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})
    fake, fake_url = start_fake()
    results = []
    try:
        for backend in args.backends.split(","):
            try:
                results.append(asyncio.run(run_backend(backend, fake_url, args.messages)))
            except OSError as exc:
                print(f"{backend}: skipped ({exc})")
    finally:
        fake.terminate()
        fake.wait(timeout=10)
    header = (
        f"{'backend':<11}{'messages':>9}{'queued/s':>10}{'drained/s':>11}{'raw/s':>8}{'ratio':>7}"
    )
    print(header)
    for r in results:
        print(
            f"{r['backend']:<11}{r['messages']:>9}{r['queued_per_s']:>10}"
            f"{r['drained_per_s']:>11}{r['raw_client_per_s']:>8}{r['ratio']:>7}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"concurrency": CONCURRENCY, "results": results}, indent=2))


if __name__ == "__main__":
    main()
