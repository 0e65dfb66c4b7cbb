"""Managers change room types, rooms and rates; each change is safe to send twice, and a
refused one says in its JSON body which field is wrong."""

from datetime import timedelta

import httpx

from premier.db import Database
from premier.rooms.models import RoomType
from premier.users.models import Department, Role
from tests.helpers import hotel_date, make_room_type, signed_in

TYPE = {"code": "GDN", "name": "Garden room", "capacity": 2, "base_rate": 900_000,
        "currency": "KES", "amenities": ["wifi", "balcony"]}  # fmt: skip


async def test_a_manager_lists_withdrawn_room_types_and_guests_do_not_see_them(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    created = (await client.post("/api/v1/rooms/types", json=TYPE, headers=manager)).json()
    withdrawn = await client.patch(
        f"/api/v1/rooms/types/{created['id']}", json={"is_active": False}, headers=manager
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["is_active"] is False
    every = await client.get("/api/v1/rooms/types/all", headers=manager)
    assert [t["code"] for t in every.json()] == ["GDN"]
    assert (await client.get("/api/v1/rooms/types")).json() == []
    _, guest = await signed_in(client, database)
    assert (await client.get("/api/v1/rooms/types/all", headers=guest)).status_code == 403


async def test_a_room_type_records_who_created_and_changed_it(
    client: httpx.AsyncClient, database: Database
) -> None:
    manager_id, manager = await signed_in(client, database, role=Role.MANAGER)
    admin_id, admin = await signed_in(client, database, role=Role.ADMIN)
    created = (await client.post("/api/v1/rooms/types", json=TYPE, headers=manager)).json()
    await client.patch(
        f"/api/v1/rooms/types/{created['id']}",
        json={"description": "Opens onto the garden", "capacity": 3},
        headers=admin,
    )
    async with database.reading() as session:
        row = await session.get(RoomType, created["id"])
        assert row is not None
        assert (row.created_by_id, row.updated_by_id) == (manager_id, admin_id)
        assert (row.description, row.capacity) == ("Opens onto the garden", 3)


async def test_room_type_fields_are_checked_and_named(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    for body, field in (
        ({**TYPE, "code": "has space"}, "body.code"),
        ({**TYPE, "capacity": 0}, "body.capacity"),
        ({**TYPE, "base_rate": -5}, "body.base_rate"),
        ({**TYPE, "name": ""}, "body.name"),
    ):
        answer = await client.post("/api/v1/rooms/types", json=body, headers=manager)
        assert answer.status_code == 422, body
        assert answer.json()["error"]["details"][0]["field"] == field


async def test_rooms_are_added_renumbered_and_taken_out_of_service(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=0)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    body = {"number": "301", "floor": 3, "room_type_id": room_type}
    first = await client.post("/api/v1/rooms", json=body, headers=manager)
    again = await client.post("/api/v1/rooms", json=body, headers=manager)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = await client.post("/api/v1/rooms", json={**body, "floor": 4}, headers=manager)
    assert other.status_code == 409 and other.json()["error"]["details"]["field"] == "number"

    second = (
        await client.post("/api/v1/rooms", json={**body, "number": "302"}, headers=manager)
    ).json()
    clash = await client.patch(
        f"/api/v1/rooms/{second['id']}", json={"number": "301"}, headers=manager
    )
    assert clash.status_code == 409
    moved = await client.patch(
        f"/api/v1/rooms/{second['id']}",
        json={"number": "310", "floor": 3, "status": "out_of_service"},
        headers=manager,
    )
    assert moved.status_code == 200
    assert (moved.json()["number"], moved.json()["status"]) == ("310", "out_of_service")
    search = await client.get(
        "/api/v1/rooms/availability",
        params={"check_in": str(hotel_date(5)), "check_out": str(hotel_date(6))},
    )
    [option] = search.json()["options"]
    assert option["available_rooms"] == 1, "the room out of service is not offered"


async def test_seasonal_rates_are_added_once_changed_and_removed(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, base_rate=100_000)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    start = hotel_date(30)
    rate = {"start_date": str(start), "end_date": str(start + timedelta(days=2)),
            "nightly_rate": 150_000, "label": "high season"}  # fmt: skip
    url = f"/api/v1/rooms/types/{room_type}/rates"
    first = await client.post(url, json=rate, headers=manager)
    again = await client.post(url, json=rate, headers=manager)
    assert (first.status_code, again.status_code) == (201, 200)
    assert len((await client.get(url)).json()) == 1

    rate_id = first.json()["id"]
    backwards = await client.patch(
        f"/api/v1/rooms/rates/{rate_id}", json={"end_date": str(start)}, headers=manager
    )
    assert backwards.status_code == 422
    assert backwards.json()["error"]["details"]["field"] == "end_date"
    changed = await client.patch(
        f"/api/v1/rooms/rates/{rate_id}", json={"nightly_rate": 175_000}, headers=manager
    )
    assert changed.json()["nightly_rate"] == 175_000

    def prices() -> dict[str, str]:
        return {"check_in": str(start), "check_out": str(start + timedelta(days=1))}

    offered = (await client.get("/api/v1/rooms/availability", params=prices())).json()
    assert offered["options"][0]["total_amount"] == 175_000
    for _ in range(2):
        gone = await client.delete(f"/api/v1/rooms/rates/{rate_id}", headers=manager)
        assert gone.status_code == 204
    offered = (await client.get("/api/v1/rooms/availability", params=prices())).json()
    assert offered["options"][0]["total_amount"] == 100_000


async def test_only_management_changes_rates_and_galleries(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    for method, url, body in (
        ("PUT", f"/api/v1/rooms/types/{room_type}/gallery", {"upload_ids": []}),
        ("PATCH", "/api/v1/rooms/rates/1", {"nightly_rate": 1}),
        ("DELETE", "/api/v1/rooms/rates/1", None),
    ):
        answer = await client.request(method, url, json=body, headers=desk)
        assert answer.status_code == 403, url


async def test_a_gallery_is_empty_until_photos_are_linked_and_lists_each_photo_once(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    url = f"/api/v1/rooms/types/{room_type}/gallery"
    emptied = await client.put(url, json={"upload_ids": []}, headers=manager)
    assert emptied.status_code == 200 and emptied.json()["gallery"] == []
    twice = await client.put(url, json={"upload_ids": [4, 4]}, headers=manager)
    assert twice.status_code == 422
    missing = await client.put("/api/v1/rooms/types/999/gallery", json={"upload_ids": []},
                               headers=manager)  # fmt: skip
    assert missing.status_code == 404
