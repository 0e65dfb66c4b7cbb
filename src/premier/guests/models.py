"""What the hotel remembers about a guest between stays: the preferences they (or the desk)
set, and the notes staff write for each other. Notes are for staff only: no schema a guest
can be answered with carries them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Audited, Base, Timestamped
from premier.kit.time import utcnow


class Pillow(StrEnum):
    SOFT = "soft"
    FIRM = "firm"
    FEATHER = "feather"
    HYPOALLERGENIC = "hypoallergenic"


class Floor(StrEnum):
    HIGH = "high"
    LOW = "low"


class Diet(StrEnum):
    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"
    HALAL = "halal"
    KOSHER = "kosher"
    GLUTEN_FREE = "gluten_free"
    LACTOSE_FREE = "lactose_free"


class GuestPreferences(Audited, Timestamped, Base):
    """One row per guest who has said anything; a guest without one has no preferences."""

    __tablename__ = "guest_preferences"

    guest_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    pillow: Mapped[Pillow | None] = mapped_column(String(16))
    floor: Mapped[Floor | None] = mapped_column(String(8))
    dietary: Mapped[list[str]] = mapped_column(JSON, default=list)
    allergies: Mapped[str] = mapped_column(String(500), default="")
    language: Mapped[str | None] = mapped_column(String(8))
    other: Mapped[str] = mapped_column(Text, default="")


class GuestNote(Base):
    """A note one member of staff leaves about a guest for the others ("prefers the quiet
    side", "paid late last time"). Written once, never edited: each carries its author."""

    __tablename__ = "guest_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    guest_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
