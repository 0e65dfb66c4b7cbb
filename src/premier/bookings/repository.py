"""The queries that write new bookings: what a group of requests needs to know (room types,
seasonal rates, guests and their unconfirmed bookings) and the insert that gives each
booking the first free room of its type.

A booking's own work is a single INSERT … SELECT of the first free room, so a group of them
written one after another in one transaction (premier.db.group_commit) sees the rooms the
ones before took. Across processes the write lock (SQLite) or the room types' row locks,
taken in id order (PostgreSQL), keep two groups from giving out the same room.

On PostgreSQL the rest of a group's transaction is planned on each execution for the table
as it is now: a plan kept from when the table was smaller, or from statistics autovacuum
has not refreshed yet, can read every booking instead of probing a room's few (loaders
still run ANALYZE, see seed_demo).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from premier.bookings.models import Booking, BookingStatus
from premier.db.group_commit import returning_each
from premier.rooms import service as rooms
from premier.rooms.inventory import SEASONAL_RATES, SeasonalRate, seasonal_rates
from premier.rooms.models import Room, RoomRate, RoomType
from premier.users.models import User

_CHECK_IN = bindparam("check_in", type_=Date())
_CHECK_OUT = bindparam("check_out", type_=Date())
_EARLIEST_CHECK_IN = bindparam("earliest_check_in", type_=Date())
_ROOM_TYPE = bindparam("room_type_id", type_=Integer())
# Written out: SQLAlchemy does not correlate a subquery in RETURNING with the row inserted.
ROOM_NUMBER_OF_BOOKING = literal_column(
    "(SELECT rooms.number FROM rooms WHERE rooms.id = bookings.room_id)", String()
).label("room_number")
INSERT_INTO_FIRST_FREE_ROOM = (
    insert(Booking)
    .from_select(
        ["reference", "guest_id", "room_id", "room_type_id", "check_in", "check_out",
         "guests", "status", "total_amount", "currency", "special_requests", "created_by_id",
         "created_at", "updated_at"],
        rooms.free_rooms(room_type_id=_ROOM_TYPE, check_in=_CHECK_IN, check_out=_CHECK_OUT,
                         earliest_check_in=_EARLIEST_CHECK_IN)
        .with_only_columns(
            bindparam("reference", type_=String()), bindparam("guest_id", type_=Integer()),
            Room.id, _ROOM_TYPE, _CHECK_IN, _CHECK_OUT, bindparam("guests", type_=Integer()),
            bindparam("status", type_=String()), bindparam("total_amount", type_=Integer()),
            bindparam("currency", type_=String()), bindparam("special_requests", type_=Text()),
            bindparam("created_by_id", type_=Integer()),
            bindparam("created_at", type_=DateTime(timezone=True)),
            bindparam("updated_at", type_=DateTime(timezone=True)),
        )
        .limit(1),
    )
    # The room's number comes back with the booking: no query of its own afterwards.
    .returning(Booking.id, Booking.room_id, Booking.reference, ROOM_NUMBER_OF_BOOKING)
)  # fmt: skip
ROOM_TYPES = select(
    RoomType.id, RoomType.name, RoomType.capacity, RoomType.base_rate, RoomType.currency,
    RoomType.is_active,
).where(RoomType.id.in_(bindparam("ids", expanding=True))).order_by(RoomType.id)  # fmt: skip
RATES = SEASONAL_RATES.where(
    RoomRate.room_type_id.in_(bindparam("ids", expanding=True)),
    RoomRate.start_date < bindparam("last_out", type_=Date()),
    RoomRate.end_date > bindparam("first_in", type_=Date()),
)
# On PostgreSQL the room types are locked (see group_facts) and, in the same round trip, the
# rest of the transaction is planned afresh on each execution (SET LOCAL, as set_config with
# is_local): the free-room probe's best plan depends on how many bookings there are now, and
# a prepared statement's generic plan, made while the table was small (a new hotel's first
# minutes, before autovacuum has counted its rows), reads every booking on each execution.
LOCKED_ROOM_TYPES = ROOM_TYPES.add_columns(
    func.set_config("plan_cache_mode", "force_custom_plan", true())
).with_for_update()
GUESTS = select(User.id, User.full_name, User.email, User.role).where(
    User.id.in_(bindparam("ids", expanding=True))
)
# The guest's unconfirmed bookings, read in the group's transaction: a process writes one
# group at a time and counts a group's own bookings as it goes, and SQLite's write lock
# orders processes. Two PostgreSQL processes booking different room types for one guest at
# the same instant may each pass the cap by one; the hold's expiry bounds that too.
GUESTS_AND_PENDING = GUESTS.add_columns(
    select(func.count())
    .where(Booking.guest_id == User.id, Booking.status == BookingStatus.PENDING.value)
    .correlate(User)
    .scalar_subquery()
    .label("pending")
)


def _reference_unique() -> UniqueConstraint:
    table = Booking.__table__
    assert isinstance(table, Table)
    return next(
        c
        for c in table.constraints
        if isinstance(c, UniqueConstraint) and [col.name for col in c.columns] == ["reference"]
    )


# Two bookings drew the same (random) reference.
REFERENCE_UNIQUE = _reference_unique()


@dataclass(frozen=True, slots=True)
class Taken:
    """The room a booking took."""

    booking_id: int
    room_id: int
    room_number: str


@dataclass(slots=True)
class GroupFacts:
    """What a group's bookings need from the database besides the rooms themselves."""

    room_types: dict[int, Any]
    rates: dict[int, list[SeasonalRate]]
    guests: dict[int, Any]


async def group_facts(
    connection: AsyncConnection,
    *,
    lock_room_types: bool,
    room_type_ids: list[int],
    guest_ids: list[int],
    count_pending: bool,
    first_in: date,
    last_out: date,
) -> GroupFacts:
    """The room types (locked in id order when asked: on PostgreSQL the row locks serialise
    groups that book the same room types), their seasonal rates over the group's nights, and
    the guests (with their unconfirmed bookings when `count_pending`)."""
    type_ids = sorted(room_type_ids)
    query = LOCKED_ROOM_TYPES if lock_room_types else ROOM_TYPES
    room_types = {row.id: row for row in await connection.execute(query, {"ids": type_ids})}
    query = GUESTS_AND_PENDING if count_pending else GUESTS
    ids = sorted(guest_ids)
    guests = {row.id: row for row in await connection.execute(query, {"ids": ids})}
    span = {"ids": type_ids, "first_in": first_in, "last_out": last_out}
    return GroupFacts(room_types, await seasonal_rates(connection, RATES, span), guests)


def new_booking(
    *,
    reference: str,
    guest_id: int,
    room_type_id: int,
    check_in: date,
    check_out: date,
    guests: int,
    total_amount: int,
    currency: str,
    special_requests: str,
    created_by_id: int,
    now: datetime,
) -> dict[str, Any]:
    """The parameters of INSERT_INTO_FIRST_FREE_ROOM for one pending booking."""
    return {
        "reference": reference,
        "guest_id": guest_id,
        "room_type_id": room_type_id,
        "check_in": check_in,
        "earliest_check_in": rooms.earliest_overlapping_check_in(check_in),
        "check_out": check_out,
        "guests": guests,
        "status": BookingStatus.PENDING.value,
        "total_amount": total_amount,
        "currency": currency,
        "special_requests": special_requests,
        "created_by_id": created_by_id,
        "created_at": now,
        "updated_at": now,
    }


async def insert_into_first_free_rooms(
    connection: AsyncConnection, bookings: list[dict[str, Any]]
) -> dict[str, Taken]:
    """Insert each booking (see new_booking) into the first room of its type free for its
    nights, in order; the room each that found one took, by the booking's reference."""
    rows = await returning_each(connection, INSERT_INTO_FIRST_FREE_ROOM, bookings)
    return {row["reference"]: Taken(row["id"], row["room_id"], row["room_number"]) for row in rows}


async def guest_of_booking(session: AsyncSession, booking_id: int) -> int | None:
    """Whose booking `booking_id` is (its realtime channel's owner), if it exists."""
    return await session.scalar(select(Booking.guest_id).where(Booking.id == booking_id))
