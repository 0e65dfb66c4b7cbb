"""Managers read who changed what and when; nothing else is recorded and nobody else reads it."""

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import desk, hotel_date, make_room_type, signed_in
from tests.messaging.helpers import open_conversation


async def test_a_booking_and_its_check_in_are_in_the_trail_with_who_made_them(
    client: httpx.AsyncClient, database: Database
) -> None:
    staff = await desk(client, database)
    clerk = (await client.get("/api/v1/auth/me", headers=staff)).json()
    guest_id, _ = await signed_in(client, database)
    room_type = await make_room_type(database, rooms=1)
    today = hotel_date(0)
    body = {"room_type_id": room_type, "guest_id": guest_id, "check_in": str(today),
            "check_out": str(hotel_date(1))}  # fmt: skip
    booking = (await client.post("/api/v1/bookings", json=body, headers=staff)).json()
    for step in ("confirm", "check-in"):
        assert (
            await client.post(f"/api/v1/bookings/{booking['id']}/{step}", headers=staff)
        ).is_success
    refused = await client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=staff)
    assert refused.status_code == 409  # refused changes are not changes
    await client.get("/api/v1/bookings", headers=staff)  # reading is not a change

    _, manager = await signed_in(client, database, role=Role.MANAGER)
    trail = await client.get(
        "/api/v1/audit",
        params={"resource": "bookings", "resource_id": booking["id"]},
        headers=manager,
    )
    assert trail.status_code == 200, trail.text
    entries = trail.json()["items"]
    assert [e["action"] for e in entries] == ["check-in", "confirm", "create"]
    assert {e["actor_id"] for e in entries} == {clerk["id"]}
    assert entries[0]["actor_name"] == clerk["full_name"]
    assert entries[-1]["path"] == "/api/v1/bookings" and entries[-1]["method"] == "POST"


async def test_only_managers_read_the_trail_and_sign_ins_are_not_in_it(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, kitchen = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    for seat in (guest, kitchen):
        assert (await client.get("/api/v1/audit", headers=seat)).status_code == 403
    assert (await client.get("/api/v1/audit")).status_code == 401
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    everything = (await client.get("/api/v1/audit", headers=admin)).json()["items"]
    assert not [e for e in everything if e["resource"] == "auth"]


async def test_typing_and_read_marks_leave_no_trail(
    client: httpx.AsyncClient, database: Database
) -> None:
    """A typing ping every few seconds would bury the changes managers look for."""
    _, guest = await signed_in(client, database)
    conversation = (await open_conversation(client, guest, subject="Towels"))["id"]
    typing = f"/api/v1/messages/conversations/{conversation}/typing"
    assert (await client.post(typing, json={}, headers=guest)).is_success
    await client.post("/api/v1/notifications/read-all", headers=guest)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    entries = (await client.get("/api/v1/audit", headers=manager)).json()["items"]
    mine = [e for e in entries if e["path"].startswith(("/api/v1/messages", "/api/v1/notif"))]
    assert [e["action"] for e in mine] == ["conversations"]


async def test_changes_answered_at_once_are_each_in_the_trail(
    client: httpx.AsyncClient, database: Database
) -> None:
    """Entries of changes answered together are written together; none is lost."""
    import asyncio

    staff = await desk(client, database)
    room_type = await make_room_type(database, rooms=12)
    guests = [(await signed_in(client, database))[0] for _ in range(12)]

    async def book(guest_id: int) -> int:
        body = {"room_type_id": room_type, "guest_id": guest_id, "check_in": str(hotel_date(3)),
                "check_out": str(hotel_date(4))}  # fmt: skip
        made = await client.post("/api/v1/bookings", json=body, headers=staff)
        assert made.status_code == 201, made.text
        return int(made.json()["id"])

    booked = await asyncio.gather(*(book(guest) for guest in guests))
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    trail = await client.get(
        "/api/v1/audit", params={"resource": "bookings", "limit": 50}, headers=manager
    )
    recorded = {e["resource_id"] for e in trail.json()["items"] if e["action"] == "create"}
    assert recorded == set(booked)
