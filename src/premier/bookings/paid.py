"""A booking is confirmed when a payment for it succeeds.

Subscribed (deferred) to `payment.status_changed`: the payment domain only announces the
payment; the confirmation, its email with the calendar file and the live update to the
front desk follow from `booking.status_changed` like any other confirmation. Runs in the
dispatcher's transaction, so a crash confirms the booking once or not at all."""

from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.bookings.announce import booking_event_fields
from premier.bookings.models import Booking, BookingStatus
from premier.bookings.schemas import BookingOut


async def confirm_paid_booking(session: AsyncSession, event: events.DomainEvent) -> None:
    assert isinstance(event, events.PaymentStatusChanged)
    if event.status != "succeeded" or event.booking_id is None:
        return
    booking = await session.get(
        Booking, event.booking_id, with_for_update={"of": Booking.__table__}
    )
    if booking is None or booking.status != BookingStatus.PENDING:
        return
    previous = booking.status
    booking.status = BookingStatus.CONFIRMED
    await events.emit(
        session,
        events.BookingStatusChanged(
            **booking_event_fields(BookingOut.of(booking)), previous_status=previous
        ),
    )


def register(bus: events.EventBus) -> None:
    bus.subscribe_deferred(events.PaymentStatusChanged.type, confirm_paid_booking)
