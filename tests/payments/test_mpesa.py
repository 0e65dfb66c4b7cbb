"""M-Pesa STK Push against a fake Daraja: the prompt, the unsigned callback on the payment's
own secret path confirmed by an STK query, and what happens when answers are lost."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from premier.db import Database
from premier.kit.time import utcnow
from premier.payments.reconcile import Reconciler
from tests.payments.conftest import PUBLIC_URL, Fakes
from tests.payments.helpers import (
    booking_status,
    booking_to_pay,
    notifications_of,
    payment,
    start_payment,
)


async def prompt(
    client: httpx.AsyncClient, database: Database, fakes: Fakes, **extra: Any
) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
    guest, booking = await booking_to_pay(client, database)
    started = await start_payment(
        client, guest, booking_id=booking["id"], method="mpesa", phone="0712345678", **extra
    )
    assert started.status_code == 201, started.text
    return guest, booking, started.json()


async def call_back(
    client: httpx.AsyncClient, fakes: Fakes, body: bytes, *, push: int = -1
) -> httpx.Response:
    path = fakes.daraja.pushes[push]["CallBackURL"].removeprefix(PUBLIC_URL)
    return await client.post(path, content=body, headers={"Content-Type": "application/json"})


async def test_the_guest_enters_their_pin_and_the_payment_is_confirmed_by_query(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking, paying = await prompt(client, database, fakes)
    assert paying["status"] == "processing"
    assert paying["next_action"] == "check_phone"
    [push] = fakes.daraja.pushes
    assert (push["PartyA"], push["PhoneNumber"], push["Amount"]) == ("254712345678",) * 2 + (
        20_000,
    )
    assert len(push["AccountReference"]) <= 12 and len(push["TransactionDesc"]) <= 13
    assert "mpesa" not in push["CallBackURL"]

    fakes.daraja.settle(push["CheckoutRequestID"], "0")
    answer = await call_back(
        client, fakes, fakes.daraja.callback_body(push["CheckoutRequestID"], "0")
    )
    assert answer.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}
    paid = await payment(client, guest, paying["id"])
    assert paid["status"] == "succeeded"
    assert await booking_status(client, guest, booking["id"]) == "confirmed"
    assert await notifications_of(database, "payment.receipt") == 1
    assert fakes.daraja.queries == 1

    again = await call_back(
        client, fakes, fakes.daraja.callback_body(push["CheckoutRequestID"], "0")
    )
    assert again.status_code == 200
    assert await notifications_of(database, "payment.receipt") == 1
    assert fakes.daraja.token_requests == 1  # one OAuth token, cached for push and queries


@pytest.mark.parametrize(
    ("code", "status", "told"),
    [
        ("1032", "cancelled", "You cancelled the payment on your phone."),
        ("1037", "failed", "We could not reach your phone"),
        ("2001", "failed", "The M-Pesa PIN was wrong."),
        ("1", "failed", "Your M-Pesa balance is not enough"),
        ("17", "failed", "M-Pesa did not complete the payment."),
    ],
)
async def test_a_prompt_that_does_not_pay_tells_the_guest_why(
    client: httpx.AsyncClient, database: Database, fakes: Fakes, code: str, status: str, told: str
) -> None:
    guest, booking, paying = await prompt(client, database, fakes)
    checkout = fakes.daraja.pushes[0]["CheckoutRequestID"]
    fakes.daraja.settle(checkout, code)
    await call_back(client, fakes, fakes.daraja.callback_body(checkout, code))
    seen = await payment(client, guest, paying["id"])
    assert seen["status"] == status
    assert seen["failure_reason"].startswith(told)
    assert await booking_status(client, guest, booking["id"]) == "pending"


async def test_a_forged_success_callback_is_not_believed(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, _, paying = await prompt(client, database, fakes)
    checkout = fakes.daraja.pushes[0]["CheckoutRequestID"]
    body = fakes.daraja.callback_body(checkout, "0")
    # On a path nobody was given: as if it did not exist.
    unknown = await client.post("/api/v1/payments/callbacks/guessed-secret", content=body)
    assert unknown.status_code == 404
    # On the right path before the guest has answered: M-Pesa says it is still processing.
    assert (await call_back(client, fakes, body)).status_code == 200
    assert (await payment(client, guest, paying["id"]))["status"] == "processing"
    # The guest cancelled, whatever the callback claims.
    fakes.daraja.settle(checkout, "1032")
    await call_back(client, fakes, body)
    assert (await payment(client, guest, paying["id"]))["status"] == "cancelled"
    assert await notifications_of(database, "payment.receipt") == 0


async def test_a_callback_about_another_payment_is_refused(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, _, first = await prompt(client, database, fakes)
    await prompt(client, database, fakes)
    other = fakes.daraja.pushes[1]["CheckoutRequestID"]
    fakes.daraja.settle(other, "0")
    refused = await call_back(client, fakes, fakes.daraja.callback_body(other, "0"), push=0)
    assert refused.status_code == 401
    assert (await payment(client, guest, first["id"]))["status"] == "processing"


async def test_a_push_whose_answer_is_lost_is_never_sent_again_and_heals_by_callback(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    fakes.daraja.push_failures = ["hang"]
    guest, booking = await booking_to_pay(client, database)
    body = {"booking_id": booking["id"], "method": "mpesa", "phone": "+254712345678"}
    first = await start_payment(client, guest, key="lost-answer-key", **body)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "processing"
    assert "could not confirm" in first.json()["message"]
    retry = await start_payment(client, guest, key="lost-answer-key", **body)
    assert retry.json() == first.json()
    assert len(fakes.daraja.pushes) == 1  # one prompt on the guest's phone, never two

    checkout = fakes.daraja.pushes[0]["CheckoutRequestID"]
    fakes.daraja.settle(checkout, "0")
    await call_back(client, fakes, fakes.daraja.callback_body(checkout, "0"))
    assert (await payment(client, guest, first.json()["id"]))["status"] == "succeeded"


async def test_daraja_refusing_the_push_fails_the_payment_without_a_second_push(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    fakes.daraja.push_failures = [500]
    guest, booking = await booking_to_pay(client, database)
    body = {"booking_id": booking["id"], "method": "mpesa", "phone": "0712345678"}
    first = await start_payment(client, guest, key="busy-daraja-key", **body)
    assert first.status_code == 201
    assert first.json()["status"] == "processing"
    await start_payment(client, guest, key="busy-daraja-key", **body)
    assert fakes.daraja.pushes == []


async def test_a_lost_callback_is_healed_by_reconciliation(
    client: httpx.AsyncClient, database: Database, fakes: Fakes, app: Any
) -> None:
    guest, booking, paying = await prompt(client, database, fakes)
    reconciler = Reconciler(
        database=database,
        providers=app.state.payments.providers,
        settings=app.state.settings.payments,
        clock=lambda: utcnow() + timedelta(minutes=5),
    )
    assert await reconciler.run_once() == 1  # still processing at M-Pesa: asked, unchanged
    assert (await payment(client, guest, paying["id"]))["status"] == "processing"
    fakes.daraja.settle(fakes.daraja.pushes[0]["CheckoutRequestID"], "0")
    reconciler.clock = lambda: utcnow() + timedelta(minutes=10)
    await reconciler.run_once()
    assert (await payment(client, guest, paying["id"]))["status"] == "succeeded"
    assert await booking_status(client, guest, booking["id"]) == "confirmed"


async def test_mpesa_takes_shillings_and_a_kenyan_phone(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    no_phone = await start_payment(client, guest, booking_id=booking["id"], method="mpesa")
    assert no_phone.status_code == 422
    foreign = await start_payment(
        client, guest, booking_id=booking["id"], method="mpesa", phone="+447700900123"
    )
    assert foreign.status_code == 422
    assert fakes.daraja.pushes == []
