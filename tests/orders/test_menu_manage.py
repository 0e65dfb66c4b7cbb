"""The menu as the kitchen and managers keep it: dishes, categories, availability."""

import httpx

from premier.db import Database
from premier.orders.models import MenuItem
from premier.users.models import Department, Role
from tests.helpers import signed_in

DISH = {"name": "Pilau", "category": "Mains", "price": 120_000, "currency": "KES",
        "description": "Spiced rice"}  # fmt: skip


async def test_a_dish_sent_twice_is_created_once(
    client: httpx.AsyncClient, database: Database
) -> None:
    manager_id, manager = await signed_in(client, database, role=Role.MANAGER)
    first = await client.post("/api/v1/menu", json=DISH, headers=manager)
    again = await client.post("/api/v1/menu", json=DISH, headers=manager)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert len((await client.get("/api/v1/menu")).json()) == 1
    other_price = await client.post(
        "/api/v1/menu", json={**DISH, "name": "pilau", "price": 99}, headers=manager
    )
    assert other_price.status_code == 409
    assert other_price.json()["error"]["details"]["field"] == "name"
    async with database.reading() as session:
        row = await session.get(MenuItem, first.json()["id"])
        assert row is not None and row.created_by_id == manager_id


async def test_an_unavailable_dish_leaves_the_guests_menu_but_not_the_kitchens(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, kitchen = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    dish = (await client.post("/api/v1/menu", json=DISH, headers=kitchen)).json()
    off = await client.patch(f"/api/v1/menu/{dish['id']}", json={"is_available": False},
                             headers=kitchen)  # fmt: skip
    assert off.status_code == 200
    assert (await client.get("/api/v1/menu")).json() == []
    everything = await client.get("/api/v1/menu", params={"include_unavailable": True})
    assert [d["name"] for d in everything.json()] == ["Pilau"]


async def test_categories_are_counted_and_renamed(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    await client.post("/api/v1/menu", json=DISH, headers=manager)
    await client.post("/api/v1/menu", json={**DISH, "name": "Chips", "is_available": False},
                      headers=manager)  # fmt: skip
    await client.post("/api/v1/menu", json={**DISH, "name": "Chai", "category": "Drinks"},
                      headers=manager)  # fmt: skip
    categories = (await client.get("/api/v1/menu/categories")).json()
    assert categories == [
        {"name": "Drinks", "items": 1, "available": 1},
        {"name": "Mains", "items": 2, "available": 1},
    ]
    rename = {"name": "Mains", "new_name": "Main courses"}
    for _ in range(2):
        renamed = await client.post("/api/v1/menu/categories/rename", json=rename,
                                    headers=manager)  # fmt: skip
        assert renamed.status_code == 200
        assert renamed.json() == {"name": "Main courses", "items": 2, "available": 1}
    unknown = await client.post(
        "/api/v1/menu/categories/rename", json={"name": "Soups", "new_name": "Broths"},
        headers=manager,
    )  # fmt: skip
    assert unknown.status_code == 404
    _, guest = await signed_in(client, database)
    refused = await client.post("/api/v1/menu/categories/rename", json=rename, headers=guest)
    assert refused.status_code == 403


async def test_a_dish_photo_is_refused_until_the_server_stores_uploads_and_can_be_cleared(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    dish = (await client.post("/api/v1/menu", json=DISH, headers=manager)).json()
    assert dish["photo"] is None
    photo = await client.patch(f"/api/v1/menu/{dish['id']}", json={"photo_upload_id": 7},
                               headers=manager)  # fmt: skip
    assert photo.status_code == 422
    cleared = await client.patch(f"/api/v1/menu/{dish['id']}", json={"photo_upload_id": None},
                                 headers=manager)  # fmt: skip
    assert cleared.status_code == 200 and cleared.json()["photo"] is None
    bad_price = await client.patch(f"/api/v1/menu/{dish['id']}", json={"price": -1},
                                   headers=manager)  # fmt: skip
    assert bad_price.status_code == 422
    assert bad_price.json()["error"]["details"][0]["field"] == "body.price"
