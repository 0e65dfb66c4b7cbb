"""Searches hammering a real server while another process books: every search is
answered, and none reports a room that the database already holds."""

import asyncio
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import text

from premier.db import Database
from tests.helpers import hotel_date, make_room_type, make_user
from tests.live_server import live_server

CLIENTS = 64
SEARCHES_EACH = 40


async def _book_night(database: Database, room_type: int, guest: int, day: int) -> None:
    check_in = hotel_date(day)
    async with database.writing() as session:
        room = await session.scalar(
            text("SELECT id FROM rooms WHERE room_type_id = :t ORDER BY id LIMIT 1"),
            {"t": room_type},
        )
        await session.execute(
            text(
                "INSERT INTO bookings (reference, guest_id, room_id, room_type_id, check_in,"
                " check_out, guests, status, total_amount, currency, special_requests,"
                " created_by_id, created_at, updated_at) VALUES (:ref, :g, :r, :t, :ci, :co,"
                " 1, 'confirmed', 1, 'KES', '', :g, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {
                "ref": f"PH-L{day:04d}",
                "g": guest,
                "r": room,
                "t": room_type,
                "ci": check_in,
                "co": check_in + timedelta(days=1),
            },
        )
        await session.commit()


async def _hammer(url: str, database: Database, room_type: int, guest: int) -> list[int]:
    async def searcher(client: httpx.AsyncClient, n: int) -> list[int]:
        statuses = []
        for i in range(SEARCHES_EACH):
            check_in = hotel_date(10 + (n + i) % 20)
            response = await client.get(
                "/api/v1/rooms/availability",
                params={"check_in": str(check_in), "check_out": str(check_in + timedelta(1))},
            )
            statuses.append(response.status_code)
        return statuses

    async def booker() -> None:
        for day in range(10, 30):
            await _book_night(database, room_type, guest, day)
            await asyncio.sleep(0)

    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        done = await asyncio.wait_for(
            # A guard against a hang, not a speed target: a busy machine takes its time.
            asyncio.gather(booker(), *(searcher(client, n) for n in range(CLIENTS))),
            240,
        )
        after = await client.get(
            "/api/v1/rooms/availability",
            params={"check_in": str(hotel_date(10)), "check_out": str(hotel_date(30))},
        )
    assert after.json()["options"] == [], "a night every room holds cannot be offered"
    return [status for statuses in done[1:] for status in statuses]


@pytest.mark.timeout(300)
def test_searches_under_load_while_another_process_books(database_url: str) -> None:
    database = Database(database_url)

    async def run(url: str) -> list[int]:
        try:
            room_type = await make_room_type(database, rooms=1)
            guest = await make_user(database, email="loaded@example.com")
            return await _hammer(url, database, room_type, guest)
        finally:
            await database.dispose()

    env = {"PREMIER_SEED_DEMO_DATA": "false", "PREMIER_RUN_WORKERS_IN_PROCESS": "false"}
    with live_server(database_url, env=env) as server:
        statuses = asyncio.run(run(server.url))
    assert statuses == [200] * (CLIENTS * SEARCHES_EACH)
