from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base


class RealtimeEvent(Base):
    """One event as sent on one channel: the history a reconnecting client resumes from.

    Used on the embedded default; with Redis the history lives in Redis Streams instead.
    `frame` is the exact text that went over the wire, so a replay is byte-identical.
    """

    __tablename__ = "realtime_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(120))
    seq: Mapped[int]
    event_id: Mapped[str] = mapped_column(String(64))
    frame: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (
        UniqueConstraint("channel", "seq"),
        Index("ix_realtime_events_channel_event_id", "channel", "event_id"),
    )
