"""An announcement fanned out to many guests: in-app notifications, email and push rows
(one device each) and the tracking rows, all written by the one transaction that claims the
announcement, beside a bare multi-row INSERT of the very same rows in the same run; on
SQLite and PostgreSQL. The tracking totals must equal the rows written.

    .venv/bin/python bench/announcements.py [--recipients 10000] [--backends sqlite,postgresql]

Writes bench/results/announcements.json.
"""

import argparse
import asyncio
import base64
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import SecretStr
from sqlalchemy import Table, delete, func, insert, select

from bench.drainkit import SECRET, add_guests, bench_database, pin_to, print_table, write_results
from premier.announcements import service, tracking
from premier.announcements.models import Announcement, AnnouncementRecipient
from premier.config import Settings
from premier.db import Database
from premier.email.models import EmailQueue
from premier.notifications.models import DeliveryLog, Notification
from premier.push.encryption import b64url_encode, raw_public
from premier.push.models import PushQueue, PushSubscription
from premier.wiring import register_channels

TARGET_PER_S = 2000
# What the floor copies, in the order foreign keys need.
TABLES: list[Any] = [Notification, EmailQueue, PushQueue, DeliveryLog, AnnouncementRecipient]


def settings_for(url: str) -> Settings:
    key = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return Settings(
        environment="test",
        database_url=url,
        secret_key=SECRET,
        seed_demo_data=False,
        run_workers_in_process=False,
        push_vapid_private_key=SecretStr(b64url_encode(key.to_bytes(32, "big"))),
    )


async def add_devices(database: Database, users: list[int]) -> None:
    p256dh = b64url_encode(raw_public(ec.generate_private_key(ec.SECP256R1()).public_key()))
    auth = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
    rows = [
        {
            "user_id": user,
            "device_id": f"phone-{user:08d}",
            "endpoint": f"https://push.example/send/{user}",
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": "bench",
            "created_at": time_now(),
        }
        for user in users
    ]
    async with database.writing() as session:
        await session.execute(insert(PushSubscription.__table__), rows)  # type: ignore[arg-type]
        await session.commit()


def time_now() -> Any:
    from premier.kit.time import utcnow

    return utcnow()


async def announce(database: Database, settings: Settings) -> int:
    async with database.writing() as session:
        row = Announcement(
            title="Pool closed on Friday",
            body="The pool is closed for maintenance on Friday from 08:00 to 12:00.",
            title_sw="Bwawa limefungwa Ijumaa",
            body_sw="Bwawa limefungwa kwa matengenezo Ijumaa kuanzia 08:00 hadi 12:00.",
            priority="important",
            target={"kind": "guests"},
            status="scheduled",
            scheduled_for=time_now(),
        )
        session.add(row)
        await session.commit()
        return row.id


async def rows_of(database: Database, announcement_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row the fan-out wrote, as plain values (ids left out), to insert again."""
    found: dict[str, list[dict[str, Any]]] = {}
    async with database.reading() as session:
        for model in TABLES:
            table: Table = model.__table__
            result = await session.execute(select(table))
            found[table.name] = [{k: v for k, v in r._mapping.items() if k != "id"} for r in result]
    return found


def as_floor(rows: dict[str, list[dict[str, Any]]], offset: int) -> dict[str, list[dict[str, Any]]]:
    """The same rows for the floor: ids it writes itself, unique columns made unique again."""
    copied: dict[str, list[dict[str, Any]]] = {}
    for name, items in rows.items():
        out = []
        for item in items:
            item = dict(item)
            if name == "email_queue":
                item["message_id"] = f"floor-{item['message_id']}"
            if name == "announcement_recipients":
                item["announcement_id"] = offset
            for link in ("notification_id",):
                if item.get(link) is not None:
                    item[link] = None  # the copies point at nothing; the row size is the same
            out.append(item)
        copied[name] = out
    return copied


async def floor(database: Database, rows: dict[str, list[dict[str, Any]]]) -> float:
    """One multi-row INSERT per table, one transaction: the least writing them can cost."""
    start = time.perf_counter()
    async with database.writing() as session:
        for model in TABLES:
            table: Table = model.__table__
            if rows[table.name]:
                await session.execute(insert(table), rows[table.name])
        await session.commit()
    return time.perf_counter() - start


async def run_backend(backend: str, recipients: int) -> dict[str, Any]:
    async with bench_database(backend) as url:
        database = Database(url)
        try:
            register_channels()
            settings = settings_for(url)
            users = await add_guests(database, recipients)
            await add_devices(database, users)
            announcement_id = await announce(database, settings)
            start = time.perf_counter()
            sent = await service.send_if_due(
                database=database,
                settings=settings,
                announcement_id=announcement_id,
                worker_id="bench",
            )
            ours = time.perf_counter() - start
            assert sent
            written = await rows_of(database, announcement_id)
            async with database.reading() as session:
                row = await session.get(Announcement, announcement_id)
                assert row is not None
                progress = await tracking.progress(session=session, announcement=row)
            counts = {name: len(items) for name, items in written.items()}
            tracked = {
                "in_app": sum(progress.channels.get("in_app", {}).values()),
                "email": sum(progress.channels.get("email", {}).values()),
                "push": sum(progress.channels.get("push", {}).values()),
            }
            assert tracked == {
                "in_app": counts["notifications"],
                "email": counts["email_queue"],
                "push": counts["push_queue"],
            }, (tracked, counts)
            assert counts["announcement_recipients"] == recipients
            async with database.writing() as session:
                other = Announcement(
                    title="floor", body="floor", target={"kind": "guests"}, status="draft"
                )
                session.add(other)
                await session.commit()
                floor_id = other.id
            bare = await floor(database, as_floor(written, floor_id))
            async with database.writing() as session:  # leave the floor's rows out of sight
                await session.execute(
                    delete(AnnouncementRecipient).where(
                        AnnouncementRecipient.announcement_id == floor_id
                    )
                )
                await session.commit()
                total = await session.scalar(select(func.count()).select_from(Notification))
        finally:
            await database.dispose()
    return {
        "database": backend,
        "recipients": recipients,
        "rows": counts,
        "rows_total": sum(counts.values()),
        "tracked": tracked,
        "notifications_in_table": total,
        "ours_seconds": round(ours, 3),
        "ours_recipients_per_s": round(recipients / ours),
        "floor_seconds": round(bare, 3),
        "floor_recipients_per_s": round(recipients / bare),
        "ratio": round(bare / ours, 2),
        "target_per_s": TARGET_PER_S,
        "meets_target": recipients / ours >= TARGET_PER_S,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    pin_to(1)
    results = [asyncio.run(run_backend(b, args.recipients)) for b in args.backends.split(",")]
    print_table(
        "Announcement fan-out (in-app + email + push + tracking) vs a bare multi-row INSERT "
        "of the same rows",
        ["database", "recipients", "rows", "ours/s", "floor/s", "ratio", "target met"],
        [
            [r["database"], r["recipients"], r["rows_total"], r["ours_recipients_per_s"],
             r["floor_recipients_per_s"], r["ratio"], r["meets_target"]]
            for r in results
        ],
    )  # fmt: skip
    path = write_results("announcements", {"cpus": os.cpu_count(), "results": results})
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
