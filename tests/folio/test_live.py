"""An open folio hears of every change to the bill: a charge posted or voided, an order
charged to the room, a payment."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import checked_in_stay, make_menu_item, signed_in
from tests.realtime.wsclient import serving, ws_client


@pytest.fixture
async def url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as base:
        yield base


def bearer(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def test_the_guests_open_folio_hears_charges_orders_and_payments(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    _, concierge = await signed_in(
        client, database, role=Role.STAFF, department=Department.CONCIERGE
    )
    channel = f"folio:{stay['id']}"
    async with (
        ws_client(f"{url}/api/v1/ws", token=bearer(guest)) as guest_ws,
        ws_client(f"{url}/api/v1/ws", token=bearer(concierge)) as concierge_ws,
    ):
        assert (await guest_ws.subscribe(channel))["type"] == "subscribed"
        # The concierge reads bookings, not what guests owe.
        assert (await concierge_ws.subscribe(channel))["type"] == "error"

        posted = await client.post(
            f"/api/v1/bookings/{stay['id']}/folio/charges",
            json={"category": "minibar", "description": "Juice", "unit_amount": 30_000},
            headers={**desk, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert posted.status_code == 201
        heard = await guest_ws.event("folio.changed")
        assert heard["data"]["change"] == "charge_posted"
        assert heard["data"]["balance_due"] == stay["total_amount"] + 30_000

        tea = await make_menu_item(database)
        await client.post(
            "/api/v1/orders",
            json={"items": [{"menu_item_id": tea, "quantity": 1}], "charge_to_room": True},
            headers=guest,
        )
        assert (await guest_ws.event("order.created"))["data"]["charge_to_room"] is True

        await client.post(
            "/api/v1/payments/cash",
            json={"booking_id": stay["id"], "amount": 100_000, "currency": "KES"},
            headers=desk,
        )
        paid = await guest_ws.event("payment.status_changed")
        assert paid["data"]["status"] == "succeeded"
