from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base, Timestamped
from premier.delivery.queue import QueueColumns


class SmsQueue(QueueColumns, Base):
    """One text message to one phone number (E.164), rendered when queued."""

    __tablename__ = "sms_queue"

    to_phone: Mapped[str] = mapped_column(String(20), index=True)
    body: Mapped[str] = mapped_column(Text)
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
    delivery_status: Mapped[str | None] = mapped_column(String(16))

    # Filled when queued: what the message costs by our price table.
    country: Mapped[str | None] = mapped_column(String(2))
    encoding: Mapped[str | None] = mapped_column(String(8))
    segments: Mapped[int] = mapped_column(default=1)
    estimated_cost: Mapped[int] = mapped_column(default=0)  # minor units of cost_currency
    cost_currency: Mapped[str | None] = mapped_column(String(3))
    # What the provider says it charged, when it says so.
    price: Mapped[int | None]
    price_currency: Mapped[str | None] = mapped_column(String(3))
    error_code: Mapped[str | None] = mapped_column(String(64))
    delivered_at: Mapped[datetime | None]
    emergency: Mapped[bool] = mapped_column(default=False)
    # Ties a row to what it is about (e.g. "booking:12:checkin_reminder") so it can be
    # cancelled when that thing changes.
    reference: Mapped[str | None] = mapped_column(String(64), index=True)


# Budget checks sum a day's or a month's spend hotel-wide; without this they scan the queue.
Index("ix_sms_queue_created_at", SmsQueue.created_at)


class PhoneVerification(Timestamped, Base):
    """One-time codes proving a user holds a phone number. Only a hash of the code is kept."""

    __tablename__ = "phone_verifications"
    __table_args__ = (Index("ix_phone_verifications_user_phone", "user_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    sends: Mapped[int] = mapped_column(default=1)
    last_sent_at: Mapped[datetime]
    verified_at: Mapped[datetime | None]


class OtpSend(Base):
    """One verification code sent: what the per-number, per-address and per-account caps
    count (a verification row is reused for resends and knows neither the address nor
    each send's time)."""

    __tablename__ = "otp_sends"
    __table_args__ = (
        Index("ix_otp_sends_phone_sent_at", "phone", "sent_at"),
        Index("ix_otp_sends_client_address_sent_at", "client_address", "sent_at"),
        Index("ix_otp_sends_user_sent_at", "user_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    client_address: Mapped[str | None] = mapped_column(String(45))
    sent_at: Mapped[datetime]
