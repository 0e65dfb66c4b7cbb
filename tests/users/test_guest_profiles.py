"""The front desk adds a walk-in guest who has no account, then books for them."""

from datetime import timedelta

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import desk, hotel_date, make_room_type, signed_in

API = "/api/v1/users/guests"
WALK_IN = {"email": "Wanjiku.Walkin@Example.com", "full_name": "Wanjiku Mwangi",
           "phone": "+254 711 000 222"}  # fmt: skip


async def test_the_desk_adds_a_walk_in_and_books_a_room_for_her(
    client: httpx.AsyncClient, database: Database
) -> None:
    staff = await desk(client, database)
    made = await client.post(API, json=WALK_IN, headers=staff)
    assert made.status_code == 201, made.text
    guest = made.json()
    assert (guest["role"], guest["email"]) == ("guest", "wanjiku.walkin@example.com")
    room_type = await make_room_type(database, rooms=1)
    check_in = hotel_date(0)
    booking = await client.post(
        "/api/v1/bookings",
        json={"room_type_id": room_type, "guest_id": guest["id"], "check_in": str(check_in),
              "check_out": str(check_in + timedelta(days=1))},
        headers=staff,
    )  # fmt: skip
    assert booking.status_code == 201, booking.text
    assert booking.json()["guest_name"] == "Wanjiku Mwangi"

    again = await client.post(API, json=WALK_IN, headers=staff)
    assert again.status_code == 409
    assert again.json()["error"]["details"]["user_id"] == guest["id"]
    assert "book for them" in again.json()["error"]["message"]


async def test_only_the_desk_and_managers_add_guests_and_a_staff_email_is_not_told(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, kitchen = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    _, guest = await signed_in(client, database)
    for seat in (kitchen, guest):
        assert (await client.post(API, json=WALK_IN, headers=seat)).status_code == 403
    assert (await client.post(API, json=WALK_IN)).status_code == 401
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    assert (await client.post(API, json=WALK_IN, headers=manager)).status_code == 201
    staff = await desk(client, database)
    me = (await client.get("/api/v1/auth/me", headers=staff)).json()
    taken = await client.post(API, json={**WALK_IN, "email": me["email"]}, headers=staff)
    assert taken.status_code == 409
    assert taken.json()["error"]["details"]["user_id"] is None
    bad = await client.post(API, json={**WALK_IN, "phone": "call me"}, headers=staff)
    assert bad.status_code == 422
