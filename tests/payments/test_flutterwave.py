"""Flutterwave Standard against a fake Flutterwave: the hosted link, the verif-hash webhook
and the verify call that decides, refunds, and reconciliation by reference."""

import json
from datetime import timedelta
from typing import Any

import httpx

from premier.db import Database
from premier.kit.time import utcnow
from premier.payments.reconcile import Reconciler
from premier.users.models import Role
from tests.fakes.flutterwave import SECRET_HASH
from tests.helpers import signed_in
from tests.payments.conftest import Fakes
from tests.payments.helpers import booking_status, booking_to_pay, payment, start_payment

HOOK = "/api/v1/payments/webhooks/flutterwave"


async def flutterwave_link(
    client: httpx.AsyncClient, database: Database
) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
    guest, booking = await booking_to_pay(client, database)
    started = await start_payment(client, guest, booking_id=booking["id"], method="flutterwave")
    assert started.status_code == 201, started.text
    return guest, booking, started.json()


async def deliver(client: httpx.AsyncClient, body: bytes, secret: str = SECRET_HASH) -> int:
    response = await client.post(HOOK, content=body, headers={"verif-hash": secret})
    return response.status_code


async def test_a_guest_pays_on_flutterwaves_page_and_the_webhook_is_verified_first(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking, paying = await flutterwave_link(client, database)
    assert paying["redirect_url"].startswith("https://checkout.flutterwave.com/")
    link = fakes.flutterwave.links[paying["reference"]]
    assert (link["amount"], link["currency"]) == ("20000.00", "KES")
    _, body = fakes.flutterwave.pay(paying["reference"])
    assert await deliver(client, body) == 200
    assert fakes.flutterwave.verifications == 1
    assert (await payment(client, guest, paying["id"]))["status"] == "succeeded"
    assert await booking_status(client, guest, booking["id"]) == "confirmed"
    assert await deliver(client, body) == 200  # delivered again: acknowledged, nothing new


async def test_a_webhook_without_the_secret_hash_is_refused(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, _, paying = await flutterwave_link(client, database)
    _, body = fakes.flutterwave.pay(paying["reference"])
    assert await deliver(client, body, secret="guessed") == 401
    assert (await client.post(HOOK, content=body)).status_code == 401
    assert fakes.flutterwave.verifications == 0
    assert (await payment(client, guest, paying["id"]))["status"] == "pending"


async def test_a_replayed_webhook_with_a_changed_body_is_judged_by_flutterwaves_own_record(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, _, paying = await flutterwave_link(client, database)
    _, body = fakes.flutterwave.pay(paying["reference"], status="failed")
    tampered = json.loads(body)
    tampered["data"]["status"] = "successful"
    assert await deliver(client, json.dumps(tampered).encode()) == 200
    seen = await payment(client, guest, paying["id"])
    assert seen["status"] == "failed"
    assert "Declined" in seen["failure_reason"]


async def test_a_smaller_payment_than_asked_is_flagged_not_credited(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking, paying = await flutterwave_link(client, database)
    _, body = fakes.flutterwave.pay(paying["reference"], amount=200)
    assert await deliver(client, body) == 200
    seen = await payment(client, guest, paying["id"])
    assert seen["status"] == "pending"
    assert seen["flagged_reason"] == "paid KES 200.00, expected KES 20,000.00"
    flagged = await client.get("/api/v1/payments?flagged=true", headers=guest)
    assert flagged.json()["total"] == 1
    assert await booking_status(client, guest, booking["id"]) == "pending"


async def test_a_lost_webhook_is_healed_by_reconciliation(
    client: httpx.AsyncClient, database: Database, fakes: Fakes, app: Any
) -> None:
    guest, _, paying = await flutterwave_link(client, database)
    reconciler = Reconciler(
        database=database,
        providers=app.state.payments.providers,
        settings=app.state.settings.payments,
        clock=lambda: utcnow() + timedelta(minutes=5),
    )
    await reconciler.run_once()  # nothing paid yet: stays pending
    assert (await payment(client, guest, paying["id"]))["status"] == "pending"
    fakes.flutterwave.pay(paying["reference"])  # the webhook never arrives
    reconciler.clock = lambda: utcnow() + timedelta(minutes=10)
    await reconciler.run_once()
    assert (await payment(client, guest, paying["id"]))["status"] == "succeeded"


async def test_flutterwave_refunds_never_exceed_what_was_captured(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    _, _, paying = await flutterwave_link(client, database)
    tid, body = fakes.flutterwave.pay(paying["reference"])
    await deliver(client, body)
    url = f"/api/v1/payments/{paying['id']}/refund"
    full = await client.post(
        url, json={"amount": 2_000_000, "reason": "cancelled"}, headers=manager
    )
    assert full.status_code == 200, full.text
    assert full.json()["status"] == "refunded"
    assert fakes.flutterwave.transactions[tid]["refunded"] == 20_000.0
    more = await client.post(url, json={"amount": 1, "reason": "again"}, headers=manager)
    assert more.status_code == 409
