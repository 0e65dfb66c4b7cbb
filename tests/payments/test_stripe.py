"""Card payments through Stripe Checkout: the real adapter and the `stripe` package against a
fake Stripe that answers with Stripe's own example objects and signs webhooks as Stripe
does."""

import asyncio
import time
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from premier.app import create_app
from premier.config import Settings
from premier.db import Database
from premier.payments.models import Payment, PaymentEventRecord
from premier.users.models import Role
from tests.fakes.stripe import sign
from tests.helpers import signed_in
from tests.payments.conftest import Fakes
from tests.payments.helpers import (
    booking_status,
    booking_to_pay,
    notifications_of,
    payment,
    start_payment,
)

HOOK = "/api/v1/payments/webhooks/stripe"


async def deliver(client: httpx.AsyncClient, body: bytes, **sign_args: int) -> httpx.Response:
    return await client.post(
        HOOK,
        content=body,
        headers={"Stripe-Signature": sign(body, **sign_args), "Content-Type": "application/json"},
    )


async def _paid_at_stripe(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> tuple[dict[str, str], dict[str, Any], dict[str, Any], bytes]:
    """A guest's card payment for their booking, paid on Stripe's page: the guest, the
    booking, our payment, and the `checkout.session.completed` webhook Stripe sends."""
    guest, booking = await booking_to_pay(client, database)
    paying = (await start_payment(client, guest, booking_id=booking["id"], method="card")).json()
    [session_id] = fakes.stripe.sessions
    fakes.stripe.pay(session_id)
    body = fakes.stripe.session_event("checkout.session.completed", session_id)
    return guest, booking, paying, body


async def test_a_guest_pays_by_card_on_stripes_page_and_the_booking_is_confirmed(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    started = await start_payment(client, guest, booking_id=booking["id"], method="card")
    assert started.status_code == 201, started.text
    paying = started.json()
    assert paying["status"] == "pending"
    assert paying["next_action"] == "redirect"
    assert paying["redirect_url"].startswith("https://checkout.stripe.com/")
    assert (paying["amount"], paying["currency"]) == (booking["total_amount"], "KES")
    [session_id] = fakes.stripe.sessions
    assert fakes.stripe.sessions[session_id]["client_reference_id"] == paying["reference"]

    fakes.stripe.pay(session_id)
    body = fakes.stripe.session_event("checkout.session.completed", session_id)
    assert (await deliver(client, body)).status_code == 200

    paid = await payment(client, guest, paying["id"])
    assert paid["status"] == "succeeded"
    assert await booking_status(client, guest, booking["id"]) == "confirmed"
    assert await notifications_of(database, "payment.receipt") == 1


async def test_a_webhook_delivered_twice_credits_once(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, _, paying, body = await _paid_at_stripe(client, database, fakes)
    first, again = await deliver(client, body), await deliver(client, body)
    assert (first.status_code, again.status_code) == (200, 200)
    assert (await payment(client, guest, paying["id"]))["status"] == "succeeded"
    assert await notifications_of(database, "payment.receipt") == 1


async def test_one_event_delivered_many_times_at_once_is_stored_and_credited_once(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, _, paying, body = await _paid_at_stripe(client, database, fakes)
    answers = await asyncio.gather(*(deliver(client, body) for _ in range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    async with database.reading() as session:
        stored = await session.scalar(select(func.count()).select_from(PaymentEventRecord))
    assert stored == 1
    assert (await payment(client, guest, paying["id"]))["status"] == "succeeded"
    assert await notifications_of(database, "payment.receipt") == 1


async def test_a_webhook_answered_before_the_api_stopped_is_applied_by_another_process(
    client: httpx.AsyncClient, database: Database, fakes: Fakes, settings: Settings
) -> None:
    """The answer comes once the news is stored; applying it is the event dispatcher's
    work, which any process (here the app under test, as `premier worker` would) does."""
    guest, booking, paying, body = await _paid_at_stripe(client, database, fakes)
    stopping = create_app(settings)
    async with stopping.router.lifespan_context(stopping):
        transport = httpx.ASGITransport(app=stopping)
        async with httpx.AsyncClient(transport=transport, base_url="http://hotel.test") as api:
            assert (await deliver(api, body)).status_code == 200
    async with database.reading() as session:
        waiting = await session.scalar(select(Payment.status).where(Payment.id == paying["id"]))
    assert waiting == "pending"
    assert (await payment(client, guest, paying["id"]))["status"] == "succeeded"
    assert await booking_status(client, guest, booking["id"]) == "confirmed"


async def test_a_forged_or_replayed_webhook_is_refused(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    paying = (await start_payment(client, guest, booking_id=booking["id"], method="card")).json()
    [session_id] = fakes.stripe.sessions
    body = fakes.stripe.session_event(
        "checkout.session.completed", session_id, payment_status="paid", status="complete"
    )
    forged = await client.post(
        HOOK, content=body, headers={"Stripe-Signature": sign(body, secret="whsec_guess")}
    )
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "invalid_signature"
    unsigned = await client.post(HOOK, content=body)
    assert unsigned.status_code == 401
    replayed = await deliver(client, body, timestamp=int(time.time()) - 3600)
    assert replayed.status_code == 401
    assert (await payment(client, guest, paying["id"]))["status"] == "pending"


async def test_a_declined_card_fails_then_a_second_card_pays(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    paying = (await start_payment(client, guest, booking_id=booking["id"], method="card")).json()
    [session_id] = fakes.stripe.sessions
    declined = fakes.stripe.intent_failed_event(session_id, "Your card was declined.")
    assert (await deliver(client, declined)).status_code == 200
    failed = await payment(client, guest, paying["id"])
    assert failed["status"] == "failed"
    assert failed["failure_reason"] == "Your card was declined."
    assert await notifications_of(database, "payment.failed") == 1

    fakes.stripe.pay(session_id)
    body = fakes.stripe.session_event("checkout.session.completed", session_id)
    assert (await deliver(client, body)).status_code == 200
    assert (await payment(client, guest, paying["id"]))["status"] == "succeeded"


async def test_events_out_of_order_end_where_they_would_in_order(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    paying = (await start_payment(client, guest, booking_id=booking["id"], method="card")).json()
    [session_id] = fakes.stripe.sessions
    fakes.stripe.pay(session_id)
    paid = fakes.stripe.session_event("checkout.session.completed", session_id)
    # An "open, unpaid" snapshot and an expiry sent before the payment arrive after it.
    stale = fakes.stripe.session_event(
        "checkout.session.completed", session_id, payment_status="unpaid", status="open"
    )
    expired = fakes.stripe.session_event("checkout.session.expired", session_id)
    declined = fakes.stripe.intent_failed_event(session_id, "Your card was declined.")
    for body in (paid, stale, expired, declined):
        assert (await deliver(client, body)).status_code == 200
    assert (await payment(client, guest, paying["id"]))["status"] == "succeeded"


async def test_a_payment_of_the_wrong_amount_is_flagged_to_managers_not_credited(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    await signed_in(client, database, role=Role.MANAGER)
    guest, booking = await booking_to_pay(client, database)
    paying = (await start_payment(client, guest, booking_id=booking["id"], method="card")).json()
    [session_id] = fakes.stripe.sessions
    fakes.stripe.pay(session_id)
    short = fakes.stripe.session_event("checkout.session.completed", session_id, amount_total=100)
    assert (await deliver(client, short)).status_code == 200
    other = fakes.stripe.session_event("checkout.session.completed", session_id, currency="usd")
    assert (await deliver(client, other)).status_code == 200
    seen = await payment(client, guest, paying["id"])
    assert seen["status"] == "pending"
    assert "expected KES 20,000.00" in seen["flagged_reason"]
    assert await booking_status(client, guest, booking["id"]) == "pending"
    assert await notifications_of(database, "payment.flagged") >= 1
    assert await notifications_of(database, "payment.receipt") == 0


async def test_a_manager_refunds_part_then_the_rest_and_never_more_than_captured(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    guest, booking = await booking_to_pay(client, database)
    paying = (await start_payment(client, guest, booking_id=booking["id"], method="card")).json()
    [session_id] = fakes.stripe.sessions
    fakes.stripe.pay(session_id)
    await deliver(client, fakes.stripe.session_event("checkout.session.completed", session_id))
    url = f"/api/v1/payments/{paying['id']}/refund"

    by_guest = await client.post(url, json={"amount": 100, "reason": "x"}, headers=guest)
    assert by_guest.status_code == 403
    part = await client.post(
        url,
        json={"amount": 500_000, "reason": "late check-in"},
        headers={**manager, "Idempotency-Key": "refund-one-part"},
    )
    assert part.status_code == 200, part.text
    assert (part.json()["status"], part.json()["refunded_amount"]) == (
        "partially_refunded",
        500_000,
    )
    again = await client.post(
        url,
        json={"amount": 500_000, "reason": "late check-in"},
        headers={**manager, "Idempotency-Key": "refund-one-part"},
    )
    assert again.json()["refunded_amount"] == 500_000
    too_much = await client.post(url, json={"amount": 1_600_000, "reason": "x"}, headers=manager)
    assert too_much.status_code == 409
    assert too_much.json()["error"]["details"]["refundable"] == 1_500_000
    rest = await client.post(url, json={"amount": 1_500_000, "reason": "goodwill"}, headers=manager)
    assert (rest.json()["status"], rest.json()["refunded_amount"]) == ("refunded", 2_000_000)
    [intent] = fakes.stripe.intents.values()
    assert intent["refunded"] == 2_000_000


async def test_stripe_down_during_start_is_retried_with_the_same_key_and_charges_once(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    fakes.stripe.failures = [500]
    key = uuid.uuid4().hex
    down = await start_payment(client, guest, key=key, booking_id=booking["id"], method="card")
    assert down.status_code == 503
    assert down.json()["error"]["code"] == "provider_unavailable"
    retried = await start_payment(client, guest, key=key, booking_id=booking["id"], method="card")
    assert retried.status_code == 201, retried.text
    again = await start_payment(client, guest, key=key, booking_id=booking["id"], method="card")
    assert again.json() == retried.json()
    assert len(fakes.stripe.sessions) == 1
    listed = (await client.get("/api/v1/payments", headers=guest)).json()
    assert listed["total"] == 1


async def test_one_key_sent_many_times_at_once_starts_one_payment(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    key = uuid.uuid4().hex
    answers = await asyncio.gather(
        *(
            start_payment(client, guest, key=key, booking_id=booking["id"], method="card")
            for _ in range(8)
        )
    )
    codes = sorted(a.status_code for a in answers)
    assert set(codes) <= {201, 409}, [a.text for a in answers]
    firsts = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(firsts) == 1
    assert len(fakes.stripe.sessions) == 1
    assert (await client.get("/api/v1/payments", headers=guest)).json()["total"] == 1


async def test_a_key_reused_for_another_request_is_refused(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    key = uuid.uuid4().hex
    first = await start_payment(client, guest, key=key, booking_id=booking["id"], method="card")
    assert first.status_code == 201
    other = await start_payment(
        client, guest, key=key, booking_id=booking["id"], method="card", amount=1000
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    missing = await client.post(
        "/api/v1/payments", json={"booking_id": booking["id"], "method": "card"}, headers=guest
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "idempotency_key_required"
