"""Load the served API: availability searches and booking creations at 64 concurrent
clients, on SQLite and PostgreSQL, beside three references served by the same process: a
bare JSON endpoint, a one-row read and a one-row INSERT through the booking's write path.

    .venv/bin/python bench/api_load.py [--seconds 8] [--backends sqlite,postgresql]

The server runs in one uvicorn process pinned to core 0; this script generates load from
core 1. Beside them, as a deployment runs it, one `premier worker` process (niced, on core
1) fans the bookings' `booking.created` events out into notifications, email and SMS from
the event outbox; the run reports how far it fell behind and how fast it drained. It prints
a table and writes bench/results/api_load.json.
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import free_port  # noqa: E402

from bench.loadgen import LoadResult, run_load  # noqa: E402
from premier.auth.passwords import hash_password_now  # noqa: E402
from premier.config import async_database_url  # noqa: E402
from premier.db import Database  # noqa: E402
from premier.migrations import migrate  # noqa: E402
from premier.rooms.models import Room, RoomType  # noqa: E402
from premier.users.models import Role, User  # noqa: E402

GUESTS = 64
ROOM_TYPES = 4
ROOMS_PER_TYPE = 60
RESULTS = ROOT / "bench" / "results" / "api_load.json"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
TARGETS = {
    "sqlite": {"availability": 1000, "booking_create": 500, "booking_p99_ms": 100},
    "postgresql": {"availability": 2000, "booking_create": 1000, "booking_p99_ms": 100},
}


async def prepare_database(url: str) -> int:
    """Migrate, then add the bench hotel; returns the id of a room type with one room."""
    database = Database(url)
    try:
        await migrate(database.write_engine)
        key = "INTEGER PRIMARY KEY" if database.is_sqlite else "SERIAL PRIMARY KEY"
        async with database.writing() as session:
            await session.execute(text(f"CREATE TABLE bench_inserts (id {key}, note TEXT)"))
            await session.commit()
        password = hash_password_now("bench-password")
        async with database.writing() as session:
            for i in range(GUESTS):
                session.add(User(email=f"bench{i}@example.com", password_hash=password,
                                 full_name=f"Bench {i}", role=Role.GUEST))  # fmt: skip
            for t in range(ROOM_TYPES):
                room_type = RoomType(code=f"B{t}", name=f"Bench {t}", capacity=2,
                                     base_rate=500_000 + t, currency="KES")  # fmt: skip
                session.add(room_type)
                await session.flush()
                for r in range(ROOMS_PER_TYPE):
                    session.add(Room(number=f"{t}{r:03d}", room_type_id=room_type.id))
            last_room = RoomType(code="LAST", name="Last room", capacity=2, base_rate=1,
                                 currency="KES")  # fmt: skip
            session.add(last_room)
            await session.flush()
            session.add(Room(number="LAST1", room_type_id=last_room.id))
            await session.commit()
        if not database.is_sqlite:
            async with database.writing() as session:
                await session.execute(text("ANALYZE"))  # as seed_demo does after loading
                await session.commit()
        return last_room.id
    finally:
        await database.dispose()


async def fresh_postgres(server_url: str, name: str = "premier_bench") -> str:
    url = make_url(async_database_url(server_url))
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


async def double_bookings(url: str) -> int:
    database = Database(url)
    try:
        async with database.reading() as session:
            overlapping = await session.scalar(
                text(
                    "SELECT count(*) FROM bookings a JOIN bookings b ON a.room_id = b.room_id "
                    "AND a.id < b.id AND a.check_in < b.check_out AND b.check_in < a.check_out "
                    "WHERE a.status != 'cancelled' AND b.status != 'cancelled'"
                )
            )
            return int(overlapping or 0)
    finally:
        await database.dispose()


def server_env(url: str, *, workers_in_process: bool = False) -> dict[str, str]:
    return {**os.environ, "PREMIER_DATABASE_URL": url, "PREMIER_SEED_DEMO_DATA": "false",
            "PREMIER_RUN_WORKERS_IN_PROCESS": str(workers_in_process).lower(),
            "PREMIER_ENVIRONMENT": "test", "PREMIER_BOOKING_MAX_PENDING_PER_GUEST": "0",
            "PREMIER_SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789"}  # fmt: skip


def start_server(url: str, port: int, *, workers_in_process: bool) -> subprocess.Popen[str]:
    command = ["taskset", "-c", "0", sys.executable, "-m", "uvicorn", "bench.reference_app:app",
               "--host", "127.0.0.1", "--port", str(port), "--loop", "uvloop", "--http",
               "httptools", "--no-access-log", "--log-level", "warning"]  # fmt: skip
    env = server_env(url, workers_in_process=workers_in_process)
    return subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)


def start_worker(url: str) -> subprocess.Popen[str]:
    """The event fan-out, email and SMS workers, as `premier worker` runs them."""
    premier = str(Path(sys.executable).parent / "premier")
    command = ["taskset", "-c", "1", "nice", "-n", "10", premier, "worker"]
    return subprocess.Popen(command, env=server_env(url), cwd=ROOT, stderr=subprocess.DEVNULL)


async def outbox_pending(url: str) -> int:
    database = Database(url)
    try:
        async with database.reading() as session:
            pending = await session.scalar(
                text("SELECT count(*) FROM event_outbox WHERE status = 'pending'")
            )
            return int(pending or 0)
    finally:
        await database.dispose()


async def fan_out_drain(url: str, limit_seconds: float = 300.0) -> dict[str, Any]:
    """How many booking events were still waiting for the worker when the load stopped,
    and how fast it worked through them once the server was idle."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    backlog = await outbox_pending(url)
    left = backlog
    while left and loop.time() - started < limit_seconds:
        await asyncio.sleep(0.5)  # polling another process's progress
        left = await outbox_pending(url)
    seconds = loop.time() - started
    rate = round((backlog - left) / seconds, 1) if seconds else 0.0
    return {"backlog_at_end_of_load": backlog, "left": left, "drain_seconds": round(seconds, 1),
            "drain_events_per_s": rate}  # fmt: skip


async def wait_until_serving(port: int, process: subprocess.Popen[str]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read() if process.stderr else ''}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)  # polling a port that is not open yet
    raise RuntimeError("server did not start")


async def tokens(base: str) -> list[str]:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        out = []
        for i in range(GUESTS):
            response = await client.post("/api/v1/auth/login", json={
                "email": f"bench{i}@example.com", "password": "bench-password"})  # fmt: skip
            out.append(response.json()["access_token"])
        return out


async def bench_backend(backend: str, url: str, seconds: float, concurrency: int) -> dict[str, Any]:
    last_room_type = await prepare_database(url)
    port = free_port()
    # SQLite has one writer: its deployment is one process, workers inside (as make run).
    # PostgreSQL's is the API beside `premier worker` processes.
    in_process = backend == "sqlite"
    process = start_server(url, port, workers_in_process=in_process)
    worker = None if in_process else start_worker(url)
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_until_serving(port, process)
        bearer = [{"Authorization": f"Bearer {t}"} for t in await tokens(base)]
        today = date.today()
        rng = random.Random(7)

        def stay(nights_max: int = 3) -> tuple[str, str]:
            start = today + timedelta(days=rng.randrange(1, 700))
            return str(start), str(start + timedelta(days=rng.randint(1, nights_max)))

        def bare(i: int) -> Any:
            return "GET", "/bench/json", None, {}

        def read(i: int) -> Any:
            return "GET", f"/bench/room-type/{i % ROOM_TYPES + 1}", None, {}

        def insert(i: int) -> Any:
            return "POST", "/bench/insert", {}, {}

        def availability(i: int) -> Any:
            check_in, check_out = stay()
            path = f"/api/v1/rooms/availability?check_in={check_in}&check_out={check_out}&guests=2"
            return "GET", path, None, {}

        def booking(i: int) -> Any:
            check_in, check_out = stay()
            body = {"room_type_id": i % ROOM_TYPES + 1, "check_in": check_in,
                    "check_out": check_out, "guests": 1}  # fmt: skip
            return "POST", "/api/v1/bookings", body, bearer[i % GUESTS]

        scenarios = [("bare_json", bare), ("pk_read", read), ("one_insert", insert),
                     ("availability", availability), ("booking_create", booking)]  # fmt: skip
        results: list[LoadResult] = []
        for name, factory in scenarios:
            results.append(await run_load(f"{backend}/{name}", base, factory,
                                          concurrency=concurrency, seconds=seconds))  # fmt: skip
        fan_out = await fan_out_drain(url)
        race_day = str(today + timedelta(days=3))
        race_out = str(today + timedelta(days=4))

        def race(i: int) -> Any:
            body = {"room_type_id": last_room_type, "check_in": race_day, "check_out": race_out}
            return "POST", "/api/v1/bookings", body, bearer[i % GUESTS]

        race_result = await run_load(f"{backend}/last_room_race", base, race, concurrency=64,
                                     seconds=1.0, warmup_seconds=0)  # fmt: skip
    finally:
        for child in (process, worker):
            if child is not None:
                child.terminate()
                child.wait(timeout=30)
    return {
        "backend": backend,
        "results": [r.summary() for r in results],
        "fan_out": fan_out,
        "last_room_race": race_result.summary(),
        "double_bookings": await double_bookings(url),
    }


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else 0.0


def report(runs: list[dict[str, Any]]) -> dict[str, Any]:
    print(f"\n{'scenario':<32}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}  statuses")
    ratios: dict[str, Any] = {}
    verdicts: dict[str, Any] = {}
    rates: dict[str, dict[str, dict[str, Any]]] = {}
    for run in runs:
        by_name = {r["scenario"].split("/")[1]: r for r in run["results"]}
        rates[run["backend"]] = by_name
        for r in run["results"]:
            print(f"{r['scenario']:<32}{r['req_per_s']:>10}{r['p50_ms']:>10}{r['p99_ms']:>10}  "
                  f"{r['statuses']}")  # fmt: skip
        created = run["last_room_race"]["statuses"].get("201", 0)
        print(f"{run['backend'] + '/last_room_race':<32} one room, 64 racing clients: "
              f"{created} booked, {run['double_bookings']} double bookings")  # fmt: skip
        fan = run["fan_out"]
        print(f"{run['backend'] + '/fan_out':<32} {fan['backlog_at_end_of_load']} booking events "
              f"waiting when the load stopped; one worker drained them at "
              f"{fan['drain_events_per_s']}/s ({fan['left']} left)")  # fmt: skip
        ratios[run["backend"]] = {
            "availability_vs_bare_json": ratio(by_name["availability"]["req_per_s"],
                                               by_name["bare_json"]["req_per_s"]),
            "availability_vs_pk_read": ratio(by_name["availability"]["req_per_s"],
                                             by_name["pk_read"]["req_per_s"]),
            "booking_vs_pk_read": ratio(by_name["booking_create"]["req_per_s"],
                                        by_name["pk_read"]["req_per_s"]),
            "booking_vs_one_insert": ratio(by_name["booking_create"]["req_per_s"],
                                           by_name["one_insert"]["req_per_s"]),
        }  # fmt: skip
        target = TARGETS[run["backend"]]
        verdicts[run["backend"]] = {
            "availability_ok": by_name["availability"]["req_per_s"] >= target["availability"],
            "booking_rate_ok": by_name["booking_create"]["req_per_s"] >= target["booking_create"],
            "booking_p99_ok": by_name["booking_create"]["p99_ms"] <= target["booking_p99_ms"],
            "no_double_bookings": run["double_bookings"] == 0,
        }
    if "sqlite" in rates and "postgresql" in rates:
        ratios["postgresql_vs_sqlite"] = {
            name: ratio(rates["postgresql"][name]["req_per_s"], rates["sqlite"][name]["req_per_s"])
            for name in rates["sqlite"]
        }
    print("\nratios:", json.dumps(ratios, indent=1))
    print("targets met:", json.dumps(verdicts, indent=1))
    return {"ratios": ratios, "targets": TARGETS, "verdicts": verdicts}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})  # the server has core 0
    runs = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            folder = tempfile.mkdtemp(prefix="premier-bench-")
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
        else:
            server = os.environ.get("PREMIER_BENCH_DATABASE_URL") or os.environ.get(
                "PREMIER_TEST_DATABASE_URL", PG_DEFAULT
            )
            try:
                url = await fresh_postgres(server)
            except OSError as exc:
                print(f"skipping PostgreSQL: {exc}")
                continue
        runs.append(await bench_backend(backend, url, args.seconds, args.concurrency))
    summary = report(runs)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": runs, **summary}, indent=2))
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    asyncio.run(main())
