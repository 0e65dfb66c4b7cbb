from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.bookings.models import HOLDS_ROOM, MAX_NIGHTS, Booking
from premier.kit.errors import Conflict, InvalidInput, NotFound
from premier.kit.images import ImageLibrary
from premier.kit.time import utcnow
from premier.rooms import housekeeping
from premier.rooms.inventory import InventoryCache, price_nights
from premier.rooms.models import Room, RoomRate, RoomStatus, RoomType
from premier.rooms.schemas import (
    Availability,
    AvailabilityOption,
    RoomCreate,
    RoomRateCreate,
    RoomRateUpdate,
    RoomTypeCreate,
    RoomTypeUpdate,
    RoomUpdate,
    check_rate_range,
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
    *,
    inventory: InventoryCache,
    session: AsyncSession,
    images: ImageLibrary,
    check_in: date,
    check_out: date,
    guests: int,
    today: date,
) -> Availability:
    """Room types with a room free for every night of the stay (see rooms.inventory), each
    with its gallery."""
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
    # The snapshot holds the galleries' upload ids; their URLs are the image library's.
    wanted = [u for o in options for u in snapshot.galleries.get(o.room_type.id, [])]
    refs = await images.resolve(session, wanted) if wanted else {}
    for option in options:
        photos = [refs[u] for u in snapshot.galleries.get(option.room_type.id, []) if u in refs]
        option.room_type = option.room_type.model_copy(update={"gallery": photos})
    return Availability(
        check_in=check_in,
        check_out=check_out,
        nights=(check_out - check_in).days,
        guests=guests,
        options=options,
    )


# --- room types, rates and rooms ---------------------------------------------------------


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


async def create_room_type(
    *, session: AsyncSession, actor: Actor, data: RoomTypeCreate
) -> tuple[RoomType, bool]:
    """A new room type, or the one this same request already made (and False): sending a
    form twice is safe. The same code for a different type is a conflict."""
    values = data.model_dump(mode="json")
    existing = await session.scalar(select(RoomType).where(RoomType.code == data.code))
    if existing is not None:
        if all(getattr(existing, k) == v for k, v in values.items()):
            return existing, False
        raise Conflict(
            f"the code {data.code} is already used by the room type {existing.name}",
            code="code_taken",
            details={"field": "code", "room_type_id": existing.id},
        )
    room_type = RoomType(**values, created_by_id=actor.id, updated_by_id=actor.id)
    session.add(room_type)
    await events.commit(session)
    return room_type, True


async def update_room_type(
    *, session: AsyncSession, actor: Actor, room_type_id: int, data: RoomTypeUpdate
) -> RoomType:
    room_type = await get_room_type(session=session, room_type_id=room_type_id)
    for field, value in data.changes().items():
        setattr(room_type, field, value)
    room_type.updated_by_id = actor.id
    await events.commit(session)
    return room_type


async def add_rate(
    *, session: AsyncSession, actor: Actor, room_type_id: int, data: RoomRateCreate
) -> tuple[RoomRate, bool]:
    """A seasonal rate, or the identical one already there (and False)."""
    await get_room_type(session=session, room_type_id=room_type_id)
    same = await session.scalar(
        select(RoomRate).where(
            RoomRate.room_type_id == room_type_id,
            RoomRate.start_date == data.start_date,
            RoomRate.end_date == data.end_date,
            RoomRate.nightly_rate == data.nightly_rate,
            RoomRate.label == data.label,
        )
    )
    if same is not None:
        return same, False
    rate = RoomRate(
        room_type_id=room_type_id, **data.model_dump(), created_by_id=actor.id,
        updated_by_id=actor.id,
    )  # fmt: skip
    session.add(rate)
    await events.commit(session)
    return rate, True


async def _get_rate(*, session: AsyncSession, rate_id: int) -> RoomRate:
    rate = await session.get(RoomRate, rate_id)
    if rate is None:
        raise NotFound(f"rate {rate_id} not found")
    return rate


async def update_rate(
    *, session: AsyncSession, actor: Actor, rate_id: int, data: RoomRateUpdate
) -> RoomRate:
    rate = await _get_rate(session=session, rate_id=rate_id)
    changes = data.changes()
    start = (
        date.fromisoformat(changes["start_date"]) if "start_date" in changes else rate.start_date
    )
    end = date.fromisoformat(changes["end_date"]) if "end_date" in changes else rate.end_date
    try:
        check_rate_range(start, end)
    except ValueError as exc:
        raise InvalidInput(str(exc), details={"field": "end_date"}) from None
    rate.start_date, rate.end_date = start, end
    for field in ("nightly_rate", "label"):
        if field in changes:
            setattr(rate, field, changes[field])
    rate.updated_by_id = actor.id
    await events.commit(session)
    return rate


async def delete_rate(*, session: AsyncSession, rate_id: int) -> None:
    """Removing a rate that is already gone is fine: the outcome is the same."""
    rate = await session.get(RoomRate, rate_id)
    if rate is not None:
        await session.delete(rate)
        await events.commit(session)


async def list_rates(*, session: AsyncSession, room_type_id: int) -> list[RoomRate]:
    await get_room_type(session=session, room_type_id=room_type_id)
    query = select(RoomRate).where(RoomRate.room_type_id == room_type_id)
    return list(await session.scalars(query.order_by(RoomRate.start_date, RoomRate.id)))


async def list_rooms(*, session: AsyncSession) -> list[Room]:
    return list(await session.scalars(select(Room).order_by(Room.number)))


def _number_taken(number: str) -> Conflict:
    return Conflict(
        f"room {number} already exists", code="room_number_taken", details={"field": "number"}
    )


async def create_room(
    *, session: AsyncSession, actor: Actor, data: RoomCreate
) -> tuple[Room, bool]:
    """A new room, or the same room this request already made (and False)."""
    await get_room_type(session=session, room_type_id=data.room_type_id)
    existing = await session.scalar(select(Room).where(Room.number == data.number))
    if existing is not None:
        if existing.room_type_id == data.room_type_id and existing.floor == data.floor:
            return existing, False
        raise _number_taken(data.number)
    room = Room(**data.model_dump(), created_by_id=actor.id, updated_by_id=actor.id)
    session.add(room)
    await events.commit(session)
    return room, True


async def update_room(
    *, session: AsyncSession, actor: Actor, room_id: int, data: RoomUpdate
) -> Room:
    room = await session.get(Room, room_id)
    if room is None:
        raise NotFound(f"room {room_id} not found")
    changes = data.changes()
    on_board = await housekeeping.status_of(session, room)
    if "room_type_id" in changes:
        await get_room_type(session=session, room_type_id=changes["room_type_id"])
    if changes.get("number", room.number) != room.number:
        taken = await session.scalar(select(Room.id).where(Room.number == changes["number"]))
        if taken is not None:
            raise _number_taken(changes["number"])
    for field, value in changes.items():
        setattr(room, field, value)
    room.updated_by_id = actor.id
    if room.status == RoomStatus.IN_SERVICE:
        room.out_of_service_reason = ""
    if "status" in changes:
        # The status board hears of it as it does of a manager's out-of-service button.
        room.housekeeping_changed_at, room.housekeeping_changed_by_id = utcnow(), actor.id
        await session.flush()
        await housekeeping.announce(session, room, previous=on_board, actor_id=actor.id)
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
