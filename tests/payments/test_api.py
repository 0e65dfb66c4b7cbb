import httpx
import pytest

from premier.db import Database
from premier.kit.errors import Conflict
from premier.payments import status as machine
from premier.payments.models import Payment, PaymentStatus
from premier.users.models import Department, Role
from tests.helpers import checked_in_stay, signed_in


async def test_front_desk_records_cash_and_the_guest_sees_it(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, other = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    paid = await client.post(
        "/api/v1/payments/cash",
        json={"booking_id": stay["id"], "amount": stay["total_amount"], "currency": "KES"},
        headers=desk,
    )
    assert paid.status_code == 201
    payment = paid.json()
    assert payment["status"] == "succeeded"
    assert payment["method"] == "cash"
    assert payment["payer_id"] == stay["guest_id"]
    assert (await client.get("/api/v1/payments", headers=guest)).json()["total"] == 1
    assert (await client.get("/api/v1/payments", headers=other)).json()["total"] == 0
    peek = await client.get(f"/api/v1/payments/{payment['id']}", headers=other)
    assert peek.status_code == 404


async def test_cash_input_is_checked(client: httpx.AsyncClient, database: Database) -> None:
    _, guest = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    cases = [
        ({"booking_id": stay["id"], "amount": 0, "currency": "KES"}, 422),
        ({"booking_id": stay["id"], "amount": 100, "currency": "USD"}, 422),
        ({"booking_id": stay["id"], "amount": 100.5, "currency": "KES"}, 422),
        ({"amount": 100, "currency": "KES"}, 422),
        ({"booking_id": 424242, "amount": 100, "currency": "KES"}, 404),
    ]
    for body, expected in cases:
        response = await client.post("/api/v1/payments/cash", json=body, headers=desk)
        assert response.status_code == expected, body
    by_guest = await client.post(
        "/api/v1/payments/cash",
        json={"booking_id": stay["id"], "amount": 100, "currency": "KES"},
        headers=guest,
    )
    assert by_guest.status_code == 403


async def test_partial_then_full_refund(client: httpx.AsyncClient, database: Database) -> None:
    _, guest = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    payment = (
        await client.post(
            "/api/v1/payments/cash",
            json={"booking_id": stay["id"], "amount": 10_000, "currency": "KES"},
            headers=desk,
        )
    ).json()
    url = f"/api/v1/payments/{payment['id']}/refund"
    assert (
        await client.post(url, json={"amount": 100, "reason": "x"}, headers=desk)
    ).status_code == 403
    part = await client.post(
        url, json={"amount": 4_000, "reason": "late check-in"}, headers=manager
    )
    assert part.json()["status"] == "partially_refunded"
    too_much = await client.post(url, json={"amount": 7_000, "reason": "x"}, headers=manager)
    assert too_much.status_code == 409
    assert too_much.json()["error"]["details"]["refundable"] == 6_000
    rest = await client.post(url, json={"amount": 6_000, "reason": "goodwill"}, headers=manager)
    assert rest.json()["status"] == "refunded"
    assert rest.json()["refunded_amount"] == 10_000


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (PaymentStatus.PENDING, PaymentStatus.PROCESSING, True),
        (PaymentStatus.PROCESSING, PaymentStatus.SUCCEEDED, True),
        (PaymentStatus.SUCCEEDED, PaymentStatus.FAILED, False),
        (PaymentStatus.FAILED, PaymentStatus.SUCCEEDED, False),
        (PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED, False),
        (PaymentStatus.CANCELLED, PaymentStatus.PROCESSING, False),
    ],
)
def test_status_machine(start: PaymentStatus, target: PaymentStatus, allowed: bool) -> None:
    payment = Payment(status=start)
    if allowed:
        assert machine.move(payment, target) == start
        assert payment.status == target
    else:
        with pytest.raises(Conflict):
            machine.move(payment, target)
        assert payment.status == start
