"""The room status board: a departure leaves the room dirty with a cleaning task,
housekeeping marks it cleaned, managers take rooms out of service, and every open board hears
of each change live."""

from datetime import timedelta

import httpx
import pytest

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import (
    board,
    booked,
    check_out,
    checked_in,
    desk,
    hotel_date,
    housekeeper,
    make_room_type,
    shift_stay,
    signed_in,
)

TODAY = hotel_date()
SEATS: list[tuple[Role, Department | None]] = [
    (Role.GUEST, None),
    *[(Role.STAFF, d) for d in Department],
    (Role.MANAGER, None),
    (Role.ADMIN, None),
]


async def test_check_out_leaves_the_room_dirty_with_a_task_and_cleaning_makes_it_ready(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    front = await desk(client, database)
    cleaner = await housekeeper(client, database)
    stay = await checked_in(client, database, front, room_type)
    room = stay["room_number"]
    assert (await board(client, front))[room]["status"] == "occupied"

    out = await check_out(client, front, stay["id"])
    assert out.status_code == 200, out.text
    dirty = (await board(client, cleaner))[room]
    assert dirty["status"] == "vacant_dirty"
    assert dirty["housekeeping"] == "dirty"
    # Housekeeping has the cleaning task among its requests.
    tasks = await client.get(
        "/api/v1/service-requests", params={"kind": "housekeeping"}, headers=cleaner
    )
    [task] = [t for t in tasks.json()["items"] if t["room_number"] == room]
    assert task["status"] == "open"
    assert task["booking_id"] == stay["id"]
    assert task["description"].startswith("Departure clean")

    cleaned = await client.post(f"/api/v1/rooms/{stay['room_id']}/clean", headers=cleaner)
    assert cleaned.status_code == 200, cleaned.text
    assert cleaned.json()["status"] == "vacant_clean"
    assert cleaned.json()["changed_by_name"]
    assert cleaned.json()["changed_at"]
    assert (await board(client, front))[room]["status"] == "vacant_clean"
    done = await client.get(f"/api/v1/service-requests/{task['id']}", headers=cleaner)
    assert done.json()["status"] == "done"


async def test_the_board_shows_todays_arrival_and_whether_its_room_is_ready(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    front = await desk(client, database)
    # Yesterday's guest leaves today; today's guest arrives in the same room.
    leaving = await checked_in(client, database, front, room_type, nights=1)
    await shift_stay(database, leaving["id"], days=-1)
    arriving = await booked(client, database, front, room_type)
    assert arriving["room_id"] == leaving["room_id"]
    room = leaving["room_number"]
    before = (await board(client, front))[room]
    assert before["status"] == "occupied"
    assert before["departure_today"] is True
    assert before["arrival"]["reference"] == arriving["reference"]
    assert before["arrival"]["ready"] is False

    await check_out(client, front, leaving["id"])
    assert (await board(client, front))[room]["arrival"]["ready"] is False
    await client.post(
        f"/api/v1/rooms/{leaving['room_id']}/clean", headers=await housekeeper(client, database)
    )
    after = (await board(client, front))[room]
    assert after["status"] == "vacant_clean"
    assert after["arrival"]["ready"] is True


async def test_a_manager_takes_a_room_out_of_service_with_a_reason_and_back(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=2)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    front = await desk(client, database)
    rooms = sorted((await board(client, front)).values(), key=lambda e: e["number"])
    mine = [e for e in rooms if e["room_type_id"] == room_type]
    room_id = mine[0]["room_id"]

    taken = await client.post(
        f"/api/v1/rooms/{room_id}/out-of-service", json={"reason": "Leaking tap"},
        headers=manager,
    )  # fmt: skip
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "out_of_service"
    assert taken.json()["out_of_service_reason"] == "Leaking tap"
    stay = {"check_in": str(TODAY + timedelta(days=3)), "check_out": str(TODAY + timedelta(4))}
    offered = (await client.get("/api/v1/rooms/availability", params=stay)).json()
    [option] = [o for o in offered["options"] if o["room_type"]["id"] == room_type]
    assert option["available_rooms"] == 1
    # A reason is required.
    bare = await client.post(
        f"/api/v1/rooms/{room_id}/out-of-service", json={"reason": ""}, headers=manager
    )
    assert bare.status_code == 422

    back = await client.delete(f"/api/v1/rooms/{room_id}/out-of-service", headers=manager)
    assert back.status_code == 200
    assert back.json()["status"] == "vacant_clean"
    assert back.json()["out_of_service_reason"] == ""

    # A room with a guest in it is not taken out of service under them.
    occupied = await checked_in(client, database, front, room_type)
    refused = await client.post(
        f"/api/v1/rooms/{occupied['room_id']}/out-of-service", json={"reason": "Paint"},
        headers=manager,
    )  # fmt: skip
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "room_occupied"


async def test_a_missing_room_is_not_found(client: httpx.AsyncClient, database: Database) -> None:
    cleaner = await housekeeper(client, database)
    assert (await client.post("/api/v1/rooms/99999/clean", headers=cleaner)).status_code == 404


@pytest.mark.parametrize(("role", "department"), SEATS)
async def test_who_may_read_the_board_clean_rooms_and_take_them_out_of_service(
    client: httpx.AsyncClient, database: Database, role: Role, department: Department | None
) -> None:
    await make_room_type(database)
    _, headers = await signed_in(client, database, role=role, department=department)
    manager = await signed_in(client, database, role=Role.MANAGER)
    room_id = next(iter((await board(client, manager[1])).values()))["room_id"]
    seat = department.value if department else role.value
    reads = seat in ("front_desk", "housekeeping", "maintenance", "manager", "admin")
    cleans = seat in ("housekeeping", "manager", "admin")
    manages = seat in ("manager", "admin")

    listed = await client.get("/api/v1/rooms/status", headers=headers)
    assert listed.status_code == (200 if reads else 403)
    cleaned = await client.post(f"/api/v1/rooms/{room_id}/clean", headers=headers)
    assert cleaned.status_code == (200 if cleans else 403)
    out = await client.post(
        f"/api/v1/rooms/{room_id}/out-of-service", json={"reason": "Broken window"},
        headers=headers,
    )  # fmt: skip
    assert out.status_code == (200 if manages else 403)
    back = await client.delete(f"/api/v1/rooms/{room_id}/out-of-service", headers=headers)
    assert back.status_code == (200 if manages else 403)
    if not reads:
        assert listed.json()["error"]["code"] == "permission_denied"


async def test_the_cleaning_task_is_the_hotels_and_not_the_departed_guests(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    front = await desk(client, database)
    guest_id, guest = await signed_in(client, database)
    body = {"room_type_id": room_type, "guest_id": guest_id, "check_in": str(TODAY),
            "check_out": str(TODAY + timedelta(days=1))}  # fmt: skip
    booking = (await client.post("/api/v1/bookings", json=body, headers=front)).json()
    for step in ("confirm", "check-in"):
        done = await client.post(f"/api/v1/bookings/{booking['id']}/{step}", headers=front)
        assert done.status_code == 200, done.text
    done = await check_out(client, front, booking["id"])
    assert done.status_code == 200, done.text
    [task] = (await client.get("/api/v1/service-requests", headers=front)).json()["items"]
    assert task["guest_id"] is None
    assert task["guest_name"] is None
    assert (await client.get("/api/v1/service-requests", headers=guest)).json()["total"] == 0
    cancel = await client.post(
        f"/api/v1/service-requests/{task['id']}/status", json={"status": "cancelled"},
        headers=guest,
    )  # fmt: skip
    assert cancel.status_code in (403, 404)


async def test_a_room_edited_out_of_service_shows_on_the_board_too(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_room_type(database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    [entry] = (await board(client, manager)).values()
    url = f"/api/v1/rooms/{entry['room_id']}"
    closed = await client.patch(url, json={"status": "out_of_service"}, headers=manager)
    assert closed.status_code == 200, closed.text
    assert (await board(client, manager))[entry["number"]]["status"] == "out_of_service"
    await client.patch(url, json={"status": "in_service"}, headers=manager)
    assert (await board(client, manager))[entry["number"]]["status"] == "vacant_clean"
