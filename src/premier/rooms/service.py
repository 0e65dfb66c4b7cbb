from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.bookings.models import HOLDS_ROOM, MAX_NIGHTS, Booking
from premier.kit.errors import Conflict, InvalidInput, NotFound
from premier.kit.time import utcnow
from premier.rooms.inventory import InventoryCache, price_nights
from premier.rooms.models import Room, RoomRate, RoomStatus, RoomType
from premier.rooms.schemas import (
    Availability,
    AvailabilityOption,
    RoomCreate,
    RoomRateCreate,
    RoomTypeCreate,
    RoomTypeUpdate,
    RoomUpdate,
)

MAX_BOOKING_AHEAD_DAYS = 730


def validate_stay(*, check_in: date, check_out: date, today: date) -> None:
    """The rules every search and booking share; each names the field at fault."""
    if check_in < today:
        raise InvalidInput("check_in is in the past", details={"check_in": str(check_in)})
    if check_out <= check_in:
        raise InvalidInput(
            "check_out must be after check_in",
            details={"check_in": str(check_in), "check_out": str(check_out)},
        )
    if (check_out - check_in).days > MAX_NIGHTS:
        raise InvalidInput(
            f"a stay is at most {MAX_NIGHTS} nights", details={"nights_max": MAX_NIGHTS}
        )
    if (check_in - today).days > MAX_BOOKING_AHEAD_DAYS:
        raise InvalidInput("bookings open two years ahead", details={"check_in": str(check_in)})


# Values, or bound parameters of a statement built once (see bookings.repository).
DateArg = date | ColumnElement[date]


def earliest_overlapping_check_in(check_in: date) -> date:
    """No stay is longer than MAX_NIGHTS, so none that began this early reaches `check_in`."""
    return check_in - timedelta(days=MAX_NIGHTS)


def overlaps(
    check_in: DateArg, check_out: DateArg, earliest_check_in: DateArg
) -> ColumnElement[bool]:
    """Bookings that hold a room for any night of [check_in, check_out).

    `earliest_check_in` (see earliest_overlapping_check_in) changes no answer; it bounds the
    index range a probe reads to the weeks around the stay, not the room's whole history.
    """
    return and_(
        Booking.status.in_(HOLDS_ROOM),
        Booking.check_in < check_out,
        Booking.check_in > earliest_check_in,
        Booking.check_out > check_in,
    )


def free_rooms(
    *,
    room_type_id: int | ColumnElement[int],
    check_in: DateArg,
    check_out: DateArg,
    earliest_check_in: DateArg,
) -> Select[int]:
    """Ids of the in-service rooms of a type that no booking holds for any of these nights,
    in number order, so that `LIMIT 1` stops at the first free room.

    Each room is probed for its first overlapping booking (`LIMIT 1`) through the (room_id,
    check_in, check_out) index. Written as NOT EXISTS, PostgreSQL may instead read every
    booking of the stay's weeks through the check_in index, once per statement, and keep
    them to join against: that is the plan it picks while its statistics still count the
    table small (a new hotel's first bookings, or autovacuum turned off), and it reads
    hundreds of bookings per booking. A correlated `LIMIT 1` can only be probed room by room.
    """
    first_holding = (
        select(Booking.id)
        .where(Booking.room_id == Room.id, overlaps(check_in, check_out, earliest_check_in))
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(Room.id)
        .where(
            Room.room_type_id == room_type_id,
            Room.status == RoomStatus.IN_SERVICE,
            first_holding.is_(None),
        )
        .order_by(Room.number)
    )


async def availability(
    *, inventory: InventoryCache, check_in: date, check_out: date, guests: int, today: date
) -> Availability:
    """Room types with a room free for every night of the stay (see rooms.inventory)."""
    validate_stay(check_in=check_in, check_out=check_out, today=today)
    snapshot = await inventory.snapshot(today=today)
    options = []
    for room_type in snapshot.room_types:
        if room_type.capacity < guests:
            continue
        free = snapshot.free_room_count(room_type.id, check_in, check_out)
        if not free:
            continue
        prices = price_nights(
            base_rate=room_type.base_rate,
            rates=snapshot.rates.get(room_type.id, []),
            check_in=check_in,
            check_out=check_out,
        )
        options.append(
            AvailabilityOption(
                room_type=room_type,
                available_rooms=free,
                nightly_rates=prices,
                total_amount=sum(n.amount for n in prices),
                currency=room_type.currency,
            )
        )
    return Availability(
        check_in=check_in,
        check_out=check_out,
        nights=(check_out - check_in).days,
        guests=guests,
        options=options,
    )


async def list_room_types(*, session: AsyncSession, include_inactive: bool) -> list[RoomType]:
    query = select(RoomType).order_by(RoomType.base_rate, RoomType.id)
    if not include_inactive:
        query = query.where(RoomType.is_active)
    return list(await session.scalars(query))


async def get_room_type(*, session: AsyncSession, room_type_id: int) -> RoomType:
    room_type = await session.get(RoomType, room_type_id)
    if room_type is None:
        raise NotFound(f"room type {room_type_id} not found")
    return room_type


async def create_room_type(*, session: AsyncSession, data: RoomTypeCreate) -> RoomType:
    if await session.scalar(select(RoomType.id).where(RoomType.code == data.code)):
        raise Conflict(f"room type code {data.code!r} is taken")
    room_type = RoomType(**data.model_dump(mode="json"))
    session.add(room_type)
    await events.commit(session)
    return room_type


async def update_room_type(
    *, session: AsyncSession, room_type_id: int, data: RoomTypeUpdate
) -> RoomType:
    room_type = await get_room_type(session=session, room_type_id=room_type_id)
    for field, value in data.changes().items():
        setattr(room_type, field, value)
    await events.commit(session)
    return room_type


async def add_rate(*, session: AsyncSession, room_type_id: int, data: RoomRateCreate) -> RoomRate:
    await get_room_type(session=session, room_type_id=room_type_id)
    rate = RoomRate(room_type_id=room_type_id, **data.model_dump())
    session.add(rate)
    await events.commit(session)
    return rate


async def list_rates(*, session: AsyncSession, room_type_id: int) -> list[RoomRate]:
    await get_room_type(session=session, room_type_id=room_type_id)
    query = select(RoomRate).where(RoomRate.room_type_id == room_type_id)
    return list(await session.scalars(query.order_by(RoomRate.start_date)))


async def list_rooms(*, session: AsyncSession) -> list[Room]:
    return list(await session.scalars(select(Room).order_by(Room.number)))


async def create_room(*, session: AsyncSession, data: RoomCreate) -> Room:
    await get_room_type(session=session, room_type_id=data.room_type_id)
    if await session.scalar(select(Room.id).where(Room.number == data.number)):
        raise Conflict(f"room {data.number} already exists")
    room = Room(**data.model_dump())
    session.add(room)
    await events.commit(session)
    return room


async def update_room(*, session: AsyncSession, room_id: int, data: RoomUpdate) -> Room:
    room = await session.get(Room, room_id)
    if room is None:
        raise NotFound(f"room {room_id} not found")
    changes = data.changes()
    if "room_type_id" in changes:
        await get_room_type(session=session, room_type_id=changes["room_type_id"])
    for field, value in changes.items():
        setattr(room, field, value)
    if "status" in changes or "room_type_id" in changes:
        today = utcnow().date()  # wide enough to cover every zone's today
        today -= timedelta(days=1)
        await events.emit(
            session,
            events.RoomAvailabilityChanged(
                room_type_id=room.room_type_id, room_id=room.id, start=today,
                end=today + timedelta(days=MAX_BOOKING_AHEAD_DAYS),
            ),
        )  # fmt: skip
    await events.commit(session)
    return room
