from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from premier.db import Audited, Base, Timestamped
from premier.kit.time import utcnow


class RoomStatus(StrEnum):
    IN_SERVICE = "in_service"
    OUT_OF_SERVICE = "out_of_service"


class Housekeeping(StrEnum):
    """Whether a room is ready for its next guest, as housekeeping last left it."""

    CLEAN = "clean"
    DIRTY = "dirty"


class BoardStatus(StrEnum):
    """A room's place on the status board (premier.rooms.housekeeping decides it)."""

    VACANT_CLEAN = "vacant_clean"
    VACANT_DIRTY = "vacant_dirty"
    OCCUPIED = "occupied"
    OUT_OF_SERVICE = "out_of_service"


class RoomType(Audited, Timestamped, Base):
    __tablename__ = "room_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int]
    base_rate: Mapped[int]  # minor units per night
    currency: Mapped[str] = mapped_column(String(3))
    image_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    amenities: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("base_rate >= 0", name="base_rate_not_negative"),
    )


class Room(Audited, Timestamped, Base):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    floor: Mapped[int] = mapped_column(default=1)
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_types.id"))
    status: Mapped[RoomStatus] = mapped_column(String(20), default=RoomStatus.IN_SERVICE)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Why a manager took the room out of service (empty while it is in service).
    out_of_service_reason: Mapped[str] = mapped_column(String(500), default="")
    # Whether it is ready for a guest: a departure makes it dirty, housekeeping cleans it.
    # Occupancy is not stored here: it is the checked-in booking (rooms.housekeeping).
    housekeeping: Mapped[Housekeeping] = mapped_column(String(16), default=Housekeeping.CLEAN)
    # Who last changed the housekeeping state or the service state, and when (a plain id:
    # see Audited).
    housekeeping_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    housekeeping_changed_by_id: Mapped[int | None] = mapped_column(default=None)

    room_type: Mapped[RoomType] = relationship(lazy="joined")

    # A type's rooms in number order: booking takes the first free one and stops there,
    # instead of probing every room of the type and sorting them.
    __table_args__ = (Index("ix_rooms_type_number", "room_type_id", "number"),)


class RoomRate(Audited, Timestamped, Base):
    """A seasonal nightly rate for a room type over [start_date, end_date)."""

    __tablename__ = "room_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_types.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    nightly_rate: Mapped[int]
    label: Mapped[str] = mapped_column(String(80), default="")

    __table_args__ = (
        CheckConstraint("end_date > start_date", name="range_not_empty"),
        CheckConstraint("nightly_rate >= 0", name="rate_not_negative"),
    )


class RoomTypeImage(Base):
    """A photo of a room type's gallery: an upload, in the order guests see them."""

    __tablename__ = "room_type_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_types.id", ondelete="CASCADE"))
    # A deleted upload leaves the gallery with it.
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    position: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(default=None)

    __table_args__ = (
        UniqueConstraint("room_type_id", "upload_id", name="uq_room_type_images_type_upload"),
        Index("ix_room_type_images_type_position", "room_type_id", "position"),
    )


class InventoryVersion(Base):
    """One row whose `version` database triggers bump whenever rooms, room types, rates or
    the nights bookings hold change, from any process: cached availability compares it."""

    __tablename__ = "inventory_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
