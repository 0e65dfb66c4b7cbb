"""The room status board: whether each room is ready for its next guest.

A room's place on the board is one of four, decided here and nowhere else:

- out_of_service: a manager took it out (it is then also out of availability);
- occupied: a booking on it is checked in (the booking is the truth, so it is not stored);
- vacant_dirty / vacant_clean: what housekeeping last left it as (`Room.housekeeping`).

A departure (check-out, early departure, a checked-in guest moved to another room) makes its
room dirty and opens a housekeeping service request, the cleaning task, in the same
transaction; housekeeping marking the room cleaned completes that task. Every change to a
room's place on the board publishes `room.status_changed` to the front desk, housekeeping
and managers, so every open board follows.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.bookings.models import Booking, BookingStatus
from premier.kit.errors import Conflict, NotFound
from premier.kit.time import utcnow
from premier.rooms.models import BoardStatus, Housekeeping, Room, RoomStatus
from premier.rooms.schemas import Arrival, InHouse, RoomBoardEntry
from premier.service_requests.models import (
    Priority,
    RequestKind,
    RequestStatus,
    ServiceRequest,
)
from premier.users.models import User

# The cleaning task a departure opens starts with this; marking the room cleaned completes
# the open ones.
TURNOVER_TASK = "Departure clean"
OPEN_TASK = (RequestStatus.OPEN, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)
ARRIVING = (BookingStatus.PENDING, BookingStatus.CONFIRMED)
# How far ahead availability may have counted a room that changes service state.
AVAILABILITY_DAYS = 730


def board_status(room: Room, *, occupied: bool) -> BoardStatus:
    if room.status == RoomStatus.OUT_OF_SERVICE:
        return BoardStatus.OUT_OF_SERVICE
    if occupied:
        return BoardStatus.OCCUPIED
    if room.housekeeping == Housekeeping.DIRTY:
        return BoardStatus.VACANT_DIRTY
    return BoardStatus.VACANT_CLEAN


async def _occupied(session: AsyncSession, room_ids: Iterable[int] | None = None) -> set[int]:
    """The rooms a checked-in booking is in."""
    query = select(Booking.room_id).where(Booking.status == BookingStatus.CHECKED_IN)
    if room_ids is not None:
        query = query.where(Booking.room_id.in_(list(room_ids)))
    return set(await session.scalars(query))


async def status_of(session: AsyncSession, room: Room) -> BoardStatus:
    return board_status(room, occupied=room.id in await _occupied(session, [room.id]))


async def board(*, session: AsyncSession, today: date) -> list[RoomBoardEntry]:
    """Every room in number order, with its status, today's arrival and departure."""
    rooms = list(await session.scalars(select(Room).order_by(Room.floor, Room.number)))
    staying = {
        b.room_id: b
        for b in await session.scalars(
            select(Booking).where(Booking.status == BookingStatus.CHECKED_IN)
        )
    }
    arrivals = {
        b.room_id: b
        for b in await session.scalars(
            select(Booking)
            .where(Booking.check_in == today, Booking.status.in_(ARRIVING))
            .order_by(Booking.id)
        )
    }
    changers = {r.housekeeping_changed_by_id for r in rooms} - {None}
    names = dict(
        (await session.execute(select(User.id, User.full_name).where(User.id.in_(changers)))).all()
        if changers
        else []
    )
    entries = []
    for room in rooms:
        status = board_status(room, occupied=room.id in staying)
        arriving = arrivals.get(room.id)
        stay = staying.get(room.id)
        entries.append(
            RoomBoardEntry(
                room_id=room.id, number=room.number, floor=room.floor,
                room_type_id=room.room_type_id, room_type_name=room.room_type.name,
                status=status, housekeeping=room.housekeeping,
                out_of_service_reason=room.out_of_service_reason,
                changed_at=room.housekeeping_changed_at,
                changed_by_id=room.housekeeping_changed_by_id,
                changed_by_name=names.get(room.housekeeping_changed_by_id or 0),
                departure_today=stay is not None and stay.check_out <= today,
                arrival=None if arriving is None else Arrival(
                    booking_id=arriving.id, reference=arriving.reference,
                    status=arriving.status, guests=arriving.guests,
                    ready=status == BoardStatus.VACANT_CLEAN,
                ),
                in_house=None if stay is None else InHouse(
                    booking_id=stay.id, reference=stay.reference, check_out=stay.check_out,
                ),
            )
        )  # fmt: skip
    return entries


async def _room(session: AsyncSession, room_id: int) -> Room:
    room = await session.get(Room, room_id)
    if room is None:
        raise NotFound(f"room {room_id} not found")
    return room


def _touched(room: Room, actor_id: int | None) -> None:
    room.housekeeping_changed_at = utcnow()
    room.housekeeping_changed_by_id = actor_id


async def announce(
    session: AsyncSession, room: Room, *, previous: BoardStatus, actor_id: int | None
) -> None:
    """Publish the room's new place on the board (with the change it is part of)."""
    await events.emit(
        session,
        events.RoomStatusChanged(
            room_id=room.id, room_number=room.number,
            status=await status_of(session, room), previous_status=previous,
            changed_by_id=actor_id,
        ),
    )  # fmt: skip


async def mark_clean(*, session: AsyncSession, actor: Actor, room_id: int) -> Room:
    """Housekeeping finished the room: it is ready, and its open cleaning tasks are done."""
    room = await _room(session, room_id)
    previous = await status_of(session, room)
    room.housekeeping = Housekeeping.CLEAN
    _touched(room, actor.id)
    now = utcnow()
    tasks = await session.scalars(
        select(ServiceRequest).where(
            ServiceRequest.kind == RequestKind.HOUSEKEEPING,
            ServiceRequest.room_number == room.number,
            ServiceRequest.status.in_(OPEN_TASK),
            ServiceRequest.description.startswith(TURNOVER_TASK),
        )
    )
    for task in tasks:
        was = task.status
        task.status = RequestStatus.DONE
        task.completed_at = now
        await events.emit(
            session,
            events.ServiceRequestStatusChanged(
                request_id=task.id, guest_id=task.guest_id, kind=task.kind, status=task.status,
                assignee_id=task.assignee_id, room_number=task.room_number,
                previous_status=was,
            ),
        )  # fmt: skip
    await session.flush()
    await announce(session, room, previous=previous, actor_id=actor.id)
    await events.commit(session)
    return room


async def take_out_of_service(
    *, session: AsyncSession, actor: Actor, room_id: int, reason: str
) -> Room:
    """A manager takes a room out of service: it leaves availability until returned. A room
    with a guest in it is refused: move the guest first."""
    room = await _room(session, room_id)
    previous = await status_of(session, room)
    if previous == BoardStatus.OCCUPIED:
        raise Conflict(
            f"room {room.number} has a guest checked in: move the stay to another room first",
            code="room_occupied",
            details={"room_id": room.id},
        )
    room.status = RoomStatus.OUT_OF_SERVICE
    room.out_of_service_reason = reason
    return await _service_changed(session, room, previous=previous, actor=actor)


async def return_to_service(*, session: AsyncSession, actor: Actor, room_id: int) -> Room:
    """Back in availability, as clean or dirty as housekeeping last left it."""
    room = await _room(session, room_id)
    previous = await status_of(session, room)
    room.status = RoomStatus.IN_SERVICE
    room.out_of_service_reason = ""
    return await _service_changed(session, room, previous=previous, actor=actor)


async def _service_changed(
    session: AsyncSession, room: Room, *, previous: BoardStatus, actor: Actor
) -> Room:
    room.updated_by_id = actor.id
    _touched(room, actor.id)
    start = utcnow().date() - timedelta(days=1)  # wide enough to cover every zone's today
    await events.emit(
        session,
        events.RoomAvailabilityChanged(
            room_type_id=room.room_type_id, room_id=room.id, start=start,
            end=start + timedelta(days=AVAILABILITY_DAYS),
        ),
    )  # fmt: skip
    await session.flush()
    await announce(session, room, previous=previous, actor_id=actor.id)
    await events.commit(session)
    return room


async def guest_arrived(session: AsyncSession, booking: Booking, *, actor_id: int | None) -> None:
    """A check-in puts its room on the board as occupied. The caller commits."""
    await session.flush()
    room = await _room(session, booking.room_id)
    previous = board_status(room, occupied=False)
    await announce(session, room, previous=previous, actor_id=actor_id)


async def guest_left(
    session: AsyncSession, booking: Booking, *, room_id: int, actor_id: int | None, why: str
) -> None:
    """A guest left `room_id` (checked out, left early or moved): the room needs cleaning,
    and housekeeping gets the task, one the hotel raises (no guest's: the guest who left
    neither sees it nor may cancel it). The caller commits."""
    room = await _room(session, room_id)
    room.housekeeping = Housekeeping.DIRTY
    _touched(room, actor_id)
    task = ServiceRequest(
        guest_id=None, booking_id=booking.id, room_number=room.number,
        kind=RequestKind.HOUSEKEEPING, priority=Priority.HIGH,
        description=f"{TURNOVER_TASK}: room {room.number} ({why}, {booking.reference})",
    )  # fmt: skip
    session.add(task)
    await session.flush()
    await events.emit(
        session,
        events.ServiceRequestCreated(
            request_id=task.id, guest_id=task.guest_id, kind=task.kind,
            status=RequestStatus.OPEN, assignee_id=None, room_number=task.room_number,
        ),
    )  # fmt: skip
    await announce(session, room, previous=BoardStatus.OCCUPIED, actor_id=actor_id)
