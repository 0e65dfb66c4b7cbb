"""What the two drain benchmarks (email_drain.py, sms_drain.py) share: the sink process and
its CPU, a database of their own per run, recipients, the `notify()` queueing measurement
and the table.

The sink is one separate process (pinned to core 0; the benchmark runs on core 1) serving
every fake at once: an aiosmtpd SMTP server that counts each Message-ID it receives, and
the fake SendGrid, Twilio and Africa's Talking (tests/fakes, validating as in the tests) on
one HTTP port, plus `/_sink/counts` and `/_sink/reset`. Its own CPU seconds, read from
/proc around each timed run, show whether the sink or our side was the limit.
"""

import asyncio
import contextlib
import cProfile
import io
import json
import os
import pstats
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from premier.config import Settings, async_database_url
from premier.db import Database, core_table
from premier.migrations import migrate
from premier.notifications.service import notify
from premier.users.models import User
from premier.wiring import register_channels

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
TICKS = os.sysconf("SC_CLK_TCK")

SINK = """
import asyncio, collections, re, sys
import uvicorn
from aiosmtpd.controller import Controller
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from tests.fakes.africastalking import FakeAfricasTalking
from tests.fakes.sendgrid import FakeSendGrid
from tests.fakes.twilio import FakeTwilio

MESSAGE_ID = re.compile(rb"^Message-ID:\\s*(\\S+)", re.I | re.M)
smtp_port, http_port = int(sys.argv[1]), int(sys.argv[2])
seen = collections.Counter()

class Counting:
    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        seen[found.group(1).decode() if found else "?"] += 1
        return "250 OK"

fakes = {"sendgrid": FakeSendGrid(), "twilio": FakeTwilio(), "africastalking": FakeAfricasTalking()}

async def counts(request):
    sendgrid = [a["body"]["personalizations"][0]["custom_args"]["message_id"]
                for a in fakes["sendgrid"].accepted]
    return JSONResponse({
        "smtp": dict(seen),
        "sendgrid": dict(collections.Counter(sendgrid)),
        "twilio": dict(collections.Counter(m["To"] for m in fakes["twilio"].messages)),
        "africastalking": dict(
            collections.Counter(m["to"] for m in fakes["africastalking"].messages)),
    })

async def reset(request):
    seen.clear()
    fakes["sendgrid"].behaviour.accepted.clear()
    fakes["twilio"].messages.clear()
    fakes["africastalking"].messages.clear()
    return JSONResponse({})

routes = [Route("/_sink/counts", counts), Route("/_sink/reset", reset, methods=["POST"])]
for fake in fakes.values():
    routes += fake.app().routes
Controller(Counting(), hostname="127.0.0.1", port=smtp_port, server_hostname="sink.test",
           data_size_limit=0).start()
uvicorn.run(Starlette(routes=routes), host="127.0.0.1", port=http_port, log_level="warning",
            loop="uvloop", http="httptools", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not open")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system, every thread) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


class Sink:
    """The fakes in their own process; `measure()` times a run and the sink's CPU in it."""

    def __init__(self) -> None:
        self.smtp_port, self.http_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.ports = [str(self.smtp_port), str(self.http_port)]
        self.process = subprocess.Popen(
            ["taskset", "-c", "0", sys.executable, "-c", SINK, *self.ports],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        wait_for(self.smtp_port)
        wait_for(self.http_port)

    def counts(self) -> dict[str, dict[str, int]]:
        return httpx.get(f"{self.url}/_sink/counts", timeout=30).json()  # type: ignore[no-any-return]

    def reset(self) -> None:
        httpx.post(f"{self.url}/_sink/reset", timeout=30)

    async def measure(self, run: Callable[[], Awaitable[int]]) -> "Timed":
        """Run `run` (which returns how many messages it sent) and time it."""
        cpu, own, start = process_cpu(self.process.pid), own_cpu(), time.perf_counter()
        sent = await run()
        elapsed = time.perf_counter() - start
        return Timed(
            sent=sent,
            seconds=elapsed,
            sink_cpu=process_cpu(self.process.pid) - cpu,
            own_cpu=own_cpu() - own,
        )

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@dataclass
class Timed:
    sent: int
    seconds: float
    sink_cpu: float  # CPU seconds the sink process used meanwhile
    own_cpu: float  # and this process

    @property
    def rate(self) -> float:
        return self.sent / self.seconds

    def summary(self) -> dict[str, float]:
        return {
            "sent": self.sent,
            "per_s": round(self.rate),
            "seconds": round(self.seconds, 2),
            "sink_cpu_s": round(self.sink_cpu, 2),
            "sink_util": round(self.sink_cpu / self.seconds, 2),
            "bench_cpu_s": round(self.own_cpu, 2),
        }


@contextlib.asynccontextmanager
async def bench_database(backend: str) -> AsyncIterator[str]:
    """A database URL of this run's own, migrated, dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="premier-bench-") as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            await _migrate(url)
            yield url
        return
    server = make_url(async_database_url(os.environ.get("PREMIER_TEST_DATABASE_URL", PG_DEFAULT)))
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        await _migrate(url)
        yield url
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def _migrate(url: str) -> None:
    database = Database(url)
    try:
        await migrate(database.write_engine)
    finally:
        await database.dispose()


def phone(i: int) -> str:
    return f"+2547{10_000_000 + i:08d}"


async def add_guests(database: Database, count: int) -> list[int]:
    """Guests with an email address and a phone number, on default preferences (which let
    order updates go by SMS)."""
    rows = [
        {
            "email": f"guest{i}@example.com",
            "password_hash": "not-a-login",
            "full_name": f"Guest  {i}",
            "phone": phone(i),
            "role": "guest",
            "is_vip": False,
            "is_active": True,
            "locale": "en",
            "failed_login_count": 0,
            "token_version": 0,
        }
        for i in range(count)
    ]
    async with database.writing() as session:
        await session.execute(insert(core_table(User)), rows)
        await session.commit()
        ids = await session.scalars(text("SELECT id FROM users ORDER BY id"))
        return list(ids)


ORDER_CONTEXT = {
    "order": {"id": 1042, "status": "ready", "room_number": "204", "total": "KES 1,850.00"},
    "previous_status": "preparing",
}


async def queue_by_notify(
    database: Database, settings: Settings, users: list[int], *, per_call: int
) -> float:
    """notify() of an order update to every user, `per_call` recipients per call and one
    commit per call, as a request would; returns recipients notified per second."""
    register_channels()
    start = time.perf_counter()
    for offset in range(0, len(users), per_call):
        async with database.writing() as session:
            await notify(
                session=session,
                settings=settings,
                recipients=users[offset : offset + per_call],
                event_type="order.status_changed",
                context=ORDER_CONTEXT,
            )
            await session.commit()
    return len(users) / (time.perf_counter() - start)


@contextlib.contextmanager
def profiled(path: Path) -> Iterator[None]:
    """cProfile what runs inside; the top of it (by own and cumulative time) to `path`."""
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(45)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_short_paths(out.getvalue()))


def _short_paths(report: str) -> str:
    """File names relative to the repository, the installed packages or the stdlib."""
    report = report.replace(str(REPO) + "/", "")
    report = re.sub(r"\S*/site-packages/", "", report)
    return re.sub(r"\S*/lib/python3\.\d+/", "", report)


async def requeue(database: Database, table: str) -> int:
    """Put every row of a queue back to due, as if never sent (to drain it again)."""
    async with database.writing() as session:
        result = await session.execute(
            text(
                f"UPDATE {table} SET status = 'queued', attempts = 0, lease_owner = NULL, "
                "lease_expires_at = NULL, next_attempt_at = :due, sent_at = NULL, "
                "provider = NULL, provider_message_id = NULL, last_error = NULL"
            ),
            {"due": _long_ago()},
        )
        await session.commit()
        return int(result.rowcount)  # type: ignore[attr-defined]


def _long_ago() -> Any:
    from datetime import UTC, datetime

    return datetime(2000, 1, 1, tzinfo=UTC)


async def status_counts(database: Database, table: str) -> dict[str, int]:
    async with database.reading() as session:
        rows = await session.execute(text(f"SELECT status, count(*) FROM {table} GROUP BY status"))
        return {str(status): int(count) for status, count in rows}


def pin_to(core: int) -> None:
    with contextlib.suppress(OSError):
        os.sched_setaffinity(0, {core})


def print_table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    for line in [header, *rows]:
        print("  ".join(str(x).rjust(w) for x, w in zip(line, widths, strict=True)))


def write_results(name: str, results: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path


async def gather_loops(count: int, loop: Callable[[], Awaitable[None]]) -> None:
    await asyncio.gather(*(loop() for _ in range(count)))
