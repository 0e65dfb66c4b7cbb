"""A stay's running bill: what the desk posts to it, and check-outs let go with it open.

The folio itself is not a table. Its lines are read from the rows that already hold them
(the booking's total, orders charged to the room, payments and their refunds) and from
the charges below, so the balance can never drift from what was posted and paid."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base
from premier.kit.time import utcnow


class ChargeCategory(StrEnum):
    MINIBAR = "minibar"
    LAUNDRY = "laundry"
    DAMAGE = "damage"
    LATE_CHECKOUT = "late_checkout"
    TELEPHONE = "telephone"
    PARKING = "parking"
    SPA = "spa"
    RESTAURANT = "restaurant"
    OTHER = "other"


class FolioCharge(Base):
    """Something the front desk posted to a stay: kept when voided, with who and why."""

    __tablename__ = "folio_charges"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    category: Mapped[ChargeCategory] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(200))
    unit_amount: Mapped[int]
    quantity: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    posted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)
    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("unit_amount > 0", name="unit_amount_positive"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity


class CheckoutOverride(Base):
    """A manager checked a guest out with money still owed: who, why, and how much."""

    __tablename__ = "checkout_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    balance_due: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
