"""Bookings: who may book, what a stay costs, why a request is refused, and how a booking
moves from pending to checked out.

New bookings are written in groups (premier.db.group_commit): one transaction, one write
lock and one commit for every booking that arrived while the previous group was written.
Each request in a group is checked and priced here, then given the first free room of its
type by one INSERT … SELECT (bookings.repository); a request refused, or that finds no room,
fails alone. The `booking.created` event goes to the event outbox in the group's transaction
and the confirmation is sent from there, not while the guest waits.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings import repository, search
from premier.bookings.announce import availability_changed, booking_event_fields
from premier.bookings.models import Booking, BookingStatus, new_reference
from premier.bookings.schemas import BookingCreate, BookingFilters, BookingOut
from premier.db import Database
from premier.db.group_commit import GroupCommit, UniqueViolation
from premier.folio import service as folio
from premier.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from premier.kit.pagination import Page, PageParams, paginate
from premier.kit.time import utcnow
from premier.rooms import housekeeping
from premier.rooms import service as rooms
from premier.rooms.inventory import price_nights
from premier.users.models import Role, User

# Which status each action moves a booking from, and to.
TRANSITIONS: dict[str, tuple[tuple[BookingStatus, ...], BookingStatus]] = {
    "confirm": ((BookingStatus.PENDING,), BookingStatus.CONFIRMED),
    "cancel": ((BookingStatus.PENDING, BookingStatus.CONFIRMED), BookingStatus.CANCELLED),
    "check_in": ((BookingStatus.PENDING, BookingStatus.CONFIRMED), BookingStatus.CHECKED_IN),
    "check_out": ((BookingStatus.CHECKED_IN,), BookingStatus.CHECKED_OUT),
}
# The permission each action needs (premier.auth.access): guests may cancel their own.
PERMISSION = {"confirm": "move", "cancel": "cancel", "check_in": "move", "check_out": "move"}
# A booking whose reference another booking already has is written again under a new one;
# drawing a taken reference this many times running means something else is wrong.
REFERENCE_DRAWS = 3


@dataclass(frozen=True, slots=True)
class BookingRequest:
    """A booking the request handler has checked as far as it can without the database."""

    reference: str
    guest_id: int
    for_another_guest: bool  # booked by the front desk: the guest must exist and be a guest
    room_type_id: int
    check_in: date
    check_out: date
    guests: int
    special_requests: str
    created_by_id: int
    # How many unconfirmed bookings the guest may hold, this one included (0: no cap).
    max_pending: int = 0


class BookingWriter:
    """Books every waiting request, a group (one transaction) at a time.

    One group at a time on PostgreSQL too, although its row locks would let groups of
    different room types be written side by side: most of a group's cost in this process
    is the same whatever its size, and this process's CPU, not the database, is what a
    booking rush runs out of.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self._queue: GroupCommit[BookingRequest, BookingOut] = GroupCommit(
            database, self._write_group, commit=events.commit, unique=[repository.REFERENCE_UNIQUE]
        )

    async def book(self, request: BookingRequest) -> BookingOut:
        """The booking as stored; a reference that turns out to be taken already is drawn
        again, since references are random."""
        draws = 1
        while isinstance(booked := await self._queue.submit(request), UniqueViolation):
            if draws == REFERENCE_DRAWS:
                raise booked.error
            draws += 1
            request = replace(request, reference=new_reference())
        return booked

    async def _write_group(
        self, session: AsyncSession, requests: Sequence[BookingRequest]
    ) -> list[BookingOut | Exception]:
        """Check, price and book each request, in order, in the group's transaction."""
        connection = await session.connection()
        facts = await repository.group_facts(
            connection,
            lock_room_types=not self.database.is_sqlite,
            room_type_ids=list({r.room_type_id for r in requests}),
            guest_ids=list({r.guest_id for r in requests}),
            count_pending=any(r.max_pending for r in requests),
            first_in=min(r.check_in for r in requests),
            last_out=max(r.check_out for r in requests),
        )
        now = utcnow()
        answers = _price_or_refuse(requests, facts)
        priced = [(r, t) for r, t in zip(requests, answers, strict=True) if isinstance(t, int)]
        taken = await repository.insert_into_first_free_rooms(
            connection, [_new_booking(r, facts, total, now) for r, total in priced]
        )
        booked: list[BookingOut | Exception] = []
        for request, answer in zip(requests, answers, strict=True):
            room = taken.get(request.reference)
            if isinstance(answer, Exception):
                booked.append(answer)
            elif room is None:
                booked.append(_no_room(request, facts.room_types[request.room_type_id].name))
            else:
                out = _booked(request, facts, room, total=answer, now=now)
                await _announce(session, out)
                booked.append(out)
        return booked


def _price_or_refuse(
    requests: Sequence[BookingRequest], facts: repository.GroupFacts
) -> list[int | Exception]:
    """Each request's total, or why it is refused before any room is looked for."""
    answers: list[int | Exception] = []
    pending = {guest.id: getattr(guest, "pending", 0) for guest in facts.guests.values()}
    for request in requests:
        room_type: Any = facts.room_types.get(request.room_type_id)
        problem = _refusal(request, room_type, facts.guests.get(request.guest_id))
        if problem is None:
            problem = _over_cap(request, pending.get(request.guest_id, 0))
        if problem is not None:
            answers.append(problem)
            continue
        pending[request.guest_id] = pending.get(request.guest_id, 0) + 1
        nights = price_nights(
            base_rate=room_type.base_rate, rates=facts.rates.get(room_type.id, []),
            check_in=request.check_in, check_out=request.check_out,
        )  # fmt: skip
        answers.append(sum(n.amount for n in nights))
    return answers


def _refusal(request: BookingRequest, room_type: Any, guest: Any) -> Exception | None:
    if room_type is None or not room_type.is_active:
        return NotFound(f"room type {request.room_type_id} not found")
    if request.guests > room_type.capacity:
        return InvalidInput(
            f"{room_type.name} sleeps at most {room_type.capacity}",
            details={"guests": request.guests, "capacity": room_type.capacity},
        )
    if guest is None or (request.for_another_guest and guest.role != Role.GUEST):
        return InvalidInput(
            f"no guest with id {request.guest_id}", details={"guest_id": request.guest_id}
        )
    return None


def _over_cap(request: BookingRequest, pending: int) -> Exception | None:
    if not request.max_pending or pending < request.max_pending:
        return None
    return Conflict(
        f"you have {pending} unconfirmed bookings: wait for the hotel to confirm one, or "
        "cancel one, before booking again",
        code="too_many_pending_bookings",
        details={"pending": pending, "max_pending": request.max_pending},
    )


def _no_room(request: BookingRequest, name: str) -> Conflict:
    return Conflict(
        f"no {name} is free for these dates",
        details={"room_type_id": request.room_type_id, "check_in": str(request.check_in),
                 "check_out": str(request.check_out)},
    )  # fmt: skip


def _new_booking(
    request: BookingRequest, facts: repository.GroupFacts, total: int, now: datetime
) -> dict[str, Any]:
    return repository.new_booking(
        reference=request.reference,
        guest_id=request.guest_id,
        room_type_id=request.room_type_id,
        check_in=request.check_in,
        check_out=request.check_out,
        guests=request.guests,
        total_amount=total,
        currency=facts.room_types[request.room_type_id].currency,
        special_requests=request.special_requests,
        created_by_id=request.created_by_id,
        now=now,
    )


def _booked(
    request: BookingRequest,
    facts: repository.GroupFacts,
    room: repository.Taken,
    *,
    total: int,
    now: datetime,
) -> BookingOut:
    room_type = facts.room_types[request.room_type_id]
    guest = facts.guests[request.guest_id]
    return BookingOut(
        id=room.booking_id, reference=request.reference, guest_id=request.guest_id,
        guest_name=guest.full_name, guest_email=guest.email, room_id=room.room_id,
        room_number=room.room_number, room_type_id=room_type.id,
        room_type_name=room_type.name, check_in=request.check_in,
        check_out=request.check_out, nights=(request.check_out - request.check_in).days,
        guests=request.guests, status=BookingStatus.PENDING, total_amount=total,
        currency=room_type.currency, special_requests=request.special_requests,
        cancellation_reason=None, created_at=now, updated_at=now,
    )  # fmt: skip


async def _announce(session: AsyncSession, out: BookingOut) -> None:
    await events.emit(session, events.BookingCreated(**booking_event_fields(out)))
    await events.emit(session, availability_changed(out))


def _booking_guest(*, actor: Actor, guest_id: int | None) -> tuple[int, bool]:
    """Guests book for themselves; the front desk and management book for any guest.

    Returns the guest's id, and whether it is another's (the group checks that one exists).
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
    elif _asks_about_a_day(filters):
        # A cancelled booking neither arrives, stays nor departs: the front desk's lists of
        # the day show it only when asked for cancelled bookings by name.
        query = query.where(Booking.status != BookingStatus.CANCELLED)
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
    if filters.q:
        query = query.join(User, User.id == Booking.guest_id).where(search.matching(filters.q))
    return await paginate(
        session, query.order_by(Booking.check_in, Booking.id), page, BookingOut.of
    )


def _asks_about_a_day(filters: BookingFilters) -> bool:
    return any(
        d is not None for d in (filters.arriving_on, filters.departing_on, filters.staying_on)
    )


async def change_status(
    *,
    session: AsyncSession,
    actor: Actor,
    booking_id: int,
    action: str,
    today: date,
    reason: str = "",
    override_reason: str | None = None,
) -> Booking:
    """Move a booking along. Check-out waits for the folio to be settled, unless a
    manager lets the guest go with `override_reason` (premier.folio)."""
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
    if action == "check_out":
        # Hold the booking's row, so a charge posted meanwhile waits for the check-out.
        await session.get(
            Booking, booking.id, with_for_update={"of": Booking.__table__}, populate_existing=True
        )
        await folio.settle_before_check_out(
            session, actor=actor, booking=booking, override_reason=override_reason
        )
    return await _move(session, booking, action, reason=reason, actor_id=actor.id)


def _check_transition(booking: Booking, action: str) -> None:
    allowed_from, _ = TRANSITIONS[action]
    if booking.status not in allowed_from:
        raise Conflict(
            f"a {booking.status} booking cannot be {action.replace('_', ' ')}ed",
            details={"status": booking.status, "action": action},
        )


async def _move(
    session: AsyncSession,
    booking: Booking,
    action: str,
    *,
    reason: str,
    actor_id: int | None = None,
) -> Booking:
    """Apply a checked transition, announce it (a cancellation or a departure frees the
    room, which availability hears; an arrival or a departure changes the room's place on
    the status board, and a departure leaves it to clean) and commit."""
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
    if action == "check_in":
        await housekeeping.guest_arrived(session, booking, actor_id=actor_id)
    elif action == "check_out":
        await housekeeping.guest_left(
            session, booking, room_id=booking.room_id, actor_id=actor_id, why="checked out"
        )
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
