"""A browser's push subscription, and the push queue: one row per message per device."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base
from premier.delivery.queue import QueueColumns
from premier.kit.time import utcnow


class PushSubscription(Base):
    """Where one browser of one user is reached: the push service's endpoint (a secret
    capability URL, never shown back through the API) and the keys to encrypt for it.
    `device_id` is chosen by the browser, so one device keeps one subscription."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "device_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    endpoint: Mapped[str] = mapped_column(Text)
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sent_at: Mapped[datetime | None]


class PushQueue(QueueColumns, Base):
    """One push message to one subscription. The endpoint and keys are copied when queued
    (the worker needs no join)."""

    __tablename__ = "push_queue"

    # Emptied when the device unsubscribes or its endpoint expires: the row then stays, as
    # the record of what happened, but is never sent.
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    endpoint: Mapped[str] = mapped_column(Text)
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    # What the service worker shows: title, body, url (the notification's target), tag.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    template: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32), default="")
    ttl_seconds: Mapped[int] = mapped_column(default=86_400)
    urgency: Mapped[str] = mapped_column(String(8), default="normal")
