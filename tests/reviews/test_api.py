import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import check_out, checked_in_stay, signed_in


async def test_guest_reviews_a_finished_stay_once_and_managers_read_it(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, other = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    body = {"booking_id": stay["id"], "rating": 5, "comment": "Lovely lake view"}
    early = await client.post("/api/v1/reviews", json=body, headers=guest)
    assert early.status_code == 409
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    await check_out(client, desk, stay["id"])
    assert (await client.post("/api/v1/reviews", json=body, headers=other)).status_code == 404
    created = await client.post("/api/v1/reviews", json=body, headers=guest)
    assert created.status_code == 201
    assert (await client.post("/api/v1/reviews", json=body, headers=guest)).status_code == 409
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    listed = (await client.get("/api/v1/reviews", headers=manager)).json()
    assert listed["items"][0]["comment"] == "Lovely lake view"
    assert (await client.get("/api/v1/reviews", headers=other)).json()["total"] == 0


async def test_rating_must_be_one_to_five(client: httpx.AsyncClient, database: Database) -> None:
    _, guest = await signed_in(client, database)
    for rating in (0, 6, "five"):
        response = await client.post(
            "/api/v1/reviews", json={"booking_id": 1, "rating": rating}, headers=guest
        )
        assert response.status_code == 422
