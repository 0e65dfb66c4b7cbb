"""What every payment provider does for us, and the one event its news is turned into.

A provider adapter speaks one provider's wire format and nothing else: it starts a payment,
checks and reads what the provider sends back (a signed webhook, an unsigned callback that
it confirms with a query), asks about a payment, and refunds one. Everything it learns comes
out as a `PaymentEvent`; the payment service applies those events and never sees a
provider's format. A provider that cannot do something says so (`Unsupported`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from premier.kit.errors import InvalidInput, PermissionDenied, ProviderUnavailable
from premier.kit.money import MINOR_UNITS


class Outcome(StrEnum):
    """Where a provider says a payment is. Ordered by `RANK` in the payment service."""

    PENDING = "pending"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class NextAction(StrEnum):
    """What the guest does next: pay on a provider's page, answer their phone, or nothing."""

    REDIRECT = "redirect"
    CHECK_PHONE = "check_phone"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Charge:
    """A payment to start: `amount` in minor units of `currency`, already converted."""

    reference: str  # ours, unique per payment: the provider's idempotency key too
    amount: int
    currency: str
    description: str
    payer_email: str
    payer_name: str
    phone: str | None  # E.164 digits without '+', for M-Pesa
    return_url: str  # where a redirect method sends the guest back
    callback_url: str  # where an unsigned provider posts its result (per payment)


@dataclass(frozen=True, slots=True)
class Started:
    provider_reference: str | None  # the provider's id of the attempt
    next_action: NextAction
    redirect_url: str | None = None
    message: str | None = None  # what to tell the guest now


@dataclass(frozen=True, slots=True)
class PaymentEvent:
    """One thing a provider told us about one payment, in our terms.

    `event_id` is unique per provider and names this piece of news (stored once: a repeat
    is acknowledged and ignored). `reference` is ours; `provider_reference` the provider's
    id of the attempt; either finds the payment. `amount` and `currency` are what the
    provider says moved, checked against what we asked for before anything is credited."""

    provider: str
    event_id: str
    outcome: Outcome
    reference: str | None = None
    provider_reference: str | None = None
    charge_id: str | None = None  # what a refund names: intent, capture, transaction, receipt
    amount: int | None = None
    currency: str | None = None
    refunded_amount: int | None = None  # the provider's total refunded so far
    message: str | None = None  # for the guest, when it failed
    occurred_at: datetime | None = None
    verified: bool = True  # confirmed with the provider itself, not only by the sender


@dataclass(frozen=True, slots=True)
class Attempt:
    """What we know of a payment when asking a provider about it."""

    reference: str
    provider_reference: str | None
    charge_id: str | None
    amount: int
    currency: str


@dataclass(frozen=True, slots=True)
class Refunded:
    refund_id: str
    amount: int
    done: bool  # False while the provider still processes it


@dataclass(frozen=True, slots=True)
class Incoming:
    """A webhook or callback as it arrived: the raw bytes, never re-serialised."""

    headers: Mapping[str, str]
    body: bytes
    path_token: str | None = None
    expected: Attempt | None = field(default=None)  # the payment a secret path names


class InvalidWebhook(PermissionDenied):
    """A webhook whose signature, secret or age does not check out."""

    status_code = 401
    code = "invalid_signature"


class Unsupported(InvalidInput):
    """A method, currency or action this provider does not carry."""

    code = "unsupported"


class ProviderDeclined(InvalidInput):
    """The provider refused the request itself (bad number, refused refund)."""

    code = "provider_declined"


class ProviderDown(ProviderUnavailable):
    """The provider did not answer, or answered 5xx. `sent` says whether the request may
    have reached it (None: cannot tell): a charge that may have left is never sent again
    by a provider without idempotency keys."""

    def __init__(self, message: str, *, sent: bool | None) -> None:
        super().__init__(message)
        self.sent = sent


class PaymentProvider(Protocol):
    name: str
    # The methods a guest may choose that this provider carries (`card` is Stripe's).
    methods: frozenset[str]
    currencies: frozenset[str]
    # Whether `start` may be called again for the same `Charge.reference` without a second
    # charge (the provider deduplicates it); M-Pesa's STK Push may not.
    restart_safe: bool
    # Amounts it takes are multiples of this many minor units (M-Pesa: whole shillings).
    amount_step: int

    async def start(self, charge: Charge) -> Started: ...

    async def parse(self, incoming: Incoming) -> list[PaymentEvent]:
        """Verify and read a webhook; raises InvalidWebhook when it does not check out."""
        ...

    async def query(self, attempt: Attempt) -> PaymentEvent | None:
        """Where the payment is now, asked of the provider; None when it does not know."""
        ...

    async def refund(self, attempt: Attempt, *, amount: int, reason: str, key: str) -> Refunded: ...

    async def aclose(self) -> None:
        """Close what the provider opened itself (not the shared HTTP session it borrows)."""
        ...


def to_major(amount: int, currency: str) -> str:
    """Minor units as the decimal string providers want ('1500.00')."""
    digits = MINOR_UNITS.get(currency, 2)
    if digits == 0:
        return str(amount)
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 10**digits)
    return f"{sign}{whole}.{part:0{digits}d}"


def to_minor(value: str | int | float, currency: str) -> int:
    """A provider's major-unit amount ('15.00', 15, 15.0) in minor units, exactly."""
    digits = MINOR_UNITS.get(currency, 2)
    return int((Decimal(str(value)) * 10**digits).to_integral_value())
