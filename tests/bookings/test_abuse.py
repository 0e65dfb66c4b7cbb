"""Bookings that hold rooms nobody will use: the pending cap, the hold that expires, and
cancelling after arrival."""

import json
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from premier.bookings.expiry import BookingExpiry
from premier.config import Settings
from premier.db import Database
from premier.events.models import OutboxEvent
from premier.kit.time import utcnow
from premier.users.models import Department, Role
from premier.worker.runtime import BackgroundWorkers
from tests.bookings.test_api import TODAY, booking_body
from tests.helpers import make_room_type, signed_in


async def _desk(client: httpx.AsyncClient, database: Database) -> dict[str, str]:
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    return desk


async def test_a_guest_cannot_hold_more_unconfirmed_bookings_than_the_cap(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    cap = settings.booking_max_pending_per_guest
    room_type = await make_room_type(database, rooms=cap + 3)
    guest_id, guest = await signed_in(client, database)
    made = [
        await client.post("/api/v1/bookings", json=booking_body(room_type), headers=guest)
        for _ in range(cap)
    ]
    assert [r.status_code for r in made] == [201] * cap
    refused = await client.post("/api/v1/bookings", json=booking_body(room_type), headers=guest)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "too_many_pending_bookings"
    assert error["details"] == {"pending": cap, "max_pending": cap}
    assert "unconfirmed" in error["message"]
    # Once the hotel confirms one, the guest may book again.
    desk = await _desk(client, database)
    confirmed = await client.post(f"/api/v1/bookings/{made[0].json()['id']}/confirm", headers=desk)
    assert confirmed.status_code == 200
    again = await client.post("/api/v1/bookings", json=booking_body(room_type), headers=guest)
    assert again.status_code == 201
    # The front desk booking for the guest is not capped: it confirms what it books.
    for_them = {**booking_body(room_type), "guest_id": guest_id}
    assert (await client.post("/api/v1/bookings", json=for_them, headers=desk)).status_code == 201


async def test_requests_racing_past_the_cap_are_refused_together(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    import asyncio

    cap = settings.booking_max_pending_per_guest
    room_type = await make_room_type(database, rooms=cap + 5)
    _, guest = await signed_in(client, database)
    answers = await asyncio.gather(
        *(
            client.post("/api/v1/bookings", json=booking_body(room_type), headers=guest)
            for _ in range(cap + 3)
        )
    )
    assert sorted(a.status_code for a in answers) == [201] * cap + [409] * 3


async def test_a_guest_cannot_cancel_on_or_after_the_arrival_date(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=2)
    _, guest = await signed_in(client, database)
    desk = await _desk(client, database)
    arriving = (
        await client.post("/api/v1/bookings", json=booking_body(room_type, start=0), headers=guest)
    ).json()
    await client.post(f"/api/v1/bookings/{arriving['id']}/confirm", headers=desk)
    late = await client.post(f"/api/v1/bookings/{arriving['id']}/cancel", headers=guest)
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "cancellation_closed"
    # The front desk still may, and a guest may cancel a stay that has not begun.
    by_desk = await client.post(f"/api/v1/bookings/{arriving['id']}/cancel", headers=desk)
    assert by_desk.json()["status"] == "cancelled"
    tomorrow = (
        await client.post("/api/v1/bookings", json=booking_body(room_type, start=1), headers=guest)
    ).json()
    early = await client.post(f"/api/v1/bookings/{tomorrow['id']}/cancel", headers=guest)
    assert early.status_code == 200


def _expiry(database: Database, settings: Settings, *, hours_later: float) -> BookingExpiry:
    """The expiry, with a one-hour hold, on a clock `hours_later` than now."""
    short = settings.model_copy(update={"booking_hold_hours": 1.0})
    return BookingExpiry(
        database=database,
        settings=short,
        clock=lambda: utcnow() + timedelta(hours=hours_later),
    )


async def _availability(client: httpx.AsyncClient, room_type: int) -> Any:
    check_in = TODAY + timedelta(days=7)
    response = await client.get(
        "/api/v1/rooms/availability",
        params={"check_in": str(check_in), "check_out": str(check_in + timedelta(days=2))},
    )
    options = {o["room_type"]["id"]: o for o in response.json()["options"]}
    return options.get(room_type)


async def test_unconfirmed_bookings_give_their_room_back_when_the_hold_runs_out(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    room_type = await make_room_type(database, rooms=2)
    _, guest = await signed_in(client, database)
    desk = await _desk(client, database)
    held = (
        await client.post("/api/v1/bookings", json=booking_body(room_type), headers=guest)
    ).json()
    kept = (
        await client.post("/api/v1/bookings", json=booking_body(room_type), headers=guest)
    ).json()
    await client.post(f"/api/v1/bookings/{kept['id']}/confirm", headers=desk)
    assert await _availability(client, room_type) is None

    assert await _expiry(database, settings, hours_later=0.5).expire_due() == 0
    assert await _expiry(database, settings, hours_later=1.01).expire_due() == 1
    # Run again (another worker process, the next tick): nothing is cancelled twice.
    assert await _expiry(database, settings, hours_later=2).expire_due() == 0

    expired = (await client.get(f"/api/v1/bookings/{held['id']}", headers=guest)).json()
    assert expired["status"] == "cancelled"
    assert expired["cancellation_reason"] == "not confirmed in time"
    still = (await client.get(f"/api/v1/bookings/{kept['id']}", headers=guest)).json()
    assert still["status"] == "confirmed"
    freed = await _availability(client, room_type)
    assert freed is not None and freed["available_rooms"] == 1
    async with database.reading() as session:
        changes = [
            json.loads(e.payload)
            for e in await session.scalars(
                select(OutboxEvent).where(OutboxEvent.event_type == "booking.status_changed")
            )
        ]
    assert [
        (c["status"], c["previous_status"]) for c in changes if c["booking_id"] == held["id"]
    ] == [("cancelled", "pending")]


async def test_the_background_workers_run_the_booking_expiry(
    app: Any, database: Database, settings: Settings
) -> None:
    workers = BackgroundWorkers(
        database=database, settings=settings, dispatcher=app.state.dispatcher
    )
    try:
        assert workers.booking_expiry.hold == timedelta(hours=settings.booking_hold_hours)
    finally:
        await workers.stop()
