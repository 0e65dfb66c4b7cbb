"""Changes to a stay at the front desk: move, extend, early departure and no-show, each
re-priced, each checked against the rooms' other bookings."""

from datetime import timedelta

import httpx
import pytest

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import (
    board,
    booked,
    checked_in,
    desk,
    hotel_date,
    make_room_type,
    pay_cash,
    shift_stay,
    signed_in,
)

TODAY = hotel_date()
NIGHT = 1_000_000
SEATS: list[tuple[Role, Department | None]] = [
    (Role.GUEST, None),
    *[(Role.STAFF, d) for d in Department],
    (Role.MANAGER, None),
    (Role.ADMIN, None),
]


@pytest.fixture
async def front(client: httpx.AsyncClient, database: Database) -> dict[str, str]:
    return await desk(client, database)


async def rooms_of(client: httpx.AsyncClient, headers: dict[str, str], room_type: int) -> list:
    entries = (await board(client, headers)).values()
    return sorted((e for e in entries if e["room_type_id"] == room_type), key=lambda e: e["number"])


async def free_room(
    client: httpx.AsyncClient, headers: dict[str, str], room_type: int, *stays: dict
) -> dict:
    """The first room of the type none of these stays is in."""
    taken = {stay["room_id"] for stay in stays}
    return next(e for e in await rooms_of(client, headers, room_type) if e["room_id"] not in taken)


async def test_a_move_to_a_dearer_room_type_is_repriced_and_can_be_previewed(
    client: httpx.AsyncClient, database: Database, front: dict[str, str]
) -> None:
    standard = await make_room_type(database, base_rate=NIGHT)
    suite = await make_room_type(database, base_rate=3 * NIGHT // 2)
    booking = await booked(client, database, front, standard, start=3, nights=2)
    assert booking["total_amount"] == 2 * NIGHT
    target = (await rooms_of(client, front, suite))[0]
    url = f"/api/v1/bookings/{booking['id']}/move"

    preview = await client.post(
        url, json={"room_id": target["room_id"], "preview": True}, headers=front
    )
    assert preview.status_code == 200, preview.text
    assert preview.json()["applied"] is False
    assert preview.json()["booking"]["total_amount"] == 3 * NIGHT
    assert preview.json()["booking"]["room_number"] == target["number"]
    unchanged = (await client.get(f"/api/v1/bookings/{booking['id']}", headers=front)).json()
    assert unchanged["room_id"] == booking["room_id"]
    assert unchanged["total_amount"] == 2 * NIGHT

    moved = await client.post(url, json={"room_id": target["room_id"]}, headers=front)
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["applied"] is True
    assert body["previous_total_amount"] == 2 * NIGHT
    assert body["booking"]["total_amount"] == 3 * NIGHT
    assert body["booking"]["room_type_id"] == suite
    stored = (await client.get(f"/api/v1/bookings/{booking['id']}", headers=front)).json()
    assert stored["room_number"] == target["number"]
    assert stored["check_in"] == booking["check_in"]
    assert stored["check_out"] == booking["check_out"]


async def test_a_move_into_a_booked_or_closed_room_is_refused_and_says_why(
    client: httpx.AsyncClient, database: Database, front: dict[str, str]
) -> None:
    room_type = await make_room_type(database, rooms=3)
    first = await booked(client, database, front, room_type, start=5, nights=3)
    second = await booked(client, database, front, room_type, start=6, nights=2)
    assert first["room_id"] != second["room_id"]
    refused = await client.post(
        f"/api/v1/bookings/{first['id']}/move", json={"room_id": second["room_id"]},
        headers=front,
    )  # fmt: skip
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "room_booked"
    assert error["message"].startswith(f"Room {second['room_number']} is booked from ")
    assert error["details"]["check_in"] == second["check_in"]
    assert error["details"]["check_out"] == second["check_out"]

    _, manager = await signed_in(client, database, role=Role.MANAGER)
    spare = await free_room(client, front, room_type, first, second)
    await client.post(
        f"/api/v1/rooms/{spare['room_id']}/out-of-service", json={"reason": "New carpet"},
        headers=manager,
    )  # fmt: skip
    closed = await client.post(
        f"/api/v1/bookings/{first['id']}/move", json={"room_id": spare["room_id"]},
        headers=front,
    )  # fmt: skip
    assert closed.status_code == 409
    assert "out of service: New carpet" in closed.json()["error"]["message"]
    same = await client.post(
        f"/api/v1/bookings/{first['id']}/move", json={"room_id": first["room_id"]},
        headers=front,
    )  # fmt: skip
    assert same.status_code == 422


async def test_moving_a_guest_in_the_house_leaves_the_old_room_to_clean(
    client: httpx.AsyncClient, database: Database, front: dict[str, str]
) -> None:
    room_type = await make_room_type(database, rooms=2)
    stay = await checked_in(client, database, front, room_type)
    other = await free_room(client, front, room_type, stay)
    moved = await client.post(
        f"/api/v1/bookings/{stay['id']}/move", json={"room_id": other["room_id"]}, headers=front
    )
    assert moved.status_code == 200, moved.text
    # Same room type: the bill does not move.
    assert moved.json()["booking"]["total_amount"] == stay["total_amount"]
    now = await board(client, front)
    assert now[stay["room_number"]]["status"] == "vacant_dirty"
    assert now[other["number"]]["status"] == "occupied"
    tasks = await client.get(
        "/api/v1/service-requests", params={"kind": "housekeeping"}, headers=front
    )
    assert [t["room_number"] for t in tasks.json()["items"]] == [stay["room_number"]]


async def test_a_guest_moved_mid_stay_pays_the_new_rooms_price_from_today_on(
    client: httpx.AsyncClient, database: Database, front: dict[str, str]
) -> None:
    standard = await make_room_type(database, base_rate=NIGHT)
    suite = await make_room_type(database, base_rate=3 * NIGHT // 2)
    stay = await checked_in(client, database, front, standard, nights=3)
    await shift_stay(database, stay["id"], days=-1)  # one night behind them, two to go
    target = await free_room(client, front, suite)
    moved = await client.post(
        f"/api/v1/bookings/{stay['id']}/move", json={"room_id": target["room_id"]}, headers=front
    )
    assert moved.status_code == 200, moved.text
    # Last night in the standard room, tonight and tomorrow in the suite.
    assert moved.json()["booking"]["total_amount"] == NIGHT + 2 * (3 * NIGHT // 2)
    assert moved.json()["booking"]["status"] == "checked_in"


async def test_an_extension_adds_its_nights_at_their_price_unless_the_room_is_taken(
    client: httpx.AsyncClient, database: Database, front: dict[str, str]
) -> None:
    room_type = await make_room_type(database, base_rate=NIGHT)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    season = {"start_date": str(TODAY + timedelta(days=5)),
              "end_date": str(TODAY + timedelta(days=30)), "nightly_rate": 2 * NIGHT}  # fmt: skip
    rate = await client.post(f"/api/v1/rooms/types/{room_type}/rates", json=season, headers=manager)
    assert rate.status_code == 201, rate.text
    booking = await booked(client, database, front, room_type, start=3, nights=2)
    assert booking["total_amount"] == 2 * NIGHT  # nights 3 and 4, before the season
    url = f"/api/v1/bookings/{booking['id']}/extend"

    longer = await client.post(
        url, json={"check_out": str(TODAY + timedelta(days=7))}, headers=front
    )
    assert longer.status_code == 200, longer.text
    # Nights 5 and 6 are in the season.
    assert longer.json()["booking"]["total_amount"] == 2 * NIGHT + 2 * 2 * NIGHT
    assert longer.json()["booking"]["nights"] == 4

    shorter = await client.post(
        url, json={"check_out": str(TODAY + timedelta(days=6))}, headers=front
    )
    assert shorter.status_code == 422
    next_guest = await booked(client, database, front, room_type, start=8, nights=2)
    clash = await client.post(
        url, json={"check_out": str(TODAY + timedelta(days=9))}, headers=front
    )
    assert clash.status_code == 409
    assert clash.json()["error"]["message"].startswith(
        f"Room {next_guest['room_number']} is booked from "
    )
    # Up to the next guest's arrival is fine.
    fits = await client.post(url, json={"check_out": next_guest["check_in"]}, headers=front)
    assert fits.status_code == 200, fits.text


async def test_an_early_departure_checks_out_today_and_bills_the_nights_stayed(
    client: httpx.AsyncClient, database: Database, front: dict[str, str]
) -> None:
    room_type = await make_room_type(database, base_rate=NIGHT)
    stay = await checked_in(client, database, front, room_type, nights=4)
    await shift_stay(database, stay["id"], days=-2)  # arrived two nights ago, two to go
    url = f"/api/v1/bookings/{stay['id']}/early-departure"
    preview = await client.post(url, json={"preview": True}, headers=front)
    assert preview.json()["booking"]["total_amount"] == 2 * NIGHT
    assert preview.json()["applied"] is False

    await pay_cash(client, front, stay["id"], 2 * NIGHT)  # the bill at the new total
    left = await client.post(url, headers=front)
    assert left.status_code == 200, left.text
    body = left.json()
    assert body["previous_total_amount"] == 4 * NIGHT
    assert body["booking"]["total_amount"] == 2 * NIGHT
    assert body["booking"]["status"] == "checked_out"
    assert body["booking"]["check_out"] == str(TODAY)
    assert (await board(client, front))[stay["room_number"]]["status"] == "vacant_dirty"
    # The nights given back can be booked again.
    again = await booked(client, database, front, room_type, start=0, nights=2)
    assert again["room_id"] == stay["room_id"]
    twice = await client.post(url, headers=front)
    assert twice.status_code == 409


async def test_leaving_on_the_arrival_day_is_billed_one_night_and_the_last_day_is_not_early(
    client: httpx.AsyncClient, database: Database, front: dict[str, str]
) -> None:
    room_type = await make_room_type(database, base_rate=NIGHT)
    stay = await checked_in(client, database, front, room_type, nights=3)
    await pay_cash(client, front, stay["id"], NIGHT)
    left = await client.post(f"/api/v1/bookings/{stay['id']}/early-departure", headers=front)
    assert left.json()["booking"]["total_amount"] == NIGHT
    assert left.json()["booking"]["nights"] == 1

    due_today = await checked_in(client, database, front, room_type, nights=1)
    await shift_stay(database, due_today["id"], days=-1)
    refused = await client.post(
        f"/api/v1/bookings/{due_today['id']}/early-departure", headers=front
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_early"


async def test_a_confirmed_guest_who_never_came_is_a_no_show_and_frees_the_room(
    client: httpx.AsyncClient, database: Database, front: dict[str, str]
) -> None:
    room_type = await make_room_type(database, base_rate=NIGHT)
    booking = await booked(client, database, front, room_type, start=0, nights=3)
    url = f"/api/v1/bookings/{booking['id']}/no-show"
    early = await client.post(url, headers=front)
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "arrival_not_passed"
    await shift_stay(database, booking["id"], days=-1)  # the arrival day was yesterday

    marked = await client.post(url, headers=front)
    assert marked.status_code == 200, marked.text
    assert marked.json()["booking"]["status"] == "no_show"
    # The first night, held for them, is charged; the rest is not.
    assert marked.json()["booking"]["total_amount"] == NIGHT
    assert marked.json()["previous_total_amount"] == 3 * NIGHT
    walk_in = await booked(client, database, front, room_type, start=0, nights=2)
    assert walk_in["room_id"] == booking["room_id"]
    assert (await client.post(url, headers=front)).status_code == 409


async def test_a_pending_booking_is_not_a_no_show(
    client: httpx.AsyncClient, database: Database, front: dict[str, str]
) -> None:
    room_type = await make_room_type(database)
    guest_id, _ = await signed_in(client, database)
    body = {"room_type_id": room_type, "guest_id": guest_id, "check_in": str(TODAY),
            "check_out": str(TODAY + timedelta(days=2))}  # fmt: skip
    pending = (await client.post("/api/v1/bookings", json=body, headers=front)).json()
    await shift_stay(database, pending["id"], days=-1)
    refused = await client.post(f"/api/v1/bookings/{pending['id']}/no-show", headers=front)
    assert refused.status_code == 409


@pytest.mark.parametrize(("role", "department"), SEATS)
async def test_only_the_front_desk_and_managers_change_stays(
    client: httpx.AsyncClient,
    database: Database,
    front: dict[str, str],
    role: Role,
    department: Department | None,
) -> None:
    room_type = await make_room_type(database, rooms=3)
    staying = await checked_in(client, database, front, room_type, nights=3)
    missed = await booked(client, database, front, room_type, start=0, nights=2)
    await shift_stay(database, missed["id"], days=-1)
    spare = await free_room(client, front, room_type, staying, missed)
    _, headers = await signed_in(client, database, role=role, department=department)
    allowed = (department == Department.FRONT_DESK) or role in (Role.MANAGER, Role.ADMIN)
    preview = {"preview": True}
    calls = [
        (f"{staying['id']}/move", {"room_id": spare["room_id"], **preview}),
        (f"{staying['id']}/extend",
         {"check_out": str(TODAY + timedelta(days=5)), **preview}),
        (f"{staying['id']}/early-departure", preview),
        (f"{missed['id']}/no-show", preview),
    ]  # fmt: skip
    for path, body in calls:
        response = await client.post(f"/api/v1/bookings/{path}", json=body, headers=headers)
        assert response.status_code == (200 if allowed else 403), (path, response.text)
