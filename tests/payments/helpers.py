"""Bookings to pay for, and the calls a guest's browser and a provider make."""

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from premier.db import Database
from premier.notifications.models import Notification
from tests.helpers import hotel_date, make_room_type, signed_in


async def booking_to_pay(
    client: httpx.AsyncClient, database: Database, *, nightly: int = 1_000_000
) -> tuple[dict[str, str], dict[str, Any]]:
    """A guest and their pending booking of two nights (KES 20,000.00 by default)."""
    _, guest = await signed_in(client, database)
    room_type = await make_room_type(database, base_rate=nightly)
    start = hotel_date(10)
    response = await client.post(
        "/api/v1/bookings",
        json={
            "room_type_id": room_type,
            "check_in": str(start),
            "check_out": str(start + timedelta(days=2)),
        },
        headers=guest,
    )
    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["status"] == "pending"
    return guest, booking


async def start_payment(
    client: httpx.AsyncClient, headers: dict[str, str], *, key: str | None = None, **body: Any
) -> httpx.Response:
    return await client.post(
        "/api/v1/payments",
        json=body,
        headers={**headers, "Idempotency-Key": key or uuid.uuid4().hex},
    )


async def booking_status(
    client: httpx.AsyncClient, headers: dict[str, str], booking_id: int
) -> str:
    response = await client.get(f"/api/v1/bookings/{booking_id}", headers=headers)
    status: str = response.json()["status"]
    return status


async def payment(
    client: httpx.AsyncClient, headers: dict[str, str], payment_id: int
) -> dict[str, Any]:
    response = await client.get(f"/api/v1/payments/{payment_id}", headers=headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def notifications_of(database: Database, event_type: str) -> int:
    async with database.reading() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.event_type == event_type)
        )
        return int(count or 0)
