"""Payment webhooks and idempotent starts under load, on SQLite and PostgreSQL.

    .venv/bin/python bench/payments.py [--payments 2000] [--backends sqlite,postgresql]

1. Webhooks: 2,000 card payments each get two Stripe events (paid, and a stale one: an
   unpaid snapshot, an expiry or a declined try), each delivered 2-3 times, 10,000
   deliveries in all, shuffled so stale news often lands after the payment. They are
   posted to the real `/api/v1/payments/webhooks/stripe` and, in the same run, to a bare
   endpoint that only verifies the Stripe-Signature and answers 200 (the floor). A
   webhook is answered once its news is stored; the event dispatcher applies the news
   behind the answer (in production `premier worker`, on another core). The ratio
   compares answers (ingestion); the time the dispatcher then takes to apply everything
   is reported beside it (applied/s), and the whole, storing plus applying, as e2e/s.
   Every payment must end `succeeded`, credited once.
2. Starts: 500 concurrent `POST /api/v1/payments` sharing 100 Idempotency-Keys (5 each)
   against a local fake Stripe. Each key must make exactly one Checkout Session and one
   payment, and every 201 for a key must be the same answer.

Requests go in-process through httpx's ASGI transport at 16 at a time, the same client for
ours and the floor, so the ratio compares the server side. Prints a table and writes
bench/results/payments.json.
"""

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import stripe
from fastapi import Request
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes import stripe as fake_stripe  # noqa: E402
from tests.fakes.server import serve  # noqa: E402

from premier.app import create_app  # noqa: E402
from premier.auth.access import access  # noqa: E402
from premier.bookings.models import Booking  # noqa: E402
from premier.config import Settings, async_database_url  # noqa: E402
from premier.payments.models import Payment, PaymentEventRecord  # noqa: E402
from premier.payments.settings import PaymentSettings  # noqa: E402
from premier.rooms.models import Room, RoomType  # noqa: E402
from premier.users import service as users  # noqa: E402
from premier.users.models import Role  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "payments.json"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
CONCURRENCY = 16
KEYS, PER_KEY = 100, 5
TARGET_RATIO = 0.5
PASSWORD = "bench-password-123456"


async def fresh_postgres(server_url: str) -> str:
    url = make_url(async_database_url(server_url))
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text('DROP DATABASE IF EXISTS "premier_bench_pay" WITH (FORCE)'))
        await connection.execute(text('CREATE DATABASE "premier_bench_pay"'))
    await admin.dispose()
    return url.set(database="premier_bench_pay").render_as_string(hide_password=False)


def bench_app(settings: Settings) -> Any:
    app = create_app(settings)

    @app.post("/bench/signed-webhook")
    @access("payment_webhook", "deliver")
    async def bare_signed_webhook(request: Request) -> dict[str, str]:
        body = await request.body()
        stripe.WebhookSignature.verify_header(
            body, request.headers.get("stripe-signature"), fake_stripe.WEBHOOK_SECRET, 300
        )
        return {"status": "accepted"}

    app.router.routes.insert(0, app.router.routes.pop())  # ahead of the web UI's catch-all
    return app


async def seed(app: Any, payments: int) -> tuple[int, list[str]]:
    """A guest with a booking to pay, and `payments` pending card payments; returns the
    booking id and the payments' Checkout Session ids."""
    database = app.state.database
    async with database.writing() as session:
        guest = await users.create_user(
            session=session,
            email="bench-guest@example.com",
            password=PASSWORD,
            full_name="Bench Guest",
            role=Role.GUEST,
            department=None,
            is_vip=False,
            phone="+254712345678",
        )
        room_type = RoomType(
            code="BENCH",
            name="Bench",
            description="",
            capacity=2,
            base_rate=1_000_000,
            currency="KES",
            image_urls=[],
            amenities=[],
        )
        session.add(room_type)
        await session.flush()
        room = Room(number="B01", floor=1, room_type_id=room_type.id)
        session.add(room)
        await session.flush()
        booking = Booking(
            reference="BENCHPAY",
            guest_id=guest.id,
            room_id=room.id,
            room_type_id=room_type.id,
            check_in=date.today() + timedelta(days=30),
            check_out=date.today() + timedelta(days=32),
            guests=1,
            total_amount=10**9,
            currency="KES",
            created_by_id=guest.id,
        )
        session.add(booking)
        await session.flush()
        sessions = [f"cs_bench_{i:05d}" for i in range(payments)]
        await session.execute(
            insert(Payment),
            [
                {
                    "reference": f"PAY-B{i:011d}",
                    "payer_id": guest.id,
                    "booking_id": None,
                    "amount": 2_000_000,
                    "currency": "KES",
                    "method": "card",
                    "provider": "stripe",
                    "provider_reference": sid,
                    "status": "pending",
                    "refunded_amount": 0,
                }
                for i, sid in enumerate(sessions)
            ],
        )
        await session.commit()
        return booking.id, sessions


def deliveries(sessions: list[str]) -> list[bytes]:
    """Two events a payment, each delivered 2 or 3 times (5 a payment), shuffled."""
    fake = fake_stripe.FakeStripe()
    found: list[bytes] = []
    for i, sid in enumerate(sessions):
        base = {
            **fake.resources["checkout.session"],
            "id": sid,
            "amount_total": 2_000_000,
            "currency": "kes",
            "client_reference_id": f"PAY-B{i:011d}",
            "metadata": {},
        }
        paid = fake.event(
            "checkout.session.completed",
            {
                **base,
                "status": "complete",
                "payment_status": "paid",
                "payment_intent": f"pi_bench_{i}",
            },
        )
        stale_kind = ("checkout.session.completed", "checkout.session.expired")[i % 2]
        stale = fake.event(stale_kind, {**base, "status": "open", "payment_status": "unpaid"})
        times = (2, 3) if i % 3 else (3, 2)
        found += [paid] * times[0] + [stale] * times[1]
    random.Random(7).shuffle(found)
    return found


async def post_all(
    client: httpx.AsyncClient, path: str, bodies: list[bytes]
) -> tuple[float, Counter[int]]:
    queue = iter(bodies)
    statuses: Counter[int] = Counter()

    async def worker() -> None:
        for body in queue:
            response = await client.post(
                path,
                content=body,
                headers={
                    "Stripe-Signature": fake_stripe.sign(body),
                    "Content-Type": "application/json",
                },
            )
            statuses[response.status_code] += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return time.perf_counter() - started, statuses


async def webhook_outcomes(app: Any) -> dict[str, int]:
    async with app.state.database.reading() as session:
        wrong = await session.scalar(
            select(func.count())
            .select_from(Payment)
            .where(Payment.provider_reference.like("cs_bench_%"), Payment.status != "succeeded")
        )
        per_payment = (
            select(PaymentEventRecord.payment_id, func.count().label("n"))
            .where(
                PaymentEventRecord.result == "applied", PaymentEventRecord.outcome == "succeeded"
            )
            .group_by(PaymentEventRecord.payment_id)
            .subquery()
        )
        doubles = await session.scalar(select(func.count()).where(per_payment.c.n > 1))
        return {"wrong_final_states": int(wrong or 0), "double_credits": int(doubles or 0)}


async def starts(app: Any, client: httpx.AsyncClient, booking_id: int, fake: Any) -> dict[str, Any]:
    login = await client.post(
        "/api/v1/auth/login", json={"email": "bench-guest@example.com", "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    keys = [uuid.uuid4().hex for _ in range(KEYS)]
    requests = [(k, 1_000 + n) for n, k in enumerate(keys) for _ in range(PER_KEY)]
    random.Random(11).shuffle(requests)
    answers: dict[str, set[str]] = {k: set() for k in keys}
    statuses: Counter[int] = Counter()

    async def one(key: str, amount: int) -> None:
        for _ in range(50):  # a key still being worked on answers 409: ask again
            response = await client.post(
                "/api/v1/payments",
                json={"booking_id": booking_id, "method": "card", "amount": amount},
                headers={**headers, "Idempotency-Key": key},
            )
            statuses[response.status_code] += 1
            # 409: another request holds the key; 503: Stripe did not answer. Both: retry.
            if response.status_code not in (409, 503):
                answers[key].add(response.text)
                return
            await asyncio.sleep(0.01)

    started = time.perf_counter()
    await asyncio.gather(*(one(k, a) for k, a in requests))
    seconds = time.perf_counter() - started
    async with app.state.database.reading() as session:
        made = await session.scalar(
            select(func.count()).select_from(Payment).where(Payment.booking_id == booking_id)
        )
    return {
        "requests": len(requests),
        "keys": KEYS,
        "seconds": round(seconds, 2),
        "statuses": dict(statuses),
        "payments_made": int(made or 0),
        "sessions_at_stripe": len(fake.sessions),
        "double_charges": max(len(fake.sessions) - KEYS, 0) + max(int(made or 0) - KEYS, 0),
        "keys_with_differing_answers": sum(1 for a in answers.values() if len(a) != 1),
    }


async def bench_backend(
    backend: str, url: str, payments: int, stripe_url: str, fake: Any
) -> dict[str, Any]:
    settings = Settings(
        environment="test",
        database_url=url,
        secret_key="bench-secret-key-long-enough-0123456789",
        run_workers_in_process=False,
        public_base_url="https://hotel.example",
        static_dir=Path(tempfile.mkdtemp()) / "none",
        payments=PaymentSettings(
            stripe_base_url=stripe_url,
            stripe_secret_key=fake_stripe.SECRET_KEY,
            stripe_webhook_secret=fake_stripe.WEBHOOK_SECRET,
        ),
    )
    app = bench_app(settings)
    async with app.router.lifespan_context(app):
        booking_id, sessions = await seed(app, payments)
        bodies = deliveries(sessions)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hotel.test") as client:
            floor_s, floor_statuses = await post_all(client, "/bench/signed-webhook", bodies)
            ours_s, ours_statuses = await post_all(
                client, "/api/v1/payments/webhooks/stripe", bodies
            )
            applying = time.perf_counter()
            applied = await app.state.dispatcher.drain()
            apply_s = time.perf_counter() - applying
            outcomes = await webhook_outcomes(app)
            started = await starts(app, client, booking_id, fake)
    floor_rate, ours_rate = len(bodies) / floor_s, len(bodies) / ours_s
    return {
        "backend": backend,
        "payments": payments,
        "webhooks": len(bodies),
        "webhooks_per_s": round(ours_rate, 1),
        "bare_signed_per_s": round(floor_rate, 1),
        "ratio_vs_bare": round(ours_rate / floor_rate, 3),
        "news_applied": applied,
        "applied_per_s": round(applied / apply_s, 1),
        "stored_and_applied_per_s": round(len(bodies) / (ours_s + apply_s), 1),
        "webhook_statuses": dict(ours_statuses),
        "bare_statuses": dict(floor_statuses),
        **outcomes,
        "starts": started,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--payments", type=int, default=2000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    runs = []
    fake = fake_stripe.FakeStripe()
    with serve(fake.app()) as stripe_url:
        for backend in args.backends.split(","):
            fake.sessions.clear()
            fake.idempotent.clear()
            if backend == "sqlite":
                url = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='premier-bench-')}/bench.db"
            else:
                server = os.environ.get("PREMIER_BENCH_DATABASE_URL") or os.environ.get(
                    "PREMIER_TEST_DATABASE_URL", PG_DEFAULT
                )
                try:
                    url = await fresh_postgres(server)
                except OSError as exc:
                    print(f"skipping PostgreSQL: {exc}")
                    continue
            runs.append(await bench_backend(backend, url, args.payments, stripe_url, fake))
    print(
        f"\n{'backend':<12}{'webhooks/s':>12}{'bare/s':>10}{'ratio':>8}{'applied/s':>11}"
        f"{'e2e/s':>8}{'double':>8}{'wrong':>7}{'starts':>8}{'charges':>9}{'dup.chg':>9}"
    )
    for run in runs:
        s = run["starts"]
        print(
            f"{run['backend']:<12}{run['webhooks_per_s']:>12}{run['bare_signed_per_s']:>10}"
            f"{run['ratio_vs_bare']:>8}{run['applied_per_s']:>11}"
            f"{run['stored_and_applied_per_s']:>8}{run['double_credits']:>8}"
            f"{run['wrong_final_states']:>7}"
            f"{s['requests']:>8}{s['sessions_at_stripe']:>9}{s['double_charges']:>9}"
        )
    verdicts = {
        run["backend"]: {
            "ratio_ok": run["ratio_vs_bare"] >= TARGET_RATIO,
            "no_double_credits": run["double_credits"] == 0,
            "no_wrong_final_states": run["wrong_final_states"] == 0,
            "no_double_charges": run["starts"]["double_charges"] == 0,
            "one_answer_per_key": run["starts"]["keys_with_differing_answers"] == 0,
        }
        for run in runs
    }
    print("targets met:", json.dumps(verdicts, indent=1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"runs": runs, "target_ratio": TARGET_RATIO, "verdicts": verdicts}, indent=1)
        + "\n"
    )


if __name__ == "__main__":
    asyncio.run(main())
