"""Every state change publishes a typed domain event, and only once it has committed."""

from datetime import timedelta
from typing import Any

import httpx

from premier import events
from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import hotel_date, make_menu_item, make_room_type, signed_in


def record_events(app: Any) -> list[events.DomainEvent]:
    seen: list[events.DomainEvent] = []

    async def remember(event: events.DomainEvent) -> None:
        seen.append(event)

    app.state.bus.subscribe(events.ALL, remember)
    return seen


async def test_state_changes_publish_typed_events(
    app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    item = await make_menu_item(database)
    _, guest = await signed_in(client, database)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    _, cook = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    seen = record_events(app)
    today = hotel_date()
    booking = (
        await client.post(
            "/api/v1/bookings",
            json={"room_type_id": room_type, "check_in": str(today),
                  "check_out": str(today + timedelta(days=1))},
            headers=guest,
        )
    ).json()  # fmt: skip
    await client.post(f"/api/v1/bookings/{booking['id']}/check-in", headers=desk)
    order = (
        await client.post(
            "/api/v1/orders", json={"items": [{"menu_item_id": item, "quantity": 1}]},
            headers=guest,
        )
    ).json()  # fmt: skip
    await client.post(
        f"/api/v1/orders/{order['id']}/status", json={"status": "preparing"}, headers=cook
    )
    await client.post(
        "/api/v1/payments/cash",
        json={"booking_id": booking["id"], "amount": 1000, "currency": "KES"},
        headers=desk,
    )
    await client.post(
        "/api/v1/service-requests",
        json={"kind": "housekeeping", "description": "Fresh towels"},
        headers=guest,
    )
    types = [e.type for e in seen]
    assert types[0] == "booking.created"
    expected = {
        "room.availability_changed",
        "booking.status_changed",
        "order.created",
        "order.status_changed",
        "payment.status_changed",
        "service_request.created",
    }
    assert expected <= set(types)
    check_in = next(e for e in seen if isinstance(e, events.BookingStatusChanged))
    assert (check_in.previous_status, check_in.status) == ("pending", "checked_in")
    assert f"user:{booking['guest_id']}" in check_in.channels()
    assert len({e.event_id for e in seen}) == len(seen)


async def test_refused_change_publishes_nothing(
    app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=1)
    _, guest = await signed_in(client, database)
    body = {"room_type_id": room_type, "check_in": str(hotel_date() + timedelta(days=3)),
            "check_out": str(hotel_date() + timedelta(days=4))}  # fmt: skip
    await client.post("/api/v1/bookings", json=body, headers=guest)
    seen = record_events(app)
    full = await client.post("/api/v1/bookings", json=body, headers=guest)
    assert full.status_code == 409
    assert seen == []


async def test_rolled_back_unit_of_work_delivers_nothing(app: Any, database: Database) -> None:
    seen = record_events(app)
    async with database.writing() as session:
        await events.emit(session, events.UserChanged(user_id=1))
        await session.rollback()
    assert seen == []
