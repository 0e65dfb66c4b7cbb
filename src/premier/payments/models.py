from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base, Timestamped
from premier.kit.time import utcnow


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    # Recorded by mistake (cash only) and struck out by a manager: it never counted.
    VOIDED = "voided"


class PaymentMethod(StrEnum):
    CASH = "cash"
    MPESA = "mpesa"
    CARD = "card"
    STRIPE = "stripe"
    PAYPAL = "paypal"
    FLUTTERWAVE = "flutterwave"

    @property
    def label(self) -> str:
        """What guests, the desk and receipts call it."""
        return _METHOD_LABELS[self]


_METHOD_LABELS = {
    PaymentMethod.CASH: "Cash",
    PaymentMethod.MPESA: "M-Pesa",
    PaymentMethod.CARD: "Card",
    PaymentMethod.STRIPE: "Card",
    PaymentMethod.PAYPAL: "PayPal",
    PaymentMethod.FLUTTERWAVE: "Flutterwave",
}


class Payment(Timestamped, Base):
    """One attempt to pay a bill, in the currency its method charges (`amount`, `currency`).

    When the method does not take the bill's currency, the bill's own amount and currency
    are kept beside it with the exchange rate used and when that rate was set."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[PaymentMethod] = mapped_column(String(16))
    provider: Mapped[str | None] = mapped_column(String(32))
    provider_reference: Mapped[str | None] = mapped_column(String(128), index=True)
    status: Mapped[PaymentStatus] = mapped_column(String(20), default=PaymentStatus.PENDING)
    refunded_amount: Mapped[int] = mapped_column(default=0)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # What a refund names at the provider: PaymentIntent, capture, transaction, receipt.
    provider_charge_id: Mapped[str | None] = mapped_column(String(128), index=True)
    bill_amount: Mapped[int | None]
    bill_currency: Mapped[str | None] = mapped_column(String(3))
    fx_rate: Mapped[str | None] = mapped_column(String(32))
    fx_rate_at: Mapped[datetime | None]
    next_action: Mapped[str | None] = mapped_column(String(16))
    redirect_url: Mapped[str | None] = mapped_column(Text)
    # sha256 of the secret in this payment's own callback path (unsigned providers).
    callback_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Set when a provider reported something that does not match (amount, currency).
    flagged_reason: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime | None]  # last asked of its provider
    settled_at: Mapped[datetime | None]
    # Cash: what the guest handed over, when more than the payment, and the change given.
    tendered_amount: Mapped[int | None]
    change_due: Mapped[int | None]
    # A mistaken cash payment struck out by a manager: who, when and why.
    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("refunded_amount >= 0 AND refunded_amount <= amount", name="refund_fits"),
    )


class PaymentEventRecord(Base):
    """Every piece of provider news, once: a repeat of (provider, event_id) is a duplicate."""

    __tablename__ = "payment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(160))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    # applied, ignored (stale or no change), flagged (mismatch), unmatched (no payment)
    result: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("provider", "event_id"),)


class PaymentRequest(Base):
    """An `Idempotency-Key` as its caller used it: the body it came with, the payment it
    made and the answer given, so a repeat gets that answer and never a second charge.

    `locked_until` is set while one request works on the key; another request with the key
    meanwhile is told to retry (409), and after a crash the lease runs out."""

    __tablename__ = "payment_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(128))
    fingerprint: Mapped[str] = mapped_column(String(64))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    response_status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("actor_id", "key"),)


class RefundStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class PaymentRefund(Base):
    """A refund, written before the provider is asked, so a retry finds it."""

    __tablename__ = "payment_refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    key: Mapped[str] = mapped_column(String(128))
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[RefundStatus] = mapped_column(String(16), default=RefundStatus.PENDING)
    provider_refund_id: Mapped[str | None] = mapped_column(String(128))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("payment_id", "key"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )


class PaymentReceipt(Base):
    """A succeeded payment's receipt: a PDF kept as a private upload of the payer's."""

    __tablename__ = "payment_receipts"

    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), primary_key=True
    )
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
