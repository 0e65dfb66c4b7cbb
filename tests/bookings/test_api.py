import asyncio
from datetime import timedelta

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import check_out, hotel_date, make_room_type, signed_in

TODAY = hotel_date()


def booking_body(room_type_id: int, start: int = 7, nights: int = 2, **extra: object) -> dict:
    check_in = TODAY + timedelta(days=start)
    return {"room_type_id": room_type_id, "check_in": str(check_in),
            "check_out": str(check_in + timedelta(days=nights)), "guests": 1, **extra}  # fmt: skip


async def test_guest_books_and_sees_only_own_bookings(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3, base_rate=800_000)
    _, alice = await signed_in(client, database)
    _, bob = await signed_in(client, database)
    created = await client.post("/api/v1/bookings", json=booking_body(room_type), headers=alice)
    assert created.status_code == 201
    booking = created.json()
    assert booking["status"] == "pending"
    assert booking["total_amount"] == 1_600_000
    assert booking["reference"].startswith("PH-")
    await client.post("/api/v1/bookings", json=booking_body(room_type), headers=bob)

    mine = (await client.get("/api/v1/bookings", headers=alice)).json()
    assert mine["total"] == 1
    assert mine["items"][0]["id"] == booking["id"]
    # Another guest's booking does not exist, as far as Bob can tell.
    peek = await client.get(f"/api/v1/bookings/{booking['id']}", headers=bob)
    assert peek.status_code == 404
    cancel = await client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=bob)
    assert cancel.status_code == 404


async def test_front_desk_sees_everything_and_books_for_a_guest(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=2)
    guest_id, guest = await signed_in(client, database)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    _, cook = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    made = await client.post(
        "/api/v1/bookings", json=booking_body(room_type, guest_id=guest_id), headers=desk
    )
    assert made.status_code == 201
    assert made.json()["guest_id"] == guest_id
    listed = (await client.get("/api/v1/bookings", headers=guest)).json()
    assert listed["total"] == 1
    # A guest cannot book in somebody else's name; kitchen staff cannot book for guests.
    other = await client.post(
        "/api/v1/bookings", json=booking_body(room_type, guest_id=guest_id + 999), headers=guest
    )
    assert other.status_code == 403
    by_cook = await client.post(
        "/api/v1/bookings", json=booking_body(room_type, guest_id=guest_id), headers=cook
    )
    assert by_cook.status_code == 403


async def test_booking_lifecycle_through_the_front_desk(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=1)
    _, guest = await signed_in(client, database)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    booking = (
        await client.post("/api/v1/bookings", json=booking_body(room_type, start=0), headers=guest)
    ).json()
    url = f"/api/v1/bookings/{booking['id']}"
    # Guests cannot confirm or check themselves in.
    assert (await client.post(f"{url}/confirm", headers=guest)).status_code == 403
    assert (await client.post(f"{url}/check-out", headers=desk)).status_code == 409
    assert (await client.post(f"{url}/confirm", headers=desk)).json()["status"] == "confirmed"
    assert (await client.post(f"{url}/check-in", headers=desk)).json()["status"] == "checked_in"
    # A checked-in guest can no longer cancel.
    assert (await client.post(f"{url}/cancel", headers=guest)).status_code == 409
    done = await check_out(client, desk, booking["id"])
    assert done.json()["status"] == "checked_out"
    arrivals = await client.get(
        "/api/v1/bookings", params={"arriving_on": str(TODAY)}, headers=desk
    )
    assert [b["id"] for b in arrivals.json()["items"]] == [booking["id"]]


async def test_check_in_waits_for_the_arrival_date(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    _, guest = await signed_in(client, database)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    booking = (
        await client.post("/api/v1/bookings", json=booking_body(room_type, start=5), headers=guest)
    ).json()
    early = await client.post(f"/api/v1/bookings/{booking['id']}/check-in", headers=desk)
    assert early.status_code == 409


async def test_full_room_type_is_a_conflict_and_cancelling_frees_it(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=1)
    _, first = await signed_in(client, database)
    _, second = await signed_in(client, database)
    booked = await client.post("/api/v1/bookings", json=booking_body(room_type), headers=first)
    overlapping = booking_body(room_type, start=8, nights=3)
    refused = await client.post("/api/v1/bookings", json=overlapping, headers=second)
    assert refused.status_code == 409
    # The night the first guest leaves is free for the next.
    after = await client.post(
        "/api/v1/bookings", json=booking_body(room_type, start=9, nights=1), headers=second
    )
    assert after.status_code == 201
    cancelled = await client.post(
        f"/api/v1/bookings/{booked.json()['id']}/cancel",
        json={"reason": "plans changed"},
        headers=first,
    )
    assert cancelled.json()["cancellation_reason"] == "plans changed"
    again = await client.post(
        "/api/v1/bookings", json=booking_body(room_type, start=8, nights=1), headers=second
    )
    assert again.status_code == 201


async def test_two_guests_racing_for_the_last_room_one_wins(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=1)
    guests = [await signed_in(client, database) for _ in range(6)]
    responses = await asyncio.gather(
        *(
            client.post("/api/v1/bookings", json=booking_body(room_type), headers=headers)
            for _, headers in guests
        )
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 409, 409, 409, 409, 409]


async def test_bad_booking_input_gets_clear_errors(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, capacity=2)
    _, guest = await signed_in(client, database)
    cases = {
        "past": (booking_body(room_type, start=-3), 422),
        "backwards": (booking_body(room_type, nights=0), 422),
        "unknown room type": (booking_body(999_999), 404),
        "too many guests": (booking_body(room_type) | {"guests": 3}, 422),
        "negative guests": (booking_body(room_type) | {"guests": -1}, 422),
        "unknown field": (booking_body(room_type) | {"price": 1}, 422),
    }
    for name, (body, expected) in cases.items():
        response = await client.post("/api/v1/bookings", json=body, headers=guest)
        assert response.status_code == expected, name
        assert response.json()["error"]["message"], name
    not_json = await client.post(
        "/api/v1/bookings", content=b"{oops", headers={**guest, "content-type": "application/json"}
    )
    assert not_json.status_code == 422


async def test_staff_filters_and_paginates(client: httpx.AsyncClient, database: Database) -> None:
    room_type = await make_room_type(database, rooms=5)
    guest_id, _ = await signed_in(client, database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    for start in range(1, 6):
        body = {**booking_body(room_type, start=start, nights=1), "guest_id": guest_id}
        await client.post("/api/v1/bookings", json=body, headers=manager)
    page = (await client.get("/api/v1/bookings?limit=2&offset=2", headers=manager)).json()
    assert page["total"] == 5
    assert len(page["items"]) == 2
    assert page["items"][0]["check_in"] == str(TODAY + timedelta(days=3))
    none = (await client.get("/api/v1/bookings?status=checked_in", headers=manager)).json()
    assert none["total"] == 0
    bad = await client.get("/api/v1/bookings?status=teleported", headers=manager)
    assert bad.status_code == 422
    too_big = await client.get("/api/v1/bookings?limit=1000", headers=manager)
    assert too_big.status_code == 422


async def test_a_cancelled_booking_is_not_among_the_days_arrivals_or_departures(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    _, guest = await signed_in(client, database)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    coming, cancelled = [
        (
            await client.post(
                "/api/v1/bookings", json=booking_body(room_type, start=0), headers=guest
            )
        ).json()
        for _ in range(2)
    ]
    reason = {"reason": "plans changed"}
    gone = await client.post(
        f"/api/v1/bookings/{cancelled['id']}/cancel", json=reason, headers=desk
    )
    assert gone.json()["status"] == "cancelled"

    for day_filter, day in (("arriving_on", TODAY), ("departing_on", TODAY + timedelta(days=2)),
                            ("staying_on", TODAY)):  # fmt: skip
        listed = await client.get("/api/v1/bookings", params={day_filter: str(day)}, headers=desk)
        assert [b["id"] for b in listed.json()["items"]] == [coming["id"]], day_filter
        assert listed.json()["total"] == 1
    # Asked for by name, the cancelled booking is still there to be found.
    asked = await client.get(
        "/api/v1/bookings", params={"arriving_on": str(TODAY), "status": "cancelled"}, headers=desk
    )
    assert [b["id"] for b in asked.json()["items"]] == [cancelled["id"]]
