"""SMS, end to end: queued through `notify()`, drained by 2 workers through the real Twilio
and Africa's Talking adapters into their fakes, beside a bare aiohttp loop posting the same
pre-built requests to the same fake at the same total concurrency; on SQLite and
PostgreSQL. The fakes run in their own process (bench/drainkit.py), whose CPU is reported
to show whether they were the limit.

    .venv/bin/python bench/sms_drain.py [--users 2000] [--backends sqlite,postgresql]

Writes bench/results/sms_drain.json.
"""

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from sqlalchemy import select
from tests.fakes.africastalking import API_KEY as AT_KEY
from tests.fakes.africastalking import USERNAME as AT_USER
from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN

from bench.drainkit import (
    SECRET,
    Sink,
    add_guests,
    bench_database,
    pin_to,
    print_table,
    queue_by_notify,
    requeue,
    status_counts,
    write_results,
)
from premier.config import Settings
from premier.db import Database
from premier.delivery.http import provider_session
from premier.sms.models import SmsQueue
from premier.sms.sending import sms_worker
from premier.sms.settings import SmsSettings

WORKERS = 2
TIMEOUT = 10.0


def settings_for(url: str, sink: Sink, provider: str) -> Settings:
    return Settings(
        environment="test",
        database_url=url,
        secret_key=SECRET,
        seed_demo_data=False,
        run_workers_in_process=False,
        sms=SmsSettings(
            providers=[provider],
            twilio_base_url=sink.url,
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
            twilio_from_number="+15005550006",
            africastalking_base_url=f"{sink.url}/version1",
            africastalking_username=AT_USER,
            africastalking_api_key=AT_KEY,
            recipient_per_hour=10_000,
            timeout_seconds=TIMEOUT,
        ),
    )


def client(connections: int = 16) -> aiohttp.ClientSession:
    """As the worker process makes it (premier.worker.runtime)."""
    return provider_session(connections=connections)


async def drain_with_workers(database: Database, settings: Settings) -> int:
    clients = [client() for _ in range(WORKERS)]
    workers = [
        sms_worker(database=database, settings=settings, http=http, worker_id=f"bench-{i}")
        for i, http in enumerate(clients)
    ]
    try:
        results = await asyncio.gather(*(w.drain() for w in workers))
    finally:
        for worker, http in zip(workers, clients, strict=True):
            await worker.aclose()
            await http.close()
    return sum(r.sent for r in results)


@dataclass
class Requests:
    """The queued messages as the adapter would post them, built before timing."""

    url: str
    options: dict[str, Any]
    forms: list[dict[str, str]]
    concurrency: int  # the worker's


async def prebuilt(database: Database, settings: Settings, sink: Sink, provider: str) -> Requests:
    async with client() as http:
        worker = sms_worker(database=database, settings=settings, http=http)
        async with database.reading() as session:
            rows = list(await session.scalars(select(SmsQueue).order_by(SmsQueue.id)))
        adapter: Any = worker.sending.providers[provider]  # type: ignore[attr-defined]
        forms = [adapter.form(worker.sending.message(row)) for row in rows]
        concurrency = worker.sending.config.concurrency
    if provider == "twilio":
        url = f"{sink.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
        options: dict[str, Any] = {"auth": aiohttp.BasicAuth(ACCOUNT_SID, AUTH_TOKEN)}
    else:
        url = f"{sink.url}/version1/messaging"
        options = {"headers": {"apiKey": AT_KEY, "Accept": "application/json"}}
    return Requests(url, options, forms, concurrency)


async def raw_loop(requests: Requests) -> int:
    """The same requests from bare aiohttp sessions (one per worker, as many loops as the
    worker's concurrency), no database."""
    todo = list(reversed(requests.forms))
    url, options = requests.url, requests.options

    async def loop(http: aiohttp.ClientSession) -> None:
        while todo:
            async with http.post(url, data=todo.pop(), **options) as answer:
                await answer.read()
                assert answer.status == 201, answer.status

    clients = [
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=requests.concurrency))
        for _ in range(WORKERS)
    ]
    try:
        await asyncio.gather(*(loop(http) for http in clients for _ in range(requests.concurrency)))
    finally:
        for http in clients:
            await http.close()
    return len(requests.forms)


async def drain_scenario(database: Database, url: str, sink: Sink, provider: str) -> dict[str, Any]:
    settings = settings_for(url, sink, provider)
    count = await requeue(database, "sms_queue")
    requests = await prebuilt(database, settings, sink, provider)
    sink.reset()
    raw_before = await sink.measure(lambda: raw_loop(requests))
    sink.reset()
    drained = await sink.measure(lambda: drain_with_workers(database, settings))
    received = sink.counts()[provider]
    statuses = await status_counts(database, "sms_queue")
    sink.reset()
    raw_after = await sink.measure(lambda: raw_loop(requests))
    raw_rate = (raw_before.rate + raw_after.rate) / 2
    assert drained.sent == count, (drained.sent, count, statuses)
    assert sum(received.values()) == count, "every message reached the fake once"
    return {
        "provider": provider,
        "messages": count,
        "concurrency_per_worker": requests.concurrency,
        "drain": drained.summary(),
        "raw_before": raw_before.summary(),
        "raw_after": raw_after.summary(),
        "ratio": round(drained.rate / raw_rate, 2),
        "statuses": statuses,
    }


async def run_backend(backend: str, sink: Sink, args: argparse.Namespace) -> dict[str, Any]:
    async with bench_database(backend) as url:
        database = Database(url)
        try:
            settings = settings_for(url, sink, "twilio")
            users = await add_guests(database, args.users)
            queued = await queue_by_notify(database, settings, users, per_call=100)
            drains = [
                await drain_scenario(database, url, sink, p) for p in ("twilio", "africastalking")
            ]
        finally:
            await database.dispose()
    queueing = {"recipients": len(users), "notify_100_per_call_per_s": round(queued)}
    return {"database": backend, "queueing": queueing, "drains": drains}


def report(results: list[dict[str, Any]]) -> None:
    rows = []
    for r in results:
        for d in r["drains"]:
            raw = (d["raw_before"]["per_s"] + d["raw_after"]["per_s"]) // 2
            rows.append(
                [r["database"], d["provider"], d["messages"], d["drain"]["per_s"], raw, d["ratio"],
                 d["drain"]["sink_util"], d["raw_before"]["sink_util"]]
            )  # fmt: skip
    concurrency = results[0]["drains"][0]["concurrency_per_worker"] if results else 0
    print_table(
        f"SMS drain: {WORKERS} workers x {concurrency} vs bare aiohttp loops x "
        f"{WORKERS * concurrency}",
        ["database", "provider", "messages", "drained/s", "raw/s", "ratio", "sink cpu (drain)",
         "sink cpu (raw)"],
        rows,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    sink = Sink()
    pin_to(1)
    try:
        results = [asyncio.run(run_backend(b, sink, args)) for b in args.backends.split(",")]
    finally:
        sink.close()
    report(results)
    path = write_results(
        "sms_drain",
        {"workers": WORKERS, "http_client": "aiohttp", "cpus": os.cpu_count(), "results": results},
    )  # fmt: skip
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
