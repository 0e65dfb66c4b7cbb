"""End to end through the real services: a booking made and confirmed over the API reaches
the guest as in-app notifications and emails (the confirmation with its calendar file) on a
real SMTP server."""

from datetime import timedelta

import httpx
from sqlalchemy import select

from premier.config import Settings
from premier.db import Database
from premier.email.models import EmailQueue
from premier.email.sending import email_worker
from premier.users.models import Department, Role
from tests.email.conftest import SmtpSink, with_settings
from tests.helpers import hotel_date, make_room_type, signed_in


async def test_booking_then_confirmation_emails_with_calendar(
    client: httpx.AsyncClient, database: Database, settings: Settings, smtp_sink: SmtpSink
) -> None:
    room_type = await make_room_type(database)
    _, guest = await signed_in(client, database)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    start = hotel_date(5)
    booking = await client.post(
        "/api/v1/bookings",
        json={
            "room_type_id": room_type,
            "check_in": str(start),
            "check_out": str(start + timedelta(days=2)),
        },
        headers=guest,
    )
    assert booking.status_code == 201, booking.text
    confirmed = await client.post(f"/api/v1/bookings/{booking.json()['id']}/confirm", headers=desk)
    assert confirmed.status_code == 200, confirmed.text

    async with database.reading() as session:
        queued = list(await session.scalars(select(EmailQueue).order_by(EmailQueue.id)))
    assert [e.template for e in queued] == ["booking.received", "booking.created"]
    inbox = (await client.get("/api/v1/notifications", headers=guest)).json()["items"]
    assert len(inbox) == 2

    worker = email_worker(
        database=database,
        settings=with_settings(settings, email_providers=["smtp"], smtp_port=smtp_sink.port),
    )
    try:
        assert (await worker.drain()).sent == 2
    finally:
        await worker.aclose()
    [confirmation] = [m for m in smtp_sink.messages if m["Subject"].startswith("Your booking")]
    assert confirmation["Subject"].startswith("Your booking ")
    [calendar] = list(confirmation.iter_attachments())
    assert calendar.get_content_type() == "text/calendar"
    ics = calendar.get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert f"DTSTART;VALUE=DATE:{start:%Y%m%d}" in ics
