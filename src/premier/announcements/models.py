from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base
from premier.kit.time import utcnow


class AnnouncementStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENT = "sent"
    CANCELLED = "cancelled"


class AnnouncementPriority(StrEnum):
    NORMAL = "normal"
    IMPORTANT = "important"
    # Every channel, past preferences, quiet hours and budgets; a banner until acknowledged.
    EMERGENCY = "emergency"


class Announcement(Base):
    __tablename__ = "announcements"
    __table_args__ = (
        Index("ix_announcements_due", "status", "scheduled_for"),
        UniqueConstraint("created_by", "client_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The Swahili text; recipients who read Swahili get it, the others the English.
    title_sw: Mapped[str] = mapped_column(String(200), default="")
    body_sw: Mapped[str] = mapped_column(Text, default="")
    template: Mapped[str | None] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(16), default=AnnouncementPriority.NORMAL)
    # {"kind": "vips"} / {"kind": "department", "department": "kitchen"} / ... (see targets.py)
    target: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=AnnouncementStatus.DRAFT)
    scheduled_for: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sent_by_worker: Mapped[str | None] = mapped_column(String(64))
    recipient_count: Mapped[int | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The creator's key for one create: the same key twice returns the first announcement.
    client_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AnnouncementRecipient(Base):
    """One person an announcement went to: the in-app notification it became (the delivery
    log links each channel's message to it) and when they acknowledged it."""

    __tablename__ = "announcement_recipients"
    __table_args__ = (
        UniqueConstraint("announcement_id", "user_id"),
        Index("ix_announcement_recipients_user_id", "user_id", "announcement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), index=True
    )
    acknowledged_at: Mapped[datetime | None]
