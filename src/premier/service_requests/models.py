from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from premier.db import Base, Timestamped
from premier.users.models import Department, User


class RequestKind(StrEnum):
    HOUSEKEEPING = "housekeeping"
    MAINTENANCE = "maintenance"
    CONCIERGE = "concierge"


class RequestStatus(StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


# Which department answers each kind of request.
DEPARTMENT_FOR = {
    RequestKind.HOUSEKEEPING: Department.HOUSEKEEPING,
    RequestKind.MAINTENANCE: Department.MAINTENANCE,
    RequestKind.CONCIERGE: Department.CONCIERGE,
}


class ServiceRequest(Timestamped, Base):
    __tablename__ = "service_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The guest who asked; None for a task the hotel raised itself (the cleaning a departure
    # leaves, premier.rooms.housekeeping), which no guest sees or may cancel.
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    room_number: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[RequestKind] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    priority: Mapped[Priority] = mapped_column(String(8), default=Priority.NORMAL)
    status: Mapped[RequestStatus] = mapped_column(String(16), default=RequestStatus.OPEN)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    guest: Mapped[User | None] = relationship(foreign_keys=[guest_id], lazy="joined")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")

    __table_args__ = (Index("ix_service_requests_status_kind", "status", "kind"),)
