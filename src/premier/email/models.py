from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base
from premier.delivery.queue import QueueColumns
from premier.kit.time import utcnow


class EmailQueue(QueueColumns, Base):
    """One email to one recipient, rendered when queued; sent by the email queue's worker."""

    __tablename__ = "email_queue"

    message_id: Mapped[str] = mapped_column(String(255), unique=True)  # our Message-ID
    to_address: Mapped[str] = mapped_column(String(320), index=True)
    to_name: Mapped[str | None] = mapped_column(String(200))
    from_address: Mapped[str] = mapped_column(String(320))
    from_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(998))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # [{"filename", "content_type", "content_b64"}]
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    template: Mapped[str | None] = mapped_column(String(64), index=True)
    category: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Delivery tracking after the provider accepted it: delivered, opened, clicked, bounced...
    delivery_status: Mapped[str | None] = mapped_column(String(16))
    delivered_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    clicked_at: Mapped[datetime | None]
    bounced_at: Mapped[datetime | None]


class CapturedEmail(Base):
    """Mail 'sent' by the development `capture` provider: stored and shown in the viewer of
    captured mail, never sent anywhere."""

    __tablename__ = "email_capture"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), index=True)
    to_address: Mapped[str] = mapped_column(String(320))
    from_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(998))
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]


class EmailEvent(Base):
    """A provider's tracking event, normalized; unique per provider event id so that a
    webhook delivered twice is acted on once."""

    __tablename__ = "email_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(255))
    email_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_queue.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str | None] = mapped_column(String(320))
    provider_message_id: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookToken(Base):
    """A webhook signature's one-time token, kept for as long as its timestamp is accepted.

    Mailgun signs only timestamp + token, not the event: without this, one captured
    signature could carry any other event (a bounce that suppresses a guest's email)."""

    __tablename__ = "email_webhook_tokens"

    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    token: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
