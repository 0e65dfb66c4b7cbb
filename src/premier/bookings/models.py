import secrets
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from premier.db import Base, Timestamped
from premier.rooms.models import Room, RoomType
from premier.users.models import User


class BookingStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    CANCELLED = "cancelled"
    # Confirmed, and the guest never came: the room is free again (premier.bookings.stay).
    NO_SHOW = "no_show"


# A booking in one of these states holds its room for its nights.
HOLDS_ROOM = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)

# The longest stay. The database refuses a longer one (migration 0009), which is what lets
# the free-room probe look only at bookings that began at most this long before a stay.
MAX_NIGHTS = 60

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
assert len(REFERENCE_ALPHABET) == 32


def new_reference() -> str:
    """Six characters a guest can read out on the phone (no 0/O, 1/I). The alphabet has 32
    letters, so a random byte modulo 32 picks each one uniformly, at an eighth of the cost of
    secrets.choice (a booking's reference is made on every booking request).

    Six letters make about a billion references: with 10,000 bookings stored, one new
    booking in about 100,000 draws a reference already taken, and the writer draws again.
    """
    size = len(REFERENCE_ALPHABET)
    return "PH-" + "".join(REFERENCE_ALPHABET[b % size] for b in secrets.token_bytes(6))


class Booking(Timestamped, Base):
    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    guest_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_types.id"))
    check_in: Mapped[date]
    check_out: Mapped[date]
    guests: Mapped[int]
    status: Mapped[BookingStatus] = mapped_column(String(16), default=BookingStatus.PENDING)
    total_amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    special_requests: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None]
    cancellation_reason: Mapped[str | None] = mapped_column(String(500))
    checked_in_at: Mapped[datetime | None]
    checked_out_at: Mapped[datetime | None]

    guest: Mapped[User] = relationship(foreign_keys=[guest_id], lazy="joined")
    room: Mapped[Room] = relationship(lazy="joined")
    room_type: Mapped[RoomType] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("check_out > check_in", name="stay_not_empty"),
        CheckConstraint("guests > 0", name="guests_positive"),
        Index("ix_bookings_room_dates", "room_id", "check_in", "check_out"),
        Index("ix_bookings_check_in", "check_in"),
        Index("ix_bookings_check_out", "check_out"),
    )

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days
