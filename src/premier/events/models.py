from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base
from premier.kit.time import utcnow


class QueueStatus(StrEnum):
    PENDING = "pending"
    DISPATCHED = "dispatched"
    FAILED = "failed"


class OutboxEvent(Base):
    """A committed event whose deferred subscribers have yet to run (or have run).

    Written in the transaction of the change, so a rollback leaves no row and a crash after
    commit loses nothing; the dispatcher runs the subscribers later, in a transaction of
    their own that also marks the row dispatched.
    """

    __tablename__ = "event_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique and made here: what lets SQLAlchemy insert a commit's rows in one statement and
    # still match the ids it returns to them (SQLite returns rows in no promised order).
    event_id: Mapped[str] = mapped_column(String(64), unique=True, insert_sentinel=True)
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[QueueStatus] = mapped_column(String(16), default=QueueStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_event_outbox_status_available", "status", "available_at", "id"),)
