"""Changes to a stay the front desk makes: move to another room, extend, leave early, or
mark a no-show.

Each is checked against the rooms' bookings with the rule new bookings follow
(rooms.service.overlaps) and re-priced with the prices new bookings pay (rooms.inventory.
price_nights over the room type's seasonal rates), by difference: the nights a change adds
are priced as a new booking's would be and added, the nights it removes are priced the same
way and taken off, and the nights it keeps cost what they did. The booking's total is the
bill payments collect against (premier.payments.initiate), so the guest's bill follows.

Each can be previewed (nothing written: the desk shows the new total before confirming),
and each publishes a live event. On PostgreSQL the room types involved are locked first,
as the booking writer locks them, so a change and a new booking cannot take one room for
the same night; on SQLite the write transaction's lock does the same.
"""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.bookings import repository
from premier.bookings.announce import availability_changed, booking_event_fields
from premier.bookings.models import HOLDS_ROOM, MAX_NIGHTS, Booking, BookingStatus
from premier.bookings.schemas import BookingOut, StayChangeOut
from premier.bookings.service import get_booking
from premier.folio import service as folio
from premier.kit.errors import Conflict, InvalidInput, NotFound
from premier.kit.time import utcnow
from premier.rooms import housekeeping
from premier.rooms import service as rooms
from premier.rooms.inventory import price_nights, seasonal_rates
from premier.rooms.models import Room, RoomStatus, RoomType

ACTIVE = HOLDS_ROOM  # pending, confirmed, checked in: a stay that is still to be lived


async def price(session: AsyncSession, room_type: RoomType, check_in: date, check_out: date) -> int:
    """What the nights [check_in, check_out) of this room type cost a new booking today."""
    if check_out <= check_in:
        return 0
    connection = await session.connection()
    span = {"ids": [room_type.id], "first_in": check_in, "last_out": check_out}
    rates = await seasonal_rates(connection, repository.RATES, span)
    nights = price_nights(
        base_rate=room_type.base_rate, rates=rates.get(room_type.id, []),
        check_in=check_in, check_out=check_out,
    )  # fmt: skip
    return sum(n.amount for n in nights)


async def _lock_room_types(session: AsyncSession, *room_type_ids: int) -> None:
    """The room types' rows, in id order as the booking writer takes them (PostgreSQL;
    SQLite's write transaction already holds the database's write lock)."""
    await session.execute(
        select(RoomType.id)
        .where(RoomType.id.in_(sorted(set(room_type_ids))))
        .order_by(RoomType.id)
        .with_for_update()
    )


async def _refuse_if_taken(
    session: AsyncSession, booking: Booking, room: Room, check_in: date, check_out: date
) -> None:
    """Conflict if another booking holds `room` for any night of [check_in, check_out)."""
    clash = await session.scalar(
        select(Booking)
        .where(
            Booking.room_id == room.id,
            Booking.id != booking.id,
            rooms.overlaps(check_in, check_out, rooms.earliest_overlapping_check_in(check_in)),
        )
        .order_by(Booking.check_in)
        .limit(1)
    )
    if clash is not None:
        raise Conflict(
            f"Room {room.number} is booked from {clash.check_in:%d %b %Y} to "
            f"{clash.check_out:%d %b %Y}",
            code="room_booked",
            details={"room_id": room.id, "room_number": room.number,
                     "check_in": str(clash.check_in), "check_out": str(clash.check_out)},
        )  # fmt: skip


def _must_be(booking: Booking, allowed: tuple[BookingStatus, ...], change: str) -> None:
    if booking.status not in allowed:
        raise Conflict(
            f"a {booking.status.replace('_', ' ')} booking cannot be {change}",
            details={"status": booking.status, "allowed": list(allowed)},
        )


def _as_changed(booking: Booking, room: Room, **changes: object) -> BookingOut:
    """The booking as the API shows it, with the change applied (or as it would be)."""
    shown = BookingOut.of(booking).model_copy(
        update={"room_id": room.id, "room_number": room.number, "room_type_id": room.room_type_id,
                "room_type_name": room.room_type.name, **changes}
    )  # fmt: skip
    return shown.model_copy(update={"nights": (shown.check_out - shown.check_in).days})


def _preview(booking: Booking, shown: BookingOut) -> StayChangeOut:
    return StayChangeOut(booking=shown, previous_total_amount=booking.total_amount, applied=False)


async def _stay_changed(
    session: AsyncSession,
    booking: Booking,
    *,
    change: str,
    previous_room_number: str,
    previous_check_out: date,
    previous_total: int,
) -> StayChangeOut:
    shown = BookingOut.of(booking)
    await events.emit(
        session,
        events.BookingStayChanged(
            **booking_event_fields(shown), change=change,
            previous_room_number=previous_room_number, previous_check_out=previous_check_out,
            previous_total_amount=previous_total,
        ),
    )  # fmt: skip
    await events.emit(session, availability_changed(shown))
    await events.commit(session)
    return StayChangeOut(
        booking=BookingOut.of(booking), previous_total_amount=previous_total, applied=True
    )


async def _status_changed(
    session: AsyncSession, booking: Booking, *, previous: BookingStatus, freed: tuple[date, date]
) -> None:
    """Announce a departure or a no-show: its status, and the nights it gave back."""
    shown = BookingOut.of(booking)
    await events.emit(
        session,
        events.BookingStatusChanged(**booking_event_fields(shown), previous_status=previous),
    )
    await events.emit(
        session,
        events.RoomAvailabilityChanged(
            room_type_id=booking.room_type_id, room_id=booking.room_id,
            start=freed[0], end=freed[1],
        ),
    )  # fmt: skip


async def move_room(
    *,
    session: AsyncSession,
    actor: Actor,
    booking_id: int,
    room_id: int,
    today: date,
    preview: bool,
) -> StayChangeOut:
    """The same dates in another room. A guest already in is moved from today on: the nights
    behind them stay in (and priced as) the old room, which is left to clean."""
    booking = await get_booking(session=session, actor=actor, booking_id=booking_id)
    _must_be(booking, ACTIVE, "moved")
    room = await session.get(Room, room_id)
    if room is None:
        raise NotFound(f"room {room_id} not found")
    if room.id == booking.room_id:
        raise InvalidInput(
            f"the booking is already in room {room.number}", details={"room_id": room_id}
        )
    if room.status == RoomStatus.OUT_OF_SERVICE:
        reason = f": {room.out_of_service_reason}" if room.out_of_service_reason else ""
        raise Conflict(
            f"Room {room.number} is out of service{reason}",
            code="room_out_of_service",
            details={"room_id": room.id},
        )
    if booking.guests > room.room_type.capacity:
        raise InvalidInput(
            f"room {room.number} sleeps at most {room.room_type.capacity}",
            details={"guests": booking.guests, "capacity": room.room_type.capacity},
        )
    await _lock_room_types(session, booking.room_type_id, room.room_type_id)
    staying = booking.status == BookingStatus.CHECKED_IN
    moved_from = max(booking.check_in, today) if staying else booking.check_in
    await _refuse_if_taken(session, booking, room, moved_from, booking.check_out)
    total = booking.total_amount
    if room.room_type_id != booking.room_type_id:
        total += await price(session, room.room_type, moved_from, booking.check_out)
        total -= await price(session, booking.room_type, moved_from, booking.check_out)
    total = max(total, 0)
    if preview:
        return _preview(booking, _as_changed(booking, room, total_amount=total))
    old_room, old_number, previous_total = (
        booking.room_id,
        booking.room.number,
        booking.total_amount,
    )
    await events.emit(session, availability_changed(BookingOut.of(booking)))  # nights given back
    booking.room_id, booking.room_type_id, booking.total_amount = room.id, room.room_type_id, total
    await session.flush()
    await session.refresh(booking)  # its joined room and room type are the new ones
    if staying:
        await housekeeping.guest_left(
            session, booking, room_id=old_room, actor_id=actor.id, why="moved to another room"
        )
        await housekeeping.guest_arrived(session, booking, actor_id=actor.id)
    return await _stay_changed(
        session, booking, change="moved", previous_room_number=old_number,
        previous_check_out=booking.check_out, previous_total=previous_total,
    )  # fmt: skip


async def extend_stay(
    *,
    session: AsyncSession,
    actor: Actor,
    booking_id: int,
    check_out: date,
    today: date,
    preview: bool,
) -> StayChangeOut:
    """A later check-out in the same room; the added nights at today's prices."""
    booking = await get_booking(session=session, actor=actor, booking_id=booking_id)
    _must_be(booking, ACTIVE, "extended")
    if check_out <= booking.check_out:
        raise InvalidInput(
            "an extension moves check-out later: the guest leaving early is an early departure",
            details={"check_out": str(check_out), "current_check_out": str(booking.check_out)},
        )
    if (check_out - booking.check_in).days > MAX_NIGHTS:
        raise InvalidInput(
            f"a stay is at most {MAX_NIGHTS} nights", details={"nights_max": MAX_NIGHTS}
        )
    if check_out > today + timedelta(days=rooms.MAX_BOOKING_AHEAD_DAYS):
        raise InvalidInput("bookings open two years ahead", details={"check_out": str(check_out)})
    await _lock_room_types(session, booking.room_type_id)
    await _refuse_if_taken(session, booking, booking.room, booking.check_out, check_out)
    added = await price(session, booking.room_type, booking.check_out, check_out)
    total = booking.total_amount + added
    if preview:
        return _preview(
            booking, _as_changed(booking, booking.room, check_out=check_out, total_amount=total)
        )
    previous_out, previous_total = booking.check_out, booking.total_amount
    booking.check_out, booking.total_amount = check_out, total
    await session.flush()
    return await _stay_changed(
        session, booking, change="extended", previous_room_number=booking.room.number,
        previous_check_out=previous_out, previous_total=previous_total,
    )  # fmt: skip


async def depart_early(
    *,
    session: AsyncSession,
    actor: Actor,
    booking_id: int,
    today: date,
    preview: bool,
    override_reason: str | None = None,
) -> StayChangeOut:
    """Check a guest out before their last night: the stay ends today (the arrival night
    is always charged) and the nights not stayed come off the bill. As any check-out, it
    waits for the folio to be settled at the new total (premier.folio)."""
    booking = await get_booking(session=session, actor=actor, booking_id=booking_id)
    _must_be(booking, (BookingStatus.CHECKED_IN,), "checked out early")
    leaves = max(today, booking.check_in + timedelta(days=1))
    if leaves >= booking.check_out:
        raise Conflict(
            "the guest is due out today: check them out as usual",
            code="not_early",
            details={"check_out": str(booking.check_out), "today": str(today)},
        )
    refund = await price(session, booking.room_type, leaves, booking.check_out)
    total = max(booking.total_amount - refund, 0)
    if preview:
        return _preview(
            booking,
            _as_changed(
                booking, booking.room, check_out=leaves, total_amount=total,
                status=BookingStatus.CHECKED_OUT,
            ),
        )  # fmt: skip
    previous_total, previous_out = booking.total_amount, booking.check_out
    booking.check_out, booking.total_amount = leaves, total
    await folio.settle_before_check_out(
        session, actor=actor, booking=booking, override_reason=override_reason
    )
    booking.status = BookingStatus.CHECKED_OUT
    booking.checked_out_at = utcnow()
    await _status_changed(
        session, booking, previous=BookingStatus.CHECKED_IN, freed=(leaves, previous_out)
    )
    await housekeeping.guest_left(
        session, booking, room_id=booking.room_id, actor_id=actor.id, why="left early"
    )
    await events.commit(session)
    return StayChangeOut(
        booking=BookingOut.of(booking), previous_total_amount=previous_total, applied=True
    )


async def mark_no_show(
    *, session: AsyncSession, actor: Actor, booking_id: int, today: date, preview: bool
) -> StayChangeOut:
    """A confirmed guest whose arrival day has passed never came: the room is free again
    for the nights left, and the bill keeps the first night only (the night the room was
    held for them), every later night priced and taken off."""
    booking = await get_booking(session=session, actor=actor, booking_id=booking_id)
    _must_be(booking, (BookingStatus.CONFIRMED,), "marked a no-show")
    if today <= booking.check_in:
        raise Conflict(
            "a guest is a no-show only once their arrival day has passed",
            code="arrival_not_passed",
            details={"check_in": str(booking.check_in), "today": str(today)},
        )
    first_night_ends = booking.check_in + timedelta(days=1)
    waived = await price(session, booking.room_type, first_night_ends, booking.check_out)
    total = max(booking.total_amount - waived, 0)
    if preview:
        return _preview(
            booking,
            _as_changed(booking, booking.room, total_amount=total, status=BookingStatus.NO_SHOW),
        )
    previous_total = booking.total_amount
    booking.total_amount = total
    booking.status = BookingStatus.NO_SHOW
    await _status_changed(
        session, booking, previous=BookingStatus.CONFIRMED,
        freed=(booking.check_in, booking.check_out),
    )  # fmt: skip
    await events.commit(session)
    return StayChangeOut(
        booking=BookingOut.of(booking), previous_total_amount=previous_total, applied=True
    )
