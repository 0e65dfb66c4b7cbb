from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.announce import availability_changed, booking_event_fields
from premier.bookings.models import Booking, BookingStatus, new_reference
from premier.bookings.schemas import BookingCreate, BookingFilters, BookingOut
from premier.bookings.writer import BookingRequest, BookingWriter
from premier.db import Database
from premier.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from premier.kit.pagination import Page, PageParams, paginate
from premier.kit.time import utcnow
from premier.rooms import service as rooms

# Which status each action moves a booking from, and to.
TRANSITIONS: dict[str, tuple[tuple[BookingStatus, ...], BookingStatus]] = {
    "confirm": ((BookingStatus.PENDING,), BookingStatus.CONFIRMED),
    "cancel": ((BookingStatus.PENDING, BookingStatus.CONFIRMED), BookingStatus.CANCELLED),
    "check_in": ((BookingStatus.PENDING, BookingStatus.CONFIRMED), BookingStatus.CHECKED_IN),
    "check_out": ((BookingStatus.CHECKED_IN,), BookingStatus.CHECKED_OUT),
}
# The permission each action needs (premier.auth.access): guests may cancel their own.
PERMISSION = {"confirm": "move", "cancel": "cancel", "check_in": "move", "check_out": "move"}


def _booking_guest(*, actor: Actor, guest_id: int | None) -> tuple[int, bool]:
    """Guests book for themselves; the front desk and management book for any guest.

    Returns the guest's id, and whether it is another's (the writer checks that one exists).
    """
    if access.scope_of(actor, "booking", "create") is access.OWN:
        if guest_id not in (None, actor.id):
            raise PermissionDenied("only the front desk may book for another guest")
        return actor.id, False
    if guest_id is None:
        raise InvalidInput("staff bookings need guest_id", details={"guest_id": None})
    return guest_id, True


async def create_booking(
    *, writer: BookingWriter, actor: Actor, data: BookingCreate, today: date, max_pending: int
) -> BookingOut:
    """Book the first free room of the type; of two racing for the last room, one gets 409.

    A guest booking for themselves may hold `max_pending` unconfirmed bookings at once, so
    one account cannot hold every room with bookings nobody will confirm; the front desk,
    which confirms or checks in what it books, is not capped.
    """
    rooms.validate_stay(check_in=data.check_in, check_out=data.check_out, today=today)
    guest_id, for_another_guest = _booking_guest(actor=actor, guest_id=data.guest_id)
    return await writer.book(
        BookingRequest(
            reference=new_reference(), guest_id=guest_id, for_another_guest=for_another_guest,
            room_type_id=data.room_type_id, check_in=data.check_in, check_out=data.check_out,
            guests=data.guests, special_requests=data.special_requests,
            created_by_id=actor.id, max_pending=0 if for_another_guest else max_pending,
        )
    )  # fmt: skip


async def get_booking(*, session: AsyncSession, actor: Actor, booking_id: int) -> Booking:
    """Another guest's booking is 'not found', so ids reveal nothing."""
    booking = await session.get(Booking, booking_id)
    if booking is None or not access.reaches(actor, "booking", "read", owner_id=booking.guest_id):
        raise NotFound(f"booking {booking_id} not found")
    return booking


async def list_bookings(
    *, session: AsyncSession, actor: Actor, filters: BookingFilters, page: PageParams
) -> Page[BookingOut]:
    query = select(Booking)
    if access.scope_of(actor, "booking", "read") is access.OWN:
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
    permission = PERMISSION[action]
    if not access.reaches(actor, "booking", permission, owner_id=booking.guest_id):
        raise PermissionDenied("only the front desk or managers may change bookings")
    _check_transition(booking, action)
    if action == "check_in" and not booking.check_in <= today < booking.check_out:
        raise Conflict(
            "check-in opens on the arrival date",
            details={"check_in": str(booking.check_in), "today": str(today)},
        )
    guest = access.scope_of(actor, "booking", permission) is access.OWN
    if action == "cancel" and guest and today >= booking.check_in:
        raise Conflict(
            "guests cancel before the arrival date; from then on, the front desk cancels",
            code="cancellation_closed",
            details={"check_in": str(booking.check_in), "today": str(today)},
        )
    return await _move(session, booking, action, reason=reason)


def _check_transition(booking: Booking, action: str) -> None:
    allowed_from, _ = TRANSITIONS[action]
    if booking.status not in allowed_from:
        raise Conflict(
            f"a {booking.status} booking cannot be {action.replace('_', ' ')}ed",
            details={"status": booking.status, "action": action},
        )


async def _move(session: AsyncSession, booking: Booking, action: str, *, reason: str) -> Booking:
    """Apply a checked transition, announce it (a cancellation or a departure frees the
    room, which availability hears) and commit."""
    _, target = TRANSITIONS[action]
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


EXPIRED = "not confirmed in time"


async def expire_unconfirmed(*, database: Database, now: datetime, hold: timedelta) -> int:
    """Cancel every booking still unconfirmed `hold` after it was made; returns how many.

    Each goes through the same cancellation as the front desk's, so its guest hears of it
    and the room it held is free again for availability. Each is read again under a lock,
    and skipped if someone confirmed or cancelled it meanwhile, so workers in several
    processes never cancel one twice or cancel a booking confirmed a moment ago.
    """
    cutoff = now - hold
    async with database.reading() as session:
        due = list(
            await session.scalars(
                select(Booking.id)
                .where(Booking.status == BookingStatus.PENDING, Booking.created_at <= cutoff)
                .order_by(Booking.id)
            )
        )
    expired = 0
    for booking_id in due:
        async with database.writing() as session:
            # Of the booking's row only: its joined guest and room cannot be locked with it.
            booking = await session.scalar(
                select(Booking).where(Booking.id == booking_id).with_for_update(of=Booking)
            )
            if booking is None or booking.status != BookingStatus.PENDING:
                continue
            await _move(session, booking, "cancel", reason=EXPIRED)
            expired += 1
    return expired
