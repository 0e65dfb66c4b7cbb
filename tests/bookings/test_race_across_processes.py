"""The last room, wanted at once through two server processes sharing one database."""

import asyncio
from datetime import timedelta

import httpx

from premier.db import Database
from tests.helpers import PASSWORD, hotel_date, make_room_type, make_user
from tests.live_server import live_server

RACERS = 8


async def _prepare(database_url: str) -> tuple[int, list[str]]:
    database = Database(database_url)
    try:
        room_type = await make_room_type(database, rooms=1)
        emails = [f"racer{i}@example.com" for i in range(RACERS)]
        for email in emails:
            await make_user(database, email=email)
        return room_type, emails
    finally:
        await database.dispose()


async def _race(urls: list[str], room_type: int, emails: list[str]) -> list[int]:
    check_in = hotel_date(30)
    body = {"room_type_id": room_type, "check_in": str(check_in),
            "check_out": str(check_in + timedelta(days=2))}  # fmt: skip
    async with httpx.AsyncClient(timeout=30) as client:
        headers = []
        for i, email in enumerate(emails):
            login = await client.post(
                f"{urls[i % 2]}/api/v1/auth/login", json={"email": email, "password": PASSWORD}
            )
            headers.append({"Authorization": f"Bearer {login.json()['access_token']}"})
        responses = await asyncio.gather(
            *(
                client.post(f"{urls[i % 2]}/api/v1/bookings", json=body, headers=headers[i])
                for i in range(RACERS)
            )
        )
    return sorted(r.status_code for r in responses)


def test_two_processes_never_double_book(database_url: str) -> None:
    room_type, emails = asyncio.run(_prepare(database_url))
    env = {"PREMIER_SEED_DEMO_DATA": "false", "PREMIER_RUN_WORKERS_IN_PROCESS": "false"}
    with live_server(database_url, env=env) as first, live_server(database_url, env=env) as second:
        codes = asyncio.run(_race([first.url, second.url], room_type, emails))
    assert codes == [201] + [409] * (RACERS - 1)
