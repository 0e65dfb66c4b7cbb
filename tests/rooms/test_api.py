from datetime import timedelta

import httpx

from premier.db import Database
from premier.users.models import Role
from tests.helpers import hotel_date, make_room_type, signed_in

TODAY = hotel_date()


def stay(start: int, nights: int) -> dict[str, str]:
    check_in = TODAY + timedelta(days=start)
    return {"check_in": str(check_in), "check_out": str(check_in + timedelta(days=nights))}


async def test_availability_lists_free_types_with_prices(
    client: httpx.AsyncClient, database: Database
) -> None:
    cheap = await make_room_type(database, rooms=2, base_rate=500_000)
    await make_room_type(database, rooms=1, capacity=1, base_rate=300_000)
    response = await client.get("/api/v1/rooms/availability", params={**stay(10, 3), "guests": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["nights"] == 3
    # The single room sleeps one, so only the double is offered to two guests.
    assert [o["room_type"]["id"] for o in body["options"]] == [cheap]
    option = body["options"][0]
    assert option["available_rooms"] == 2
    assert option["total_amount"] == 1_500_000
    assert len(option["nightly_rates"]) == 3


async def test_seasonal_rate_prices_the_nights_it_covers(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, base_rate=100_000)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    start = TODAY + timedelta(days=20)
    created = await client.post(
        f"/api/v1/rooms/types/{room_type}/rates",
        json={"start_date": str(start + timedelta(days=1)),
              "end_date": str(start + timedelta(days=2)), "nightly_rate": 250_000,
              "label": "festival"},
        headers=manager,
    )  # fmt: skip
    assert created.status_code == 201
    response = await client.get(
        "/api/v1/rooms/availability",
        params={"check_in": str(start), "check_out": str(start + timedelta(days=3))},
    )
    amounts = [n["amount"] for n in response.json()["options"][0]["nightly_rates"]]
    assert amounts == [100_000, 250_000, 100_000]


async def test_availability_refuses_bad_dates(client: httpx.AsyncClient) -> None:
    past = await client.get("/api/v1/rooms/availability", params=stay(-2, 1))
    assert past.status_code == 422
    assert "past" in past.json()["error"]["message"]
    backwards = await client.get(
        "/api/v1/rooms/availability",
        params={"check_in": str(TODAY + timedelta(days=5)),
                "check_out": str(TODAY + timedelta(days=4))},
    )  # fmt: skip
    assert backwards.status_code == 422
    garbage = await client.get(
        "/api/v1/rooms/availability", params={"check_in": "soon", "check_out": "later"}
    )
    assert garbage.status_code == 422
    assert garbage.json()["error"]["details"][0]["field"] == "query.check_in"


async def test_out_of_service_room_is_not_offered(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_room_type(database, rooms=1)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    rooms = (await client.get("/api/v1/rooms", headers=manager)).json()
    patched = await client.patch(
        f"/api/v1/rooms/{rooms[0]['id']}", json={"status": "out_of_service"}, headers=manager
    )
    assert patched.status_code == 200
    response = await client.get("/api/v1/rooms/availability", params=stay(3, 1))
    assert response.json()["options"] == []


async def test_only_management_edits_rooms(client: httpx.AsyncClient, database: Database) -> None:
    _, guest = await signed_in(client, database)
    body = {"code": "STE", "name": "Suite", "capacity": 4, "base_rate": 2_000_000,
            "currency": "KES"}  # fmt: skip
    assert (await client.post("/api/v1/rooms/types", json=body, headers=guest)).status_code == 403
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    created = await client.post("/api/v1/rooms/types", json=body, headers=admin)
    assert created.status_code == 201
    again = await client.post("/api/v1/rooms/types", json=body, headers=admin)
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    taken = await client.post(
        "/api/v1/rooms/types", json={**body, "name": "Another suite"}, headers=admin
    )
    assert taken.status_code == 409
    assert taken.json()["error"]["details"]["field"] == "code"
    negative = await client.post(
        "/api/v1/rooms/types", json={**body, "code": "X", "base_rate": -1}, headers=admin
    )
    assert negative.status_code == 422
    bad_currency = await client.post(
        "/api/v1/rooms/types", json={**body, "code": "Y", "currency": "XXX"}, headers=admin
    )
    assert bad_currency.status_code == 422
