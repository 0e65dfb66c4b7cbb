"""What every email provider offers, and the two kinds of failure the worker tells apart."""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    """One rendered email for one recipient, as the worker hands it to a provider."""

    message_id: str  # "<...@domain>"
    from_address: str
    from_name: str | None
    to_address: str
    to_name: str | None
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()
    category: str = "general"
    outbox_id: int | None = None


@dataclass(frozen=True, slots=True)
class SendResult:
    provider_message_id: str | None


class ProviderError(Exception):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class TransientError(ProviderError):
    """Worth retrying later (timeouts, refused connections, 429, 5xx); counts against the
    provider's circuit breaker, so the next provider may take over."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        ambiguous: bool = False,
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after
        # True when the provider may have accepted the message anyway (a timeout after the
        # request went out): then we do not hand it to the next provider at once.
        self.ambiguous = ambiguous


class PermanentError(ProviderError):
    """This message will never be accepted (bad address, rejected content): fail it now."""


class EmailProvider(Protocol):
    name: str

    async def send(self, email: OutgoingEmail) -> SendResult: ...

    async def aclose(self) -> None: ...


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After is seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    from premier.kit.time import utcnow

    try:
        return max(0.0, (parsedate_to_datetime(value) - utcnow()).total_seconds())
    except (TypeError, ValueError):
        return None
