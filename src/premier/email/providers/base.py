"""What every email provider offers.

`send` returns a `SendResult` or raises `premier.delivery.errors.PermanentFailure` (this
message will never be accepted: fail it now) or `TransientFailure` (this provider cannot
take it now: retry later, or let the next provider try unless the failure is ambiguous).
"""

from dataclasses import dataclass, field
from typing import Protocol

from premier.delivery.attachment import Attachment


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
    # The queue row's id. Providers send it along (as "outbox_id", the name webhooks of mail
    # already sent carry back) so that a tracking event finds its row.
    queue_id: int | None = None


@dataclass(frozen=True, slots=True)
class SendResult:
    provider_message_id: str | None


class EmailProvider(Protocol):
    name: str

    async def send(self, email: OutgoingEmail) -> SendResult: ...

    async def aclose(self) -> None: ...
