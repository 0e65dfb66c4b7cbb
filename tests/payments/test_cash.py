"""Cash at the front desk: never more than is due, change when a larger note is handed
over, and a manager's void of a payment recorded by mistake."""

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from premier.db import Database
from premier.email.models import EmailQueue
from premier.payments.models import Payment, PaymentMethod, PaymentStatus
from premier.realtime.models import RealtimeEvent
from premier.users.models import Department, Role
from tests.helpers import signed_in, stay_and_desk
from tests.payments.helpers import notifications_of

CASH = "/api/v1/payments/cash"
# (role, department) of every seat, and whether it may void a cash payment.
SEATS = [(Role.GUEST, None, False)] + [
    (Role.STAFF, department, False) for department in Department
] + [(Role.MANAGER, None, True), (Role.ADMIN, None, True)]  # fmt: skip


async def _due(client: httpx.AsyncClient, desk: dict[str, str], stay: dict[str, Any]) -> int:
    """What is still due, as the front desk's panel works it out from the payments."""
    listed = await client.get("/api/v1/payments", params={"booking_id": stay["id"]}, headers=desk)
    paid = sum(
        p["amount"] - p["refunded_amount"]
        for p in listed.json()["items"]
        if p["status"] in ("succeeded", "partially_refunded")
    )
    return int(stay["total_amount"]) - paid


async def test_a_cash_amount_above_what_is_due_is_refused_and_no_receipt_goes_out(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, stay, desk = await stay_and_desk(client, database)
    typo = await client.post(
        CASH,
        json={"booking_id": stay["id"], "amount": 9_999_999_900, "currency": "KES"},
        headers=desk,
    )
    assert typo.status_code == 422
    error = typo.json()["error"]
    assert error["code"] == "more_than_due"
    assert error["details"]["due"] == stay["total_amount"] == 2_000_000
    assert "KES 20,000.00" in error["message"]
    assert await _due(client, desk, stay) == 2_000_000
    assert await notifications_of(database, "payment.receipt") == 0


async def test_a_larger_note_pays_what_is_due_and_the_change_is_on_the_receipt(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, stay, desk = await stay_and_desk(client, database)
    paid = await client.post(
        CASH,
        json={"booking_id": stay["id"], "tendered": 2_500_000, "currency": "KES"},
        headers=desk,
    )
    assert paid.status_code == 201, paid.text
    payment = paid.json()
    assert (payment["amount"], payment["tendered_amount"], payment["change_due"]) == (
        2_000_000,
        2_500_000,
        500_000,
    )
    assert payment["status"] == "succeeded"
    assert await _due(client, desk, stay) == 0
    again = await client.post(
        CASH, json={"booking_id": stay["id"], "amount": 100, "currency": "KES"}, headers=desk
    )
    assert again.status_code == 409
    async with database.reading() as session:
        receipt = await session.scalar(
            select(EmailQueue).where(EmailQueue.template == "payment.receipt")
        )
    assert receipt is not None
    assert "Cash tendered: KES 25,000.00" in receipt.body_text
    assert "Change given: KES 5,000.00" in receipt.body_text
    assert "Change given" in receipt.body_html


async def test_a_part_payment_from_a_note_and_a_tender_short_of_the_amount(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, stay, desk = await stay_and_desk(client, database)
    short = await client.post(
        CASH,
        json={"booking_id": stay["id"], "amount": 500_000, "tendered": 400_000, "currency": "KES"},
        headers=desk,
    )
    assert short.status_code == 422
    part = await client.post(
        CASH,
        json={
            "booking_id": stay["id"],
            "amount": 500_000,
            "tendered": 1_000_000,
            "currency": "KES",
        },
        headers=desk,
    )
    assert part.json()["change_due"] == 500_000
    assert await _due(client, desk, stay) == 1_500_000
    # A tender below what is due pays what was handed over, with no change.
    small = await client.post(
        CASH, json={"booking_id": stay["id"], "tendered": 300_000, "currency": "KES"}, headers=desk
    )
    assert (small.json()["amount"], small.json()["change_due"]) == (300_000, 0)
    neither = await client.post(
        CASH, json={"booking_id": stay["id"], "currency": "KES"}, headers=desk
    )
    assert neither.status_code == 422


async def test_a_manager_voids_a_mistaken_cash_payment_and_the_balance_is_due_again(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, stay, desk = await stay_and_desk(client, database)
    manager_id, manager = await signed_in(client, database, role=Role.MANAGER)
    payment = (
        await client.post(
            CASH,
            json={"booking_id": stay["id"], "amount": 2_000_000, "currency": "KES"},
            headers=desk,
        )
    ).json()
    assert await _due(client, desk, stay) == 0
    url = f"/api/v1/payments/{payment['id']}/void"
    assert (await client.post(url, json={}, headers=manager)).status_code == 422
    assert (await client.post(url, json={"reason": ""}, headers=manager)).status_code == 422

    voided = await client.post(
        url, json={"reason": "recorded on the wrong booking"}, headers=manager
    )
    assert voided.status_code == 200, voided.text
    body = voided.json()
    assert body["status"] == "voided"
    assert body["voided_by_id"] == manager_id
    assert body["void_reason"] == "recorded on the wrong booking"
    assert body["voided_at"] is not None
    assert await _due(client, desk, stay) == 2_000_000
    twice = await client.post(url, json={"reason": "again"}, headers=manager)
    assert twice.status_code == 409

    history = await client.get(f"/api/v1/payments/{payment['id']}/history", headers=guest)
    assert [e["what"] for e in history.json()] == ["recorded", "settled", "voided"]
    assert history.json()[-1]["note"] == "recorded on the wrong booking"
    assert history.json()[-1]["by_id"] == manager_id
    # The front desk's open panels hear of it live.
    async with database.reading() as session:
        frames = await session.scalars(
            select(RealtimeEvent.frame).where(RealtimeEvent.channel == "department:front_desk")
        )
        assert any('"voided"' in frame and "payment.status_changed" in frame for frame in frames)
    # The balance can be taken again, correctly this time.
    retaken = await client.post(
        CASH, json={"booking_id": stay["id"], "amount": 2_000_000, "currency": "KES"}, headers=desk
    )
    assert retaken.status_code == 201


@pytest.mark.parametrize(("role", "department", "may_void"), SEATS)
async def test_only_managers_void_cash_payments(
    client: httpx.AsyncClient,
    database: Database,
    role: Role,
    department: Department | None,
    may_void: bool,
) -> None:
    _, stay, desk = await stay_and_desk(client, database)
    _, seat = await signed_in(client, database, role=role, department=department)
    payment = (
        await client.post(
            CASH, json={"booking_id": stay["id"], "amount": 1_000, "currency": "KES"}, headers=desk
        )
    ).json()
    answer = await client.post(
        f"/api/v1/payments/{payment['id']}/void", json={"reason": "typo"}, headers=seat
    )
    assert answer.status_code == (200 if may_void else 403), answer.text
    expected = "voided" if may_void else "succeeded"
    status = (await client.get(f"/api/v1/payments/{payment['id']}", headers=desk)).json()["status"]
    assert status == expected


async def test_only_cash_is_voided_and_history_is_the_payers_own(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, stay, _ = await stay_and_desk(client, database)
    _, stranger = await signed_in(client, database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    async with database.writing() as session:
        card = Payment(
            reference="PAY-CARDVOID01", payer_id=stay["guest_id"], booking_id=stay["id"],
            amount=1_000, currency="KES", method=PaymentMethod.CARD, provider="stripe",
            status=PaymentStatus.SUCCEEDED,
        )  # fmt: skip
        session.add(card)
        await session.commit()
        card_id = card.id
    refused = await client.post(
        f"/api/v1/payments/{card_id}/void", json={"reason": "typo"}, headers=manager
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_cash"
    missing = await client.post(
        "/api/v1/payments/987654/void", json={"reason": "x"}, headers=manager
    )
    assert missing.status_code == 404
    assert (
        await client.get(f"/api/v1/payments/{card_id}/history", headers=guest)
    ).status_code == 200
    peek = await client.get(f"/api/v1/payments/{card_id}/history", headers=stranger)
    assert peek.status_code == 404
