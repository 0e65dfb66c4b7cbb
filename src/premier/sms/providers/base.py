"""The one interface every SMS provider implements, and the outcomes it reports.

A provider either returns `Accepted` or raises one of two errors:
- `PermanentFailure`: this message will never go out through any provider as it is
  (invalid number, recipient blacklisted, ...). The row fails at once with the reason.
- `TransientFailure`: try again later or through another provider (timeouts, 429, 5xx,
  insufficient balance, bad credentials of this provider). With `retry_after` when the
  provider said how long to wait.
"""

from dataclasses import dataclass
from typing import Protocol

import httpx


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


class SendFailure(Exception):
    def __init__(self, provider: str, reason: str, *, code: str | None = None) -> None:
        super().__init__(f"{provider}: {reason}" + (f" (code {code})" if code else ""))
        self.provider = provider
        self.reason = reason
        self.code = code


class PermanentFailure(SendFailure):
    """The message cannot be sent as it is; retrying elsewhere will not help."""


class TransientFailure(SendFailure):
    """This provider could not take the message now; retry later or fail over."""

    def __init__(
        self,
        provider: str,
        reason: str,
        *,
        code: str | None = None,
        retry_after: float | None = None,
        ambiguous: bool = False,
    ) -> None:
        super().__init__(provider, reason, code=code)
        self.retry_after = retry_after
        # The request may have reached the provider (it timed out after being sent): the
        # message may be on its way, so it must not go to the next provider at once, or the
        # guest could get (and we pay for) two. Neither API has an idempotency key.
        self.ambiguous = ambiguous


def transport_failure(provider: str, exc: Exception) -> TransientFailure:
    """A failure to talk to the provider at all; ambiguous unless the request never left."""
    sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    return TransientFailure(provider, f"request failed: {exc!r}", ambiguous=sent)


class SmsProvider(Protocol):
    name: str

    async def send(self, message: OutboundSms) -> Accepted: ...


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
