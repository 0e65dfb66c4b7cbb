"""PayPal Orders v2 against a fake PayPal that validates every request body against PayPal's
OpenAPI request schemas: create, approve, capture, refund, verified webhooks."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from premier.db import Database
from premier.users.models import Role
from tests.helpers import signed_in
from tests.payments.conftest import Fakes
from tests.payments.helpers import booking_status, booking_to_pay, payment, start_payment

HOOK = "/api/v1/payments/webhooks/paypal"


async def paypal_order(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> tuple[dict[str, str], dict[str, Any], dict[str, Any], str]:
    guest, booking = await booking_to_pay(client, database)
    started = await start_payment(client, guest, booking_id=booking["id"], method="paypal")
    assert started.status_code == 201, started.text
    [order_id] = fakes.paypal.orders
    return guest, booking, started.json(), order_id


async def test_a_kes_bill_is_paid_in_dollars_at_the_hotels_rate_and_captured_on_approval(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking, paying, order_id = await paypal_order(client, database, fakes)
    # KES 20,000.00 at 130 shillings a dollar, rounded up to the cent.
    assert (paying["amount"], paying["currency"]) == (15_385, "USD")
    assert (paying["bill_amount"], paying["bill_currency"]) == (2_000_000, "KES")
    assert paying["fx_rate"] == "0.00769231" and paying["fx_rate_at"] is not None
    assert paying["redirect_url"].endswith(f"token={order_id}")
    unit = fakes.paypal.orders[order_id]["purchase_units"][0]
    assert unit["amount"] == {"currency_code": "USD", "value": "153.85"}

    fakes.paypal.approve(order_id)
    headers, body = fakes.paypal.webhook("CHECKOUT.ORDER.APPROVED", fakes.paypal.orders[order_id])
    assert (await client.post(HOOK, content=body, headers=headers)).status_code == 200
    paid = await payment(client, guest, paying["id"])
    assert paid["status"] == "succeeded"
    assert await booking_status(client, guest, booking["id"]) == "confirmed"
    # PayPal's own capture webhook follows, and changes nothing.
    capture = fakes.paypal.orders[order_id]["purchase_units"][0]["payments"]["captures"][0]
    headers, body = fakes.paypal.webhook("PAYMENT.CAPTURE.COMPLETED", capture)
    assert (await client.post(HOOK, content=body, headers=headers)).status_code == 200
    assert fakes.paypal.capture_calls == 1


async def test_a_guest_back_from_paypal_sees_the_payment_captured_without_a_webhook(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, _, paying, order_id = await paypal_order(client, database, fakes)
    fakes.paypal.approve(order_id)
    refreshed = await client.post(f"/api/v1/payments/{paying['id']}/refresh", headers=guest)
    assert refreshed.status_code == 200
    assert refreshed.json()["status"] == "succeeded"


async def test_forged_and_stale_paypal_webhooks_are_refused(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, _, paying, order_id = await paypal_order(client, database, fakes)
    fakes.paypal.approve(order_id)
    order = fakes.paypal.orders[order_id]
    headers, body = fakes.paypal.webhook("CHECKOUT.ORDER.APPROVED", order, forged=True)
    assert (await client.post(HOOK, content=body, headers=headers)).status_code == 401
    old = datetime.now(UTC) - timedelta(hours=1)
    headers, body = fakes.paypal.webhook("CHECKOUT.ORDER.APPROVED", order, when=old)
    assert (await client.post(HOOK, content=body, headers=headers)).status_code == 401
    assert (await client.post(HOOK, content=body)).status_code == 401
    assert fakes.paypal.capture_calls == 0
    assert (await payment(client, guest, paying["id"]))["status"] == "pending"


async def test_a_declined_capture_fails_the_payment(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, _, paying, order_id = await paypal_order(client, database, fakes)
    fakes.paypal.approve(order_id)
    fakes.paypal.decline.add(order_id)
    headers, body = fakes.paypal.webhook("CHECKOUT.ORDER.APPROVED", fakes.paypal.orders[order_id])
    assert (await client.post(HOOK, content=body, headers=headers)).status_code == 200
    failed = await payment(client, guest, paying["id"])
    assert failed["status"] == "failed"
    assert "PayPal declined" in failed["failure_reason"]


async def test_paypal_refunds_go_through_payments_v2_within_the_capture(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    _, _, paying, order_id = await paypal_order(client, database, fakes)
    fakes.paypal.approve(order_id)
    headers, body = fakes.paypal.webhook("CHECKOUT.ORDER.APPROVED", fakes.paypal.orders[order_id])
    await client.post(HOOK, content=body, headers=headers)
    url = f"/api/v1/payments/{paying['id']}/refund"
    part = await client.post(url, json={"amount": 5_000, "reason": "minibar"}, headers=manager)
    assert part.status_code == 200, part.text
    assert part.json()["refunded_amount"] == 5_000
    [capture] = fakes.paypal.captures.values()
    assert capture["refunded"] == "50.00"
    over = await client.post(url, json={"amount": 10_386, "reason": "x"}, headers=manager)
    assert over.status_code == 409
    assert over.json()["error"]["details"]["refundable"] == 10_385
