from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from premier.db import Database
from premier.kit.time import utcnow
from premier.sms.models import SmsQueue


async def sms_rows(database: Database, **where: Any) -> list[SmsQueue]:
    async with database.reading() as session:
        query = select(SmsQueue).order_by(SmsQueue.id)
        for name, value in where.items():
            query = query.where(getattr(SmsQueue, name) == value)
        return list((await session.scalars(query)).all())


async def make_due(database: Database) -> None:
    """Let time pass: every waiting row becomes due now."""
    async with database.writing() as session:
        await session.execute(update(SmsQueue).values(next_attempt_at=utcnow()))
        await session.commit()


async def booked_guest(
    database: Database,
    *,
    email: str | None = None,
    phone: str = "+254712345678",
    status: str = "confirmed",
    days_from_today: int = 1,
) -> int:
    """A guest with a booking starting `days_from_today` (negative: a stay under way or,
    if long past, over) of two nights; returns the guest's id. Staff may write to them."""
    from premier.bookings.models import Booking, new_reference
    from premier.rooms.models import Room
    from premier.users.models import User
    from tests.helpers import hotel_date, make_room_type, make_user

    guest_id = await make_user(database, email=email)
    room_type = await make_room_type(database)
    check_in = hotel_date(days_from_today)
    async with database.writing() as session:
        room = await session.scalar(select(Room).where(Room.room_type_id == room_type))
        guest = await session.get(User, guest_id)
        assert room is not None and guest is not None
        guest.phone = phone
        session.add(
            Booking(
                reference=new_reference(), guest_id=guest_id, room_id=room.id,
                room_type_id=room_type, check_in=check_in, check_out=check_in + timedelta(days=2),
                guests=1, status=status, total_amount=100_000, currency="KES",
                created_by_id=guest_id,
            )
        )  # fmt: skip
        await session.commit()
    return guest_id
