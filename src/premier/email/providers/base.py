"""What every email provider offers, and the two kinds of failure the worker tells apart."""

from dataclasses import dataclass, field
from typing import Protocol

from premier.delivery.attachment import Attachment
from premier.delivery.errors import PermanentFailure, TransientFailure, retry_after_seconds


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
    """An answer the adapter cannot read: the message may well have gone out."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransientError(TransientFailure):
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
        super().__init__("", message, status=status, retry_after=retry_after, ambiguous=ambiguous)


class PermanentError(PermanentFailure):
    """This message will never be accepted (bad address, rejected content): fail it now."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__("", message, status=status)


class EmailProvider(Protocol):
    name: str

    async def send(self, email: OutgoingEmail) -> SendResult: ...

    async def aclose(self) -> None: ...


parse_retry_after = retry_after_seconds
