"""Email, end to end: queueing through `notify()`, draining with the queue worker, and a
worker killed mid-drain; on SQLite and PostgreSQL.

a. queueing — `notify()` of an order update to guests with an email address and a phone
   (in-app + email + SMS rows each), one commit per call, 1 and 100 recipients per call.
   A cProfile of each shape goes to bench/results/profiles/.
b. drain — 2 workers (one process) drain the queue through the real adapter into the
   sink: SMTP (aiosmtpd) and the fake SendGrid; beside it a bare client loop sends the
   same pre-built messages to the same sink at the same total concurrency; the ratio is
   drained/raw. The sink's own CPU shows it was not the limit.
c. crash — 2 worker processes drain over SMTP; one is killed with SIGKILL mid-drain, the
   survivor takes over its expired leases. Lost (must be 0) and duplicates reaching the sink
   (must be at most the killed worker's concurrency), counted by Message-ID.

    .venv/bin/python bench/email_drain.py [--users 1500] [--backends sqlite,postgresql]

Writes bench/results/email_drain.json.
"""

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiosmtplib
import httpx
from sqlalchemy import select

from bench.drainkit import (
    RESULTS,
    SECRET,
    Sink,
    add_guests,
    bench_database,
    pin_to,
    print_table,
    profiled,
    queue_by_notify,
    requeue,
    status_counts,
    write_results,
)
from premier.config import Settings
from premier.db import Database
from premier.email.mime import message_bytes
from premier.email.models import EmailQueue
from premier.email.providers import http as provider_http
from premier.email.providers.sendgrid import payload
from premier.email.sending import email_worker

WORKERS = 2
CONCURRENCY = 16  # per worker; the raw loop runs WORKERS * CONCURRENCY at once
API_KEY = "SG.fake-sendgrid-key"
# The raw loop uses the HTTP client library the providers use.
HTTP_CLIENT = "aiohttp" if hasattr(provider_http, "aiohttp") else "httpx"


def settings_for(url: str, sink: Sink, provider: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": url,
        "secret_key": SECRET,
        "seed_demo_data": False,
        "run_workers_in_process": False,
        "email_providers": [provider],
        "smtp_port": sink.smtp_port,
        "smtp_pool_size": CONCURRENCY,
        "sendgrid_base_url": sink.url,
        "sendgrid_api_key": API_KEY,
        "email_batch_size": 100,
        "email_send_concurrency": CONCURRENCY,
        "email_send_rate_per_hour": 100_000,
    }
    return Settings(**(values | overrides))


async def drain_with_workers(database: Database, settings: Settings) -> int:
    workers = [
        email_worker(database=database, settings=settings, worker_id=f"bench-{i}")
        for i in range(WORKERS)
    ]
    try:
        results = await asyncio.gather(*(w.drain() for w in workers))
    finally:
        for worker in workers:
            await worker.aclose()
    return sum(r.sent for r in results)


async def raw_smtp(port: int, messages: list[tuple[str, str, bytes]], concurrency: int) -> int:
    todo = list(reversed(messages))

    async def connection() -> None:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
        await client.connect()
        while todo:
            sender, to, raw = todo.pop()
            await client.sendmail(sender, [to], raw)
        await client.quit()

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return len(messages)


async def raw_http(url: str, bodies: list[dict[str, Any]], concurrency: int) -> int:
    todo = list(reversed(bodies))
    headers = {"Authorization": f"Bearer {API_KEY}"}
    if HTTP_CLIENT == "aiohttp":
        import aiohttp

        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:

            async def loop() -> None:
                while todo:
                    async with http.post(url, json=todo.pop(), headers=headers) as answer:
                        await answer.read()
                        assert answer.status == 202, answer.status

            await asyncio.gather(*(loop() for _ in range(concurrency)))
    else:
        async with httpx.AsyncClient(timeout=10) as client:

            async def loop() -> None:
                while todo:
                    answer = await client.post(url, json=todo.pop(), headers=headers)
                    assert answer.status_code == 202, answer.text

            await asyncio.gather(*(loop() for _ in range(concurrency)))
    return len(bodies)


async def prebuilt(database: Database, settings: Settings, provider: str) -> list[Any]:
    """The messages of the queue as the adapter would send them, built before timing."""
    worker = email_worker(database=database, settings=settings)
    async with database.reading() as session:
        rows = list(await session.scalars(select(EmailQueue).order_by(EmailQueue.id)))
    messages = [worker.sending.message(row) for row in rows]
    await worker.aclose()
    if provider == "smtp":
        return [(m.from_address, m.to_address, message_bytes(m)) for m in messages]
    return [payload(m) for m in messages]


async def drain_scenario(database: Database, url: str, sink: Sink, provider: str) -> dict[str, Any]:
    settings = settings_for(url, sink, provider)
    count = await requeue(database, "email_queue")
    requests = await prebuilt(database, settings, provider)

    async def raw() -> int:
        total = WORKERS * CONCURRENCY
        if provider == "smtp":
            return await raw_smtp(sink.smtp_port, requests, total)
        return await raw_http(f"{sink.url}/v3/mail/send", requests, total)

    sink.reset()
    raw_before = await sink.measure(raw)
    sink.reset()
    drained = await sink.measure(lambda: drain_with_workers(database, settings))
    received = sink.counts()[provider]
    statuses = await status_counts(database, "email_queue")
    sink.reset()
    raw_after = await sink.measure(raw)
    raw_rate = (raw_before.rate + raw_after.rate) / 2
    assert drained.sent == count, (drained.sent, count, statuses)
    assert len(received) == count, "every message reached the sink once"
    return {
        "sink": provider,
        "messages": count,
        "drain": drained.summary(),
        "raw_before": raw_before.summary(),
        "raw_after": raw_after.summary(),
        "ratio": round(drained.rate / raw_rate, 2),
        "statuses": statuses,
    }


# --- c. crash --------------------------------------------------------------------------------


def crash_worker(url: str, smtp_port: int, name: str, lease_seconds: int) -> None:
    """One worker process: drain until SIGTERM."""
    settings = Settings(
        environment="test",
        database_url=url,
        secret_key=SECRET,
        seed_demo_data=False,
        run_workers_in_process=False,
        email_providers=["smtp"],
        smtp_port=smtp_port,
        smtp_pool_size=CONCURRENCY,
        email_batch_size=100,
        email_send_concurrency=CONCURRENCY,
        email_lease_seconds=lease_seconds,
    )

    async def run() -> None:
        database = Database(url)
        worker = email_worker(database=database, settings=settings, worker_id=name)
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        try:
            await worker.run(stop, idle_seconds=0.2)
        finally:
            await worker.aclose()
            await database.dispose()

    asyncio.run(run())


async def crash_scenario(database: Database, url: str, sink: Sink, lease: int) -> dict[str, Any]:
    count = await requeue(database, "email_queue")
    sink.reset()
    script = Path(__file__).resolve()
    command = [sys.executable, str(script), "--crash-worker", url, str(sink.smtp_port)]
    procs = [subprocess.Popen([*command, f"w{i}", str(lease)]) for i in range(WORKERS)]
    start = time.perf_counter()
    try:
        while sum(sink.counts()["smtp"].values()) < count // 3:
            await asyncio.sleep(0.02)
        procs[0].send_signal(signal.SIGKILL)
        procs[0].wait()
        at_kill = sum(sink.counts()["smtp"].values())
        deadline = time.monotonic() + lease * 4 + 120
        while time.monotonic() < deadline:
            statuses = await status_counts(database, "email_queue")
            if not statuses.get("queued") and not statuses.get("sending"):
                break
            await asyncio.sleep(0.25)
        elapsed = time.perf_counter() - start
    finally:
        for proc in procs[1:]:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    received = sink.counts()["smtp"]
    async with database.reading() as session:
        ids = set(await session.scalars(select(EmailQueue.message_id)))
    sent_ids = {f"<{m.strip('<>')}>" for m in ids}
    got = {f"<{m.strip('<>')}>" for m in received}
    return {
        "messages": count,
        "received_at_kill": at_kill,
        "lease_seconds": lease,
        "seconds": round(elapsed, 1),
        "statuses": await status_counts(database, "email_queue"),
        "lost": len(sent_ids - got),
        "duplicates": sum(n - 1 for n in received.values()),
        "duplicate_bound": CONCURRENCY,
    }


# --- the run ---------------------------------------------------------------------------------


async def run_backend(backend: str, sink: Sink, args: argparse.Namespace) -> dict[str, Any]:
    async with bench_database(backend) as url:
        database = Database(url)
        try:
            settings = settings_for(url, sink, "smtp")
            users = await add_guests(database, args.users)
            single = await queue_by_notify(database, settings, users, per_call=1)
            batched = await queue_by_notify(database, settings, users, per_call=100)
            profiles = RESULTS / "profiles"
            with profiled(profiles / f"notify_1_per_call_{backend}.txt"):
                await queue_by_notify(database, settings, users[:300], per_call=1)
            with profiled(profiles / f"notify_100_per_call_{backend}.txt"):
                await queue_by_notify(database, settings, users[:500], per_call=100)
            drains = [await drain_scenario(database, url, sink, p) for p in ("smtp", "sendgrid")]
            crash = await crash_scenario(database, url, sink, args.lease) if args.crash else None
        finally:
            await database.dispose()
    return {
        "database": backend,
        "queueing": {
            "recipients": len(users),
            "notify_1_per_call_per_s": round(single),
            "notify_100_per_call_per_s": round(batched),
        },
        "drains": drains,
        "crash": crash,
    }


def report(results: list[dict[str, Any]]) -> None:
    print_table(
        "a. queueing: recipients notified per second (in-app + email + SMS rows each)",
        ["database", "recipients", "1/call", "100/call"],
        [
            [r["database"], r["queueing"]["recipients"], r["queueing"]["notify_1_per_call_per_s"],
             r["queueing"]["notify_100_per_call_per_s"]]
            for r in results
        ],
    )  # fmt: skip
    rows = []
    for r in results:
        for d in r["drains"]:
            raw = (d["raw_before"]["per_s"] + d["raw_after"]["per_s"]) // 2
            rows.append(
                [r["database"], d["sink"], d["messages"], d["drain"]["per_s"], raw, d["ratio"],
                 d["drain"]["sink_util"], d["raw_before"]["sink_util"]]
            )  # fmt: skip
    print_table(
        f"b. drain: {WORKERS} workers x {CONCURRENCY} vs a bare loop x {WORKERS * CONCURRENCY}",
        ["database", "sink", "messages", "drained/s", "raw/s", "ratio", "sink cpu (drain)",
         "sink cpu (raw)"],
        rows,
    )  # fmt: skip
    crashes = [r for r in results if r["crash"]]
    if crashes:
        print_table(
            "c. crash: one of 2 worker processes killed (SIGKILL) mid-drain, SMTP",
            ["database", "messages", "at kill", "lost", "duplicates", "bound", "seconds"],
            [
                [r["database"], c["messages"], c["received_at_kill"], c["lost"], c["duplicates"],
                 c["duplicate_bound"], c["seconds"]]
                for r in crashes
                for c in [r["crash"]]
            ],
        )  # fmt: skip


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--crash-worker":
        url, port, name, lease = sys.argv[2:6]
        crash_worker(url, int(port), name, int(lease))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=1500)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--lease", type=int, default=5, help="lease seconds in the crash run")
    parser.add_argument("--no-crash", dest="crash", action="store_false")
    args = parser.parse_args()
    sink = Sink()
    pin_to(1)
    try:
        results = [asyncio.run(run_backend(b, sink, args)) for b in args.backends.split(",")]
    finally:
        sink.close()
    report(results)
    path = write_results(
        "email_drain",
        {"workers": WORKERS, "concurrency_per_worker": CONCURRENCY, "http_client": HTTP_CLIENT,
         "cpus": os.cpu_count(), "results": results},
    )  # fmt: skip
    print(f"\n{json.dumps(str(path.relative_to(RESULTS.parents[1])))}")


if __name__ == "__main__":
    main()
