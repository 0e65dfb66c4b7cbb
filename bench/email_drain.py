"""Drain N queued notification emails (rendered from the built-in templates) with 2 workers
into (a) a local aiosmtpd sink and (b) the fake SendGrid, on SQLite and (when
PREMIER_TEST_DATABASE_URL is set) PostgreSQL; beside each, a bare client loop sending the
same pre-rendered messages to the same sink (the raw limit), and the ratio.

The sinks run in their own process pinned to core 0; this process is pinned to core 1.
Run: .venv/bin/python bench/email_drain.py [--n 10000] [--workers 2]
"""

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import aiosmtplib
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from premier.config import Settings, async_database_url
from premier.db import Database
from premier.email.compose import queue_email, unsubscribe_headers, unsubscribe_url
from premier.email.mime import message_bytes
from premier.email.providers.sendgrid import payload
from premier.email.worker import EmailWorker, outgoing
from premier.migrations import migrate
from premier.notifications.models import Channel
from premier.notifications.render import branding, builtin_parts, render_parts, wrap_email_html

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "email_drain.json"
SECRET = "bench-secret-key-that-is-long-enough-0123456789"

SINKS = """
import sys, asyncio, uvicorn
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from tests.fakes.sendgrid import FakeSendGrid
smtp_port, http_port = int(sys.argv[1]), int(sys.argv[2])
controller = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
controller.start()
fake = FakeSendGrid()
uvicorn.run(fake.app(), host="127.0.0.1", port=http_port, log_level="warning",
            loop="uvloop", http="httptools", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not open")


async def fill_queue(database: Database, settings: Settings, n: int) -> float:
    """Render the `general` notification for n recipients and queue it, 500 per commit."""
    hotel = branding(settings)
    parts = builtin_parts("general", Channel.EMAIL, "en")
    assert parts is not None
    start = time.perf_counter()
    for offset in range(0, n, 500):
        async with database.writing() as session:
            for i in range(offset, min(n, offset + 500)):
                address = f"guest{i}@example.com"
                link = unsubscribe_url(settings=settings, address=address, category="general")
                ctx = {
                    "title": f"Note {i}",
                    "message": "The pool reopens at 10:00.",
                    "url": None,
                    "hotel": hotel,
                    "unsubscribe_url": link,
                    "recipient": {"name": f"Guest {i}", "email": address},
                }
                rendered = render_parts(parts, ctx)
                await queue_email(
                    session=session,
                    settings=settings,
                    to_address=address,
                    to_name=f"Guest {i}",
                    subject=rendered.subject,
                    body_text=rendered.text,
                    body_html=wrap_email_html(
                        body_html=rendered.html,
                        subject=rendered.subject,
                        locale="en",
                        hotel=hotel,
                        unsubscribe_url=link,
                    ),
                    category="general",
                    template="general",
                    headers=unsubscribe_headers(link),
                )
            await session.commit()
    return n / (time.perf_counter() - start)


async def drain(database: Database, settings: Settings, workers: int) -> tuple[float, int]:
    pool = [
        EmailWorker(database=database, settings=settings, worker_id=f"bench-{i}")
        for i in range(workers)
    ]
    start = time.perf_counter()
    results = await asyncio.gather(*(w.drain() for w in pool))
    elapsed = time.perf_counter() - start
    for w in pool:
        await w.aclose()
    sent = sum(r.sent for r in results)
    return sent / elapsed, sent


async def raw_smtp(port: int, messages: list[bytes], concurrency: int) -> float:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for m in messages:
        queue.put_nowait(m)

    async def one_connection() -> None:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
        await client.connect()
        while not queue.empty():
            await client.sendmail("hotel@premier.test", ["guest@example.com"], queue.get_nowait())
        await client.quit()

    start = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(concurrency)))
    return len(messages) / (time.perf_counter() - start)


async def raw_http(url: str, bodies: list[dict[str, Any]], concurrency: int) -> float:
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)
    headers = {"Authorization": "Bearer SG.fake-sendgrid-key"}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:

        async def loop() -> None:
            while not queue.empty():
                async with http.post(url, json=queue.get_nowait(), headers=headers) as answer:
                    await answer.read()
                    assert answer.status == 202, answer.status

        start = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(concurrency)))
    return len(bodies) / (time.perf_counter() - start)


async def prepare_postgres(server: str) -> tuple[str, Any]:
    name = f"premier_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(async_database_url(server))

    async def run(sql: str) -> None:
        engine = create_async_engine(admin, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(text(sql))
        await engine.dispose()

    await run(f'CREATE DATABASE "{name}"')
    url = admin.set(database=name).render_as_string(hide_password=False)
    return url, lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def scenario(backend: str, url: str, sink: str, args: Any, ports: dict[str, int]) -> dict:
    settings = Settings(
        environment="test",
        database_url=url,
        secret_key=SECRET,
        seed_demo_data=False,
        email_providers=[sink],
        smtp_port=ports["smtp"],
        smtp_pool_size=16,
        sendgrid_base_url=f"http://127.0.0.1:{ports['http']}",
        sendgrid_api_key="SG.fake-sendgrid-key",
        email_batch_size=200,
        email_send_concurrency=32,
    )
    database = Database(settings.database_url)
    await migrate(database.write_engine)
    queued_rate = await fill_queue(database, settings, args.n)
    drained_rate, sent = await drain(database, settings, args.workers)
    # Raw limit: the same messages, pre-rendered, straight to the sink with no database.
    async with database.reading() as session:
        from sqlalchemy import select

        from premier.email.models import EmailQueue

        rows = list(await session.scalars(select(EmailQueue).limit(args.n)))
    await database.dispose()
    if sink == "smtp":
        raw = await raw_smtp(ports["smtp"], [message_bytes(outgoing(r)) for r in rows], 16)
    else:
        raw = await raw_http(
            f"http://127.0.0.1:{ports['http']}/v3/mail/send",
            [payload(outgoing(r)) for r in rows],
            32,
        )
    return {
        "database": backend,
        "sink": sink,
        "n": args.n,
        "sent": sent,
        "queued_per_s": round(queued_rate),
        "drained_per_s": round(drained_rate),
        "raw_per_s": round(raw),
        "ratio": round(drained_rate / raw, 2),
    }


async def main_async(args: Any) -> list[dict]:
    ports = {"smtp": free_port(), "http": free_port()}
    sinks = subprocess.Popen(
        ["taskset", "-c", "0", sys.executable, "-c", SINKS, str(ports["smtp"]), str(ports["http"])],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    rows = []
    folder = Path(tempfile.mkdtemp(prefix="premier-bench-"))
    try:
        wait_for(ports["smtp"])
        wait_for(ports["http"])
        server = os.environ.get("PREMIER_TEST_DATABASE_URL")
        for sink in ("smtp", "sendgrid"):
            db_file = folder / f"{sink}.db"
            rows.append(
                await scenario("sqlite", f"sqlite+aiosqlite:///{db_file}", sink, args, ports)
            )
            if server:
                url, drop = await prepare_postgres(server)
                try:
                    rows.append(await scenario("postgresql", url, sink, args, ports))
                finally:
                    await drop()
    finally:
        sinks.terminate()
        sinks.wait()
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000, help="emails per scenario")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with contextlib.suppress(OSError):
        os.sched_setaffinity(0, {1})
    rows = asyncio.run(main_async(args))
    header = ("database", "sink", "queued/s", "drained/s", "raw/s", "drained/raw")
    print(
        f"{header[0]:<11}{header[1]:<10}{header[2]:>10}{header[3]:>11}{header[4]:>9}{header[5]:>13}"
    )
    for r in rows:
        print(
            f"{r['database']:<11}{r['sink']:<10}{r['queued_per_s']:>10}{r['drained_per_s']:>11}"
            f"{r['raw_per_s']:>9}{r['ratio']:>13}"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"workers": args.workers, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
