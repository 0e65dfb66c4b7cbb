"""The one interface every SMS provider implements, and the outcomes it reports.

A provider either returns `Accepted` or raises one of two errors (from
`premier.delivery.errors`):
- `PermanentFailure`: this message will never go out through any provider as it is
  (invalid number, recipient blacklisted, ...). The row fails at once with the reason.
- `TransientFailure`: try again later or through another provider (timeouts, 429, 5xx,
  insufficient balance, bad credentials of this provider). With `retry_after` when the
  provider said how long to wait.

Each provider module also parses its callbacks: delivery reports into
`premier.delivery.tracking.TrackingEvent`, replies from people into `InboundSms`.
"""

from dataclasses import dataclass
from typing import Protocol

from premier.delivery.errors import (
    PermanentFailure,
    TransientFailure,
    retry_after_seconds,
    transport_failure,
)
from premier.sms.keywords import Intent

__all__ = [
    "Accepted",
    "InboundSms",
    "OutboundSms",
    "PermanentFailure",
    "SmsProvider",
    "TransientFailure",
    "retry_after_seconds",
    "transport_failure",
]


@dataclass(frozen=True, slots=True)
class OutboundSms:
    reference: str  # our id for the message, unique per queue row
    to: str  # E.164
    body: str
    sender: str | None = None
    status_callback_url: str | None = None


@dataclass(frozen=True, slots=True)
class Accepted:
    provider: str
    provider_message_id: str
    status: str = "sent"  # "queued" when the provider only queued it
    segments: int | None = None
    price: int | None = None  # minor units, when the provider reports it at once
    price_currency: str | None = None


class SmsProvider(Protocol):
    name: str

    async def send(self, message: OutboundSms) -> Accepted: ...


@dataclass(frozen=True, slots=True)
class InboundSms:
    """A message a person sent us (a reply, or a provider's opt-out notice)."""

    provider: str
    sender: str  # the guest's number
    to: str  # our number, short code or sender id
    text: str
    intent: Intent
