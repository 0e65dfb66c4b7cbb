"""How many of a dish one order may ask for, and errors that say which dish is the trouble."""

import httpx

from premier.db import Database
from premier.orders.schemas import MAX_QUANTITY
from tests.helpers import checked_in_stay, make_menu_item, signed_in


async def test_an_order_over_the_limit_is_refused_naming_the_dish(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    await checked_in_stay(client, database, guest)
    tikka = await make_menu_item(database, name="Chicken Tikka")
    chai = await make_menu_item(database, name="Chai")
    lines = [{"menu_item_id": chai, "quantity": 2},
             {"menu_item_id": tikka, "quantity": MAX_QUANTITY + 1}]  # fmt: skip
    refused = await client.post("/api/v1/orders", json={"items": lines}, headers=guest)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["message"] == f"Only {MAX_QUANTITY} of Chicken Tikka can be ordered at once"
    assert error["details"] == {"menu_item_id": tikka, "max_quantity": MAX_QUANTITY}
    lines[1]["quantity"] = MAX_QUANTITY
    placed = await client.post("/api/v1/orders", json={"items": lines}, headers=guest)
    assert placed.status_code == 201, placed.text


async def test_an_unavailable_dish_is_named(client: httpx.AsyncClient, database: Database) -> None:
    _, guest = await signed_in(client, database)
    await checked_in_stay(client, database, guest)
    soup = await make_menu_item(database, name="Pumpkin Soup", available=False)
    chai = await make_menu_item(database, name="Chai")
    refused = await client.post(
        "/api/v1/orders",
        json={"items": [{"menu_item_id": chai, "quantity": 1},
                        {"menu_item_id": soup, "quantity": 1}]},
        headers=guest,
    )  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == "Pumpkin Soup is not available today"
    assert refused.json()["error"]["details"]["menu_item_ids"] == [soup]


async def test_the_menu_tells_the_web_ui_the_limit(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    await make_menu_item(database, name="Chai")
    menu = (await client.get("/api/v1/menu", headers=guest)).json()
    items = menu["items"] if isinstance(menu, dict) else menu
    assert {item["max_quantity"] for item in items} == {MAX_QUANTITY}
    schema = (await client.get("/openapi.json")).json()
    quantity = schema["components"]["schemas"]["OrderLine"]["properties"]["quantity"]
    assert quantity["maximum"] == MAX_QUANTITY
