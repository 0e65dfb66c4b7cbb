import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import (
    checked_in_stay,
    hotel_date,
    make_menu_item,
    make_room_type,
    signed_in,
)


async def test_guest_orders_to_their_room_and_the_kitchen_moves_it(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    tea = await make_menu_item(database, price=30_000)
    cake = await make_menu_item(database, price=45_000, name="Cake")
    placed = await client.post(
        "/api/v1/orders",
        json={"items": [{"menu_item_id": tea, "quantity": 2},
                        {"menu_item_id": cake, "quantity": 1}], "notes": "no sugar"},
        headers=guest,
    )  # fmt: skip
    assert placed.status_code == 201
    order = placed.json()
    assert order["room_number"] == stay["room_number"]
    assert order["total_amount"] == 105_000
    assert [i["line_total"] for i in order["items"]] == [60_000, 45_000]

    _, cook = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    board = (await client.get("/api/v1/orders?status=placed", headers=cook)).json()
    assert [o["id"] for o in board["items"]] == [order["id"]]
    url = f"/api/v1/orders/{order['id']}/status"
    for status in ("preparing", "ready", "delivered"):
        moved = await client.post(url, json={"status": status}, headers=cook)
        assert moved.status_code == 200
        assert moved.json()["status"] == status
    mine = await client.get(f"/api/v1/orders/{order['id']}", headers=guest)
    assert mine.json()["status"] == "delivered"


async def test_order_status_can_only_move_forward(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    await checked_in_stay(client, database, guest)
    item = await make_menu_item(database)
    order = (
        await client.post(
            "/api/v1/orders", json={"items": [{"menu_item_id": item, "quantity": 1}]},
            headers=guest,
        )
    ).json()  # fmt: skip
    _, cook = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    url = f"/api/v1/orders/{order['id']}/status"
    skipped = await client.post(url, json={"status": "delivered"}, headers=cook)
    assert skipped.status_code == 409
    assert skipped.json()["error"]["details"]["allowed"] == ["preparing", "cancelled"]
    # Guests may cancel before the kitchen starts, not after; they never move orders on.
    assert (await client.post(url, json={"status": "preparing"}, headers=guest)).status_code == 403
    await client.post(url, json={"status": "preparing"}, headers=cook)
    assert (await client.post(url, json={"status": "cancelled"}, headers=guest)).status_code == 409


async def test_guests_see_only_their_orders_and_housekeeping_cannot_cook(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, alice = await signed_in(client, database)
    _, bob = await signed_in(client, database)
    await checked_in_stay(client, database, alice)
    item = await make_menu_item(database)
    order = (
        await client.post(
            "/api/v1/orders", json={"items": [{"menu_item_id": item, "quantity": 1}]},
            headers=alice,
        )
    ).json()  # fmt: skip
    assert (await client.get(f"/api/v1/orders/{order['id']}", headers=bob)).status_code == 404
    assert (await client.get("/api/v1/orders", headers=bob)).json()["total"] == 0
    _, maid = await signed_in(client, database, role=Role.STAFF, department=Department.HOUSEKEEPING)
    moved = await client.post(
        f"/api/v1/orders/{order['id']}/status", json={"status": "preparing"}, headers=maid
    )
    assert moved.status_code == 403


async def test_housekeeping_cannot_read_an_order_by_its_id(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    await checked_in_stay(client, database, guest)
    item = await make_menu_item(database)
    body = {"items": [{"menu_item_id": item, "quantity": 1}]}
    order = (await client.post("/api/v1/orders", json=body, headers=guest)).json()
    _, maid = await signed_in(client, database, role=Role.STAFF, department=Department.HOUSEKEEPING)
    assert (await client.get("/api/v1/orders", headers=maid)).status_code == 403
    assert (await client.get(f"/api/v1/orders/{order['id']}", headers=maid)).status_code == 403
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    assert (await client.get(f"/api/v1/orders/{order['id']}", headers=desk)).status_code == 200


async def test_a_guest_cannot_order_to_a_room_they_do_not_occupy(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, resident = await signed_in(client, database)
    occupied = await checked_in_stay(client, database, resident)
    _, other = await signed_in(client, database)
    item = await make_menu_item(database)
    lines = [{"menu_item_id": item, "quantity": 1}]
    # No stay of their own: not to someone else's room, and not to no room at all.
    to_their_room = {"items": lines, "room_number": occupied["room_number"]}
    for body in (to_their_room, {"items": lines}):
        refused = await client.post("/api/v1/orders", json=body, headers=other)
        assert refused.status_code == 409, body
        assert refused.json()["error"]["code"] == "no_current_stay"
    to_their_booking = {"items": lines, "booking_id": occupied["id"]}
    assert (
        await client.post("/api/v1/orders", json=to_their_booking, headers=other)
    ).status_code == 404
    # A stay of their own that has not begun is not a room to deliver to either.
    room_type = await make_room_type(database)
    arriving = {"room_type_id": room_type, "check_in": str(hotel_date(5)),
                "check_out": str(hotel_date(7))}  # fmt: skip
    booking = (await client.post("/api/v1/bookings", json=arriving, headers=other)).json()
    ahead = await client.post(
        "/api/v1/orders", json={"items": lines, "booking_id": booking["id"]}, headers=other
    )
    assert ahead.status_code == 409
    # Checked in, a guest names only their own room.
    mine = await checked_in_stay(client, database, other)
    wrong_room = {"items": lines, "room_number": occupied["room_number"]}
    assert (await client.post("/api/v1/orders", json=wrong_room, headers=other)).status_code == 409
    placed = await client.post("/api/v1/orders", json={"items": lines}, headers=other)
    assert placed.status_code == 201
    assert placed.json()["room_number"] == mine["room_number"]


async def test_bad_orders_are_refused(client: httpx.AsyncClient, database: Database) -> None:
    _, guest = await signed_in(client, database)
    gone = await make_menu_item(database, available=False)
    item = await make_menu_item(database)
    cases = [
        ({"items": []}, 422),
        ({"items": [{"menu_item_id": item, "quantity": 0}]}, 422),
        ({"items": [{"menu_item_id": item, "quantity": -2}]}, 422),
        ({"items": [{"menu_item_id": gone, "quantity": 1}]}, 422),
        ({"items": [{"menu_item_id": 987654, "quantity": 1}]}, 422),
        ({"items": [{"menu_item_id": item, "quantity": 1}] * 2}, 422),
        ({"items": [{"menu_item_id": item, "quantity": 1}], "booking_id": 987654}, 404),
    ]
    for body, expected in cases:
        response = await client.post("/api/v1/orders", json=body, headers=guest)
        assert response.status_code == expected, body
        assert response.json()["error"]["message"]


async def test_kitchen_manages_the_menu(client: httpx.AsyncClient, database: Database) -> None:
    _, cook = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    _, guest = await signed_in(client, database)
    body = {"name": "Samosa", "category": "Snacks", "price": 25_000, "currency": "KES"}
    assert (await client.post("/api/v1/menu", json=body, headers=guest)).status_code == 403
    created = await client.post("/api/v1/menu", json=body, headers=cook)
    assert created.status_code == 201
    hidden = await client.patch(
        f"/api/v1/menu/{created.json()['id']}", json={"is_available": False}, headers=cook
    )
    assert hidden.status_code == 200
    assert all(i["name"] != "Samosa" for i in (await client.get("/api/v1/menu")).json())
