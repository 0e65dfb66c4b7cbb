from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from premier.bookings.models import Booking, BookingStatus
from premier.kit.ids import Id
from premier.kit.input import Input


class BookingCreate(Input):
    room_type_id: Id
    check_in: date
    check_out: date
    guests: Annotated[int, Field(ge=1, le=20)] = 1
    special_requests: Annotated[str, Field(max_length=2000)] = ""
    guest_id: Annotated[int | None, Field(description="front desk only: book for this guest")] = (
        None
    )


class BookingCancel(Input):
    reason: Annotated[str, Field(max_length=500)] = ""


class CheckOut(Input):
    """Check-out waits until the stay's bill is paid. A manager may let the guest go with
    money still owed by giving the reason, which is kept with the amount left open."""

    override_reason: Annotated[
        str | None, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ] = None


class BookingOut(BaseModel):
    id: int
    reference: str
    guest_id: int
    guest_name: str
    guest_email: str
    room_id: int
    room_number: str
    room_type_id: int
    room_type_name: str
    check_in: date
    check_out: date
    nights: int
    guests: int
    status: BookingStatus
    total_amount: int
    currency: str
    special_requests: str
    cancellation_reason: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, booking: Booking) -> "BookingOut":
        return cls(
            id=booking.id,
            reference=booking.reference,
            guest_id=booking.guest_id,
            guest_name=booking.guest.full_name,
            guest_email=booking.guest.email,
            room_id=booking.room_id,
            room_number=booking.room.number,
            room_type_id=booking.room_type_id,
            room_type_name=booking.room_type.name,
            check_in=booking.check_in,
            check_out=booking.check_out,
            nights=booking.nights,
            guests=booking.guests,
            status=booking.status,
            total_amount=booking.total_amount,
            currency=booking.currency,
            special_requests=booking.special_requests,
            cancellation_reason=booking.cancellation_reason,
            created_at=booking.created_at,
            updated_at=booking.updated_at,
        )


class BookingFilters(BaseModel):
    status: BookingStatus | None = None
    guest_id: int | None = None
    arriving_on: date | None = None
    departing_on: date | None = None
    staying_on: date | None = None
    room_type_id: Id | None = None
    q: str | None = None


class StayChangeAsked(Input):
    """`preview`: check and price the change, and answer with the booking as it would be,
    changing nothing (the desk shows the new total before confirming)."""

    preview: bool = False


class EarlyDeparture(StayChangeAsked):
    """Leaving early checks the guest out: it waits for the bill to be settled at the new
    total, unless a manager gives the reason to let the guest go with it open."""

    override_reason: Annotated[
        str | None, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ] = None


class RoomMove(StayChangeAsked):
    room_id: Id


class StayExtension(StayChangeAsked):
    check_out: date


class StayChangeOut(BaseModel):
    """The booking after the change (or as it would be, for a preview), and what it cost
    before: the difference is what the guest's bill moved by."""

    booking: BookingOut
    previous_total_amount: int
    applied: bool
