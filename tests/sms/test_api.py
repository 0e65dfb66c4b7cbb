"""Sending from the API: validation, permissions, rate limits, budgets, emergencies."""

import httpx
import pytest
from sqlalchemy import select

from premier.db import Database
from premier.email.models import EmailQueue
from premier.notifications.models import Notification
from premier.users.models import Department, Role
from tests.helpers import signed_in
from tests.sms.helpers import booked_guest, sms_rows


async def staff(client: httpx.AsyncClient, database: Database) -> dict[str, str]:
    """A front desk clerk; and guests with a booking at the numbers these tests write to,
    as staff write only to guests."""
    for phone in ("+254712345678", "+254733000111"):
        await booked_guest(database, phone=phone)
    _, headers = await signed_in(
        client, database, role=Role.STAFF, department=Department.FRONT_DESK
    )
    return headers


async def test_staff_send_is_validated_priced_and_queued(
    client: httpx.AsyncClient, database: Database
) -> None:
    headers = await staff(client, database)
    response = await client.post(
        "/api/v1/sms/send",
        headers=headers,
        json={"to": "0712 345 678", "message": "Karibu! 👋 " + "a" * 70},
    )
    assert response.status_code == 202, response.text
    sms = response.json()
    assert sms["to_phone"] == "+254712345678"
    assert (sms["encoding"], sms["segments"]) == ("UCS-2", 2)
    assert (sms["estimated_cost"], sms["cost_currency"]) == (160, "KES")
    assert sms["status"] == "queued"


@pytest.mark.parametrize(
    "body",
    [
        {"to": "12345", "message": "hi"},
        {"to": "+254 12", "message": "hi"},
        {"to": "+254712345678", "message": "   "},
        {"to": "+254712345678", "message": "x" * 1601},
        {"message": "to nobody"},
        {"to": "+254712345678", "user_id": 1, "message": "both"},
    ],
)
async def test_bad_input_is_refused_with_422(
    client: httpx.AsyncClient, database: Database, body: dict[str, object]
) -> None:
    response = await client.post(
        "/api/v1/sms/send", headers=await staff(client, database), json=body
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
    assert await sms_rows(database) == []


async def test_guests_cannot_send_and_staff_cannot_read_the_queue(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    message = {"to": "+254712345678", "message": "hello"}
    assert (await client.post("/api/v1/sms/send", headers=guest, json=message)).status_code == 403
    headers = await staff(client, database)
    assert (await client.get("/api/v1/sms/queue", headers=headers)).status_code == 403
    assert (await client.get("/api/v1/sms/stats", headers=headers)).status_code == 403
    emergency = {**message, "emergency": True}
    assert (
        await client.post("/api/v1/sms/send", headers=headers, json=emergency)
    ).status_code == 403


@pytest.mark.sms(sender_per_minute=2)
async def test_each_sender_is_rate_limited(client: httpx.AsyncClient, database: Database) -> None:
    headers = await staff(client, database)
    message = {"to": "+254712345678", "message": "hello"}
    for _ in range(2):
        assert (
            await client.post("/api/v1/sms/send", headers=headers, json=message)
        ).status_code == 202
    refused = await client.post("/api/v1/sms/send", headers=headers, json=message)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    # Another sender is not affected.
    other = await staff(client, database)
    assert (await client.post("/api/v1/sms/send", headers=other, json=message)).status_code == 202


@pytest.mark.sms(recipient_per_hour=2)
async def test_messages_beyond_the_recipient_limit_wait_instead_of_going_out(
    client: httpx.AsyncClient, database: Database
) -> None:
    headers = await staff(client, database)
    for _ in range(3):
        response = await client.post(
            "/api/v1/sms/send", headers=headers, json={"to": "+254712345678", "message": "hello"}
        )
        assert response.status_code == 202
    first, _, third = await sms_rows(database)
    assert third.status == "queued"
    assert third.last_error is not None and "rate limited" in third.last_error
    assert (third.next_attempt_at - first.next_attempt_at).total_seconds() >= 3599


@pytest.mark.sms(budget_daily=100)
async def test_over_budget_messages_are_held_admins_told_and_released(
    client: httpx.AsyncClient, database: Database
) -> None:
    admin_id, admin = await signed_in(client, database, role=Role.ADMIN)
    headers = await staff(client, database)
    message = {"to": "+254712345678", "message": "Your table is ready"}  # 1 segment, KES 0.80
    first = await client.post("/api/v1/sms/send", headers=headers, json=message)
    second = await client.post("/api/v1/sms/send", headers=headers, json=message)
    third = await client.post("/api/v1/sms/send", headers=headers, json=message)
    assert first.json()["status"] == "queued"
    assert second.json()["status"] == "held"
    assert "hotel daily" in second.json()["last_error"]
    assert third.json()["status"] == "held"
    async with database.reading() as session:
        notices = (
            await session.scalars(
                select(Notification).where(Notification.event_type == "sms.budget_exceeded")
            )
        ).all()
    assert [n.user_id for n in notices] == [admin_id]  # told once, not once per message
    assert notices[0].title == "SMS budget reached: messages are being held"
    assert "hotel daily" in notices[0].body and notices[0].priority == "high"
    async with database.reading() as session:
        mailed = (
            await session.scalars(select(EmailQueue).where(EmailQueue.user_id == admin_id))
        ).all()
    assert [m.template for m in mailed] == ["sms.budget_exceeded"], "by email too, never SMS"
    assert all(row.template != "sms.budget_exceeded" for row in await sms_rows(database))

    held = await client.get("/api/v1/sms/queue?status=held", headers=admin)
    assert held.json()["total"] == 2
    released = await client.post(f"/api/v1/sms/queue/{second.json()['id']}/release", headers=admin)
    assert released.json()["status"] == "queued"
    cancelled = await client.post(f"/api/v1/sms/queue/{third.json()['id']}/cancel", headers=admin)
    assert cancelled.json()["status"] == "cancelled"
    again = await client.post(f"/api/v1/sms/queue/{third.json()['id']}/release", headers=admin)
    assert again.status_code == 409


@pytest.mark.sms(budget_daily=0)
async def test_emergencies_bypass_budgets_and_jump_the_queue(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    ordinary = await client.post(
        "/api/v1/sms/send", headers=manager, json={"to": "+254712345678", "message": "Spa offer"}
    )
    assert ordinary.json()["status"] == "held"
    alert = await client.post(
        "/api/v1/sms/emergency",
        headers=manager,
        json={"message": "Fire alarm: leave by the stairs", "audience": "everyone"},
    )
    assert alert.status_code == 202, alert.text
    assert alert.json()["queued"] == 1  # the manager's own phone
    emergency = await sms_rows(database, emergency=True)
    assert [(r.status, r.priority) for r in emergency] == [("queued", 0)]


async def test_queue_filters_and_stats(client: httpx.AsyncClient, database: Database) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    for to in ("+254712345678", "+254733000111", "+14155552671"):
        await client.post("/api/v1/sms/send", headers=admin, json={"to": to, "message": "hi"})
    page = await client.get(
        "/api/v1/sms/queue", headers=admin, params={"to": "+254733000111", "limit": 10}
    )
    assert page.status_code == 200
    assert [row["to_phone"] for row in page.json()["items"]] == ["+254733000111"]
    stats = await client.get("/api/v1/sms/stats", headers=admin)
    assert stats.status_code == 200
    assert stats.json()["by_status"] == {"queued": 3}
    bad = await client.get("/api/v1/sms/stats?since=yesterday", headers=admin)
    assert bad.status_code == 422


@pytest.mark.sms(recipient_budget_daily=160)
async def test_a_per_recipient_budget_holds_only_that_recipient(
    client: httpx.AsyncClient, database: Database
) -> None:
    headers = await staff(client, database)
    statuses = []
    for to in ("+254712345678", "+254712345678", "+254712345678", "+254733000111"):
        response = await client.post(
            "/api/v1/sms/send", headers=headers, json={"to": to, "message": "Room ready"}
        )
        statuses.append(response.json()["status"])
    assert statuses == ["queued", "queued", "held", "queued"]
