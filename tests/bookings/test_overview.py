"""A booking's page in one answer: the stay, its guest, payments, requests, conversations
and history, each shown only to who may read it."""

from typing import Any

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import pay_cash, signed_in, stay_and_desk
from tests.messaging.helpers import open_conversation


async def _busy_stay(
    client: httpx.AsyncClient, database: Database
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """A checked-in stay with a cash payment, a request and a conversation about it."""
    guest, stay, desk = await stay_and_desk(client, database)
    await pay_cash(client, desk, stay["id"], 500_000)
    asked = await client.post(
        "/api/v1/service-requests",
        json={"kind": "housekeeping", "description": "Two more towels", "booking_id": stay["id"]},
        headers=guest,
    )
    assert asked.status_code == 201, asked.text
    await open_conversation(client, guest, booking_id=stay["id"])
    return stay, guest, desk


async def test_the_front_desk_sees_the_whole_stay_and_its_history_on_one_page(
    client: httpx.AsyncClient, database: Database
) -> None:
    stay, _, desk = await _busy_stay(client, database)
    response = await client.get(f"/api/v1/bookings/{stay['id']}/overview", headers=desk)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["booking"]["reference"] == stay["reference"]
    assert page["booking"]["status"] == "checked_in"
    assert page["guest"]["id"] == stay["guest_id"]
    assert page["guest"]["phone"] == "+254712345678"
    assert [p["amount"] for p in page["payments"]["items"]] == [500_000]
    assert [r["description"] for r in page["service_requests"]["items"]] == ["Two more towels"]
    assert [c["booking_id"] for c in page["conversations"]["items"]] == [stay["id"]]
    history = [(e["resource"], e["action"]) for e in page["history"]]
    # Newest first: the request, the payment, the arrival, the booking itself.
    assert history == [
        ("service-requests", "create"),
        ("payments", "cash"),
        ("bookings", "check-in"),
        ("bookings", "create"),
    ]
    assert all(e["actor_name"] for e in page["history"])


async def test_the_guest_sees_their_own_stay_without_its_history(
    client: httpx.AsyncClient, database: Database
) -> None:
    stay, guest, _ = await _busy_stay(client, database)
    page = (await client.get(f"/api/v1/bookings/{stay['id']}/overview", headers=guest)).json()
    assert page["booking"]["id"] == stay["id"]
    assert len(page["payments"]["items"]) == 1
    assert len(page["service_requests"]["items"]) == 1
    assert len(page["conversations"]["items"]) == 1
    assert page["history"] is None


async def test_another_guest_guessing_the_booking_id_finds_nothing(
    client: httpx.AsyncClient, database: Database
) -> None:
    stay, _, _ = await _busy_stay(client, database)
    _, stranger = await signed_in(client, database)
    response = await client.get(f"/api/v1/bookings/{stay['id']}/overview", headers=stranger)
    assert response.status_code == 404
    assert "not found" in response.json()["error"]["message"]


async def test_each_seat_sees_only_the_parts_it_may_read(
    client: httpx.AsyncClient, database: Database
) -> None:
    stay, _, _ = await _busy_stay(client, database)
    url = f"/api/v1/bookings/{stay['id']}/overview"
    _, concierge = await signed_in(
        client, database, role=Role.STAFF, department=Department.CONCIERGE
    )
    page = (await client.get(url, headers=concierge)).json()
    assert page["payments"] is None and page["history"] is None
    # The towels are housekeeping's, the conversation the front desk's.
    assert page["service_requests"]["items"] == []
    assert page["conversations"]["items"] == []
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    page = (await client.get(url, headers=manager)).json()
    assert len(page["payments"]["items"]) == 1 and len(page["history"]) == 4
    for department in (Department.KITCHEN, Department.HOUSEKEEPING, Department.MAINTENANCE):
        _, staff = await signed_in(client, database, role=Role.STAFF, department=department)
        assert (await client.get(url, headers=staff)).status_code == 403
