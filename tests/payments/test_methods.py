"""Which ways to pay are offered, for what, and who may start which."""

from typing import Any

import aiohttp
import httpx

from premier.db import Database
from premier.payments.providers.build import build_providers
from premier.payments.settings import PaymentSettings
from premier.users.models import Department, Role
from tests.helpers import signed_in
from tests.payments.conftest import Fakes
from tests.payments.helpers import booking_to_pay, payment, start_payment


async def test_each_method_is_offered_in_a_currency_it_takes_with_the_rate_it_used(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    _, guest = await signed_in(client, database)
    answer = await client.get(
        "/api/v1/payments/methods", params={"currency": "KES", "amount": 2_000_050}, headers=guest
    )
    assert answer.status_code == 200, answer.text
    offered = {option["method"]: option for option in answer.json()}
    assert set(offered) == {"cash", "mpesa", "card", "stripe", "paypal", "flutterwave"}
    # M-Pesa takes whole shillings: rounded up, never down.
    assert (offered["mpesa"]["amount"], offered["mpesa"]["currency"]) == (2_000_100, "KES")
    assert offered["mpesa"]["needs_phone"] is True
    # Each comes with the name a guest knows it by, the one the receipt prints.
    assert (offered["mpesa"]["label"], offered["stripe"]["label"]) == ("M-Pesa", "Card")
    assert (offered["card"]["amount"], offered["card"]["fx_rate"]) == (2_000_050, None)
    assert (offered["paypal"]["currency"], offered["paypal"]["amount"]) == ("USD", 15_385)
    assert offered["paypal"]["fx_rate"] == "0.00769231"
    euros = await client.get(
        "/api/v1/payments/methods", params={"currency": "EUR", "amount": 10_000}, headers=guest
    )
    by_method = {option["method"]: option for option in euros.json()}
    # 100 euros at 140 shillings each.
    assert (by_method["mpesa"]["amount"], by_method["mpesa"]["currency"]) == (1_400_000, "KES")
    assert (by_method["paypal"]["amount"], by_method["paypal"]["currency"]) == (10_000, "EUR")
    bad = await client.get(
        "/api/v1/payments/methods", params={"currency": "XYZ", "amount": 1}, headers=guest
    )
    assert bad.status_code == 422


async def test_a_provider_without_credentials_is_not_offered() -> None:
    async with aiohttp.ClientSession() as http:
        providers = build_providers(
            settings=PaymentSettings(
                mpesa_consumer_key="key-only",
                stripe_secret_key="sk_test_no_webhook_secret",
                paypal_client_id="id-only",
                flutterwave_secret_key="FLWSECK_TEST-no-hash",
            ),
            http=http,
            hotel_name="Premier Hotel",
        )
        assert set(providers.by_name) == {"cash"}


async def test_a_guest_pays_only_their_own_bills_and_only_what_is_due(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    _, stranger = await signed_in(client, database)
    theirs = await start_payment(client, stranger, booking_id=booking["id"], method="card")
    assert theirs.status_code == 404
    too_much = await start_payment(
        client, guest, booking_id=booking["id"], method="card", amount=2_000_001
    )
    assert too_much.status_code == 422
    assert too_much.json()["error"]["details"]["due"] == 2_000_000
    cash = await start_payment(client, guest, booking_id=booking["id"], method="cash")
    assert cash.status_code == 403
    assert fakes.stripe.sessions == {}


async def test_the_front_desk_takes_cash_through_the_same_door_and_the_bill_is_then_paid(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    part = await start_payment(
        client, desk, booking_id=booking["id"], method="cash", amount=500_000
    )
    assert part.status_code == 201, part.text
    assert part.json()["status"] == "succeeded"
    rest = await start_payment(client, desk, booking_id=booking["id"], method="cash")
    assert rest.json()["amount"] == 1_500_000
    done = await start_payment(client, desk, booking_id=booking["id"], method="card")
    assert done.status_code == 409
    seen: dict[str, Any] = await payment(client, guest, rest.json()["id"])
    assert seen["payer_id"] == booking["guest_id"]
