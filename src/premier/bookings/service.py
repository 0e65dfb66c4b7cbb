from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.bookings.announce import availability_changed, booking_event_fields
from premier.bookings.models import Booking, BookingStatus, new_reference
from premier.bookings.schemas import BookingCreate, BookingFilters, BookingOut
from premier.bookings.writer import BookingRequest, BookingWriter
from premier.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from premier.kit.pagination import Page, PageParams, paginate
from premier.kit.time import utcnow
from premier.rooms import service as rooms
from premier.users.models import Department

FRONT_DESK = (Department.FRONT_DESK,)

# Which status each action moves a booking from, and to.
TRANSITIONS: dict[str, tuple[tuple[BookingStatus, ...], BookingStatus]] = {
    "confirm": ((BookingStatus.PENDING,), BookingStatus.CONFIRMED),
    "cancel": ((BookingStatus.PENDING, BookingStatus.CONFIRMED), BookingStatus.CANCELLED),
    "check_in": ((BookingStatus.PENDING, BookingStatus.CONFIRMED), BookingStatus.CHECKED_IN),
    "check_out": ((BookingStatus.CHECKED_IN,), BookingStatus.CHECKED_OUT),
}


def _booking_guest(*, actor: Actor, guest_id: int | None) -> tuple[int, bool]:
    """Guests book for themselves; the front desk and management book for any guest.

    Returns the guest's id, and whether it is another's (the writer checks that one exists).
    """
    if guest_id is None or guest_id == actor.id:
        if not actor.is_guest and guest_id is None:
            raise InvalidInput("staff bookings need guest_id", details={"guest_id": None})
        return actor.id, False
    if not actor.works_in(*FRONT_DESK):
        raise PermissionDenied("only the front desk may book for another guest")
    return guest_id, True


async def create_booking(
    *, writer: BookingWriter, actor: Actor, data: BookingCreate, today: date
) -> BookingOut:
    """Book the first free room of the type; of two racing for the last room, one gets 409."""
    rooms.validate_stay(check_in=data.check_in, check_out=data.check_out, today=today)
    guest_id, for_another_guest = _booking_guest(actor=actor, guest_id=data.guest_id)
    return await writer.book(
        BookingRequest(
            reference=new_reference(), guest_id=guest_id, for_another_guest=for_another_guest,
            room_type_id=data.room_type_id, check_in=data.check_in, check_out=data.check_out,
            guests=data.guests, special_requests=data.special_requests,
            created_by_id=actor.id,
        )
    )  # fmt: skip


async def get_booking(*, session: AsyncSession, actor: Actor, booking_id: int) -> Booking:
    """Another guest's booking is 'not found', so ids reveal nothing."""
    booking = await session.get(Booking, booking_id)
    if booking is None or (actor.is_guest and booking.guest_id != actor.id):
        raise NotFound(f"booking {booking_id} not found")
    return booking


async def list_bookings(
    *, session: AsyncSession, actor: Actor, filters: BookingFilters, page: PageParams
) -> Page[BookingOut]:
    query = select(Booking)
    if actor.is_guest:
        query = query.where(Booking.guest_id == actor.id)
    elif filters.guest_id is not None:
        query = query.where(Booking.guest_id == filters.guest_id)
    if filters.status is not None:
        query = query.where(Booking.status == filters.status)
    if filters.arriving_on is not None:
        query = query.where(Booking.check_in == filters.arriving_on)
    if filters.departing_on is not None:
        query = query.where(Booking.check_out == filters.departing_on)
    if filters.staying_on is not None:
        query = query.where(
            Booking.check_in <= filters.staying_on, Booking.check_out > filters.staying_on
        )
    if filters.room_type_id is not None:
        query = query.where(Booking.room_type_id == filters.room_type_id)
    return await paginate(
        session, query.order_by(Booking.check_in, Booking.id), page, BookingOut.of
    )


async def change_status(
    *,
    session: AsyncSession,
    actor: Actor,
    booking_id: int,
    action: str,
    today: date,
    reason: str = "",
) -> Booking:
    booking = await get_booking(session=session, actor=actor, booking_id=booking_id)
    _authorize(actor=actor, booking=booking, action=action)
    allowed_from, target = TRANSITIONS[action]
    if booking.status not in allowed_from:
        raise Conflict(
            f"a {booking.status} booking cannot be {action.replace('_', ' ')}ed",
            details={"status": booking.status, "action": action},
        )
    if action == "check_in" and not booking.check_in <= today < booking.check_out:
        raise Conflict(
            "check-in opens on the arrival date",
            details={"check_in": str(booking.check_in), "today": str(today)},
        )
    previous = booking.status
    booking.status = target
    now = utcnow()
    if action == "cancel":
        booking.cancelled_at = now
        booking.cancellation_reason = reason or None
    elif action == "check_in":
        booking.checked_in_at = now
    elif action == "check_out":
        booking.checked_out_at = now
    shown = BookingOut.of(booking)
    await events.emit(
        session,
        events.BookingStatusChanged(**booking_event_fields(shown), previous_status=previous),
    )
    if action in ("cancel", "check_out"):
        await events.emit(session, availability_changed(shown))
    await events.commit(session)
    return booking


def _authorize(*, actor: Actor, booking: Booking, action: str) -> None:
    if actor.is_guest:
        if action != "cancel":
            raise PermissionDenied("only the front desk may do this")
        return
    if not actor.works_in(*FRONT_DESK):
        raise PermissionDenied("only the front desk or managers may change bookings")
