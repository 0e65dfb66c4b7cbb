"""SMS that follow from what happens in the hotel: notifications routed through the SMS
rules, and the check-in reminder scheduled the day before arrival."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select, update

from premier import events
from premier.db import Database
from premier.kit.time import as_utc
from premier.notifications.models import DeliveryLog
from premier.users.models import User
from tests.helpers import emit_and_fan_out, make_user
from tests.sms.helpers import sms_rows


def booking_event(
    kind: type[events.BookingEvent], guest_id: int, check_in: date, **extra: str
) -> events.BookingEvent:
    return kind(
        booking_id=7,
        reference="PH-7Q2K",
        guest_id=guest_id,
        room_id=1,
        room_number="204",
        room_type_id=1,
        check_in=check_in,
        check_out=check_in + timedelta(days=3),
        status=extra.pop("status", "confirmed"),
        **extra,
    )


async def emit(database: Database, event: events.DomainEvent) -> None:
    await emit_and_fan_out(database, event)


async def set_phone(database: Database, user_id: int, phone: str) -> None:
    async with database.writing() as session:
        await session.execute(update(User).where(User.id == user_id).values(phone=phone))
        await session.commit()


@pytest.mark.sms(checkin_reminder_hour=18)
async def test_checkin_reminder_the_day_before_at_the_configured_hotel_hour(
    database: Database,
) -> None:
    guest = await make_user(database)
    check_in = datetime.now(UTC).date() + timedelta(days=10)
    await emit(database, booking_event(events.BookingCreated, guest, check_in))
    [reminder] = await sms_rows(database, template="booking.checkin_reminder")
    # 18:00 in Nairobi (UTC+3) the day before arrival is 15:00 UTC.
    expected = datetime.combine(check_in - timedelta(days=1), datetime.min.time(), UTC)
    assert as_utc(reminder.next_attempt_at) == expected + timedelta(hours=15)
    assert "PH-7Q2K" in reminder.body and "204" in reminder.body
    assert reminder.to_phone == "+254712345678"

    # Confirming the booking does not schedule a second reminder; cancelling removes it.
    await emit(
        database,
        booking_event(events.BookingStatusChanged, guest, check_in, previous_status="pending"),
    )
    assert len(await sms_rows(database, template="booking.checkin_reminder")) == 1
    await emit(
        database,
        booking_event(
            events.BookingStatusChanged,
            guest,
            check_in,
            status="cancelled",
            previous_status="confirmed",
        ),
    )
    [reminder] = await sms_rows(database, template="booking.checkin_reminder")
    assert reminder.status == "cancelled"


async def test_a_batch_of_bookings_reads_its_guests_once_per_subscriber(
    database: Database,
) -> None:
    """The confirmations and the reminders of a burst of bookings each read the guests in
    one query for the whole batch, not one per booking."""
    guests = [await make_user(database) for _ in range(5)]
    read_users: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "FROM users" in statement:
            read_users.append(statement)

    engine = database.write_engine.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        check_in = datetime.now(UTC).date() + timedelta(days=10)
        await emit_and_fan_out(
            database,
            *(
                booking_event(events.BookingCreated, guest, check_in).model_copy(
                    update={"booking_id": number}
                )
                for number, guest in enumerate(guests, start=1)
            ),
        )
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(await sms_rows(database, template="booking.checkin_reminder")) == 5
    assert len(read_users) == 2, read_users


async def test_no_reminder_for_an_arrival_tomorrow_morning(database: Database) -> None:
    guest = await make_user(database)
    await emit(database, booking_event(events.BookingCreated, guest, datetime.now(UTC).date()))
    assert await sms_rows(database, template="booking.checkin_reminder") == []


async def test_order_ready_sms_goes_out_in_e164(database: Database) -> None:
    guest = await make_user(database)
    await set_phone(database, guest, "0712 345 678")
    ready = events.OrderStatusChanged(
        order_id=3,
        guest_id=guest,
        status="ready",
        previous_status="preparing",
        room_number="204",
        total_amount=185000,
        currency="KES",
    )
    await emit(database, ready)
    [sms] = await sms_rows(database, template="order.status_changed")
    assert sms.to_phone == "+254712345678"
    assert sms.segments >= 1 and sms.estimated_cost > 0


async def test_a_bad_number_on_file_skips_the_sms_but_not_the_change(database: Database) -> None:
    guest = await make_user(database)
    await set_phone(database, guest, "12345")
    ready = events.OrderStatusChanged(
        order_id=3,
        guest_id=guest,
        status="ready",
        previous_status="preparing",
        room_number="204",
        total_amount=185000,
        currency="KES",
    )
    await emit(database, ready)
    assert await sms_rows(database) == []
    async with database.reading() as session:
        logged = await session.scalar(
            select(DeliveryLog.status).where(DeliveryLog.channel == "sms")
        )
    assert logged == "invalid_number"
