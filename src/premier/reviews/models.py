from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from premier.db import Base, Timestamped
from premier.users.models import User


class Review(Timestamped, Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), unique=True)
    guest_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    # The hotel's answer, shown to the guest under their review; a manager writes it.
    reply: Mapped[str | None] = mapped_column(Text, default=None)
    replied_by_id: Mapped[int | None] = mapped_column(default=None)
    replied_at: Mapped[datetime | None] = mapped_column(default=None)

    guest: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)


class ReviewImage(Base):
    """A photo the guest added to their review, in the order they chose."""

    __tablename__ = "review_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    position: Mapped[int]

    __table_args__ = (UniqueConstraint("review_id", "upload_id"),)
