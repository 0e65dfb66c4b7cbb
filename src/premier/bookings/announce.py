"""The events a booking publishes, built from the booking as the API shows it: the same for a
booking just written in a group and for one changed through the ORM."""

from premier import events
from premier.bookings.schemas import BookingOut


def booking_event_fields(booking: BookingOut) -> dict[str, object]:
    return {
        "booking_id": booking.id, "reference": booking.reference,
        "guest_id": booking.guest_id, "room_id": booking.room_id,
        "room_number": booking.room_number, "room_type_id": booking.room_type_id,
        "check_in": booking.check_in, "check_out": booking.check_out,
        "status": booking.status, "total_amount": booking.total_amount,
        "currency": booking.currency,
    }  # fmt: skip


def availability_changed(booking: BookingOut) -> events.RoomAvailabilityChanged:
    return events.RoomAvailabilityChanged(
        room_type_id=booking.room_type_id,
        room_id=booking.room_id,
        start=booking.check_in,
        end=booking.check_out,
    )
