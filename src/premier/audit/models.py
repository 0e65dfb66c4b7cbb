from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base
from premier.kit.time import utcnow


class AuditEntry(Base):
    """One change a signed-in person made: `POST /api/v1/bookings/12/check-in` by user 7 is
    resource `bookings`, id 12, action `check-in`. Request bodies are never kept (they may
    hold passwords or card-free but personal data); the entry says what was done, to what."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int] = mapped_column(index=True)
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(255))
    resource: Mapped[str] = mapped_column(String(40))
    resource_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(40))
    status: Mapped[int]

    __table_args__ = (Index("ix_audit_entries_resource", "resource", "resource_id"),)
