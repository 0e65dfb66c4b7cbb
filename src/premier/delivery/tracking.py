"""What a provider tells us happened to a message, in one shape for every channel.

Each provider module parses its own callbacks (and only it knows their format) into
`TrackingEvent`s; each channel records them against its own queue rows (email in
`premier.email.tracking`, SMS in `premier.sms.tracking`). A kind a channel has no use for
(an SMS is never "opened") is simply never produced by that channel's providers.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from premier.kit.time import utcnow


class TrackingKind(StrEnum):
    ACCEPTED = "accepted"  # the provider queued it
    SENDING = "sending"  # the provider is handing it to the network (SMS)
    SENT = "sent"  # handed to the network; no word from the handset yet (SMS)
    DEFERRED = "deferred"  # soft failure; the provider keeps trying
    DELIVERED = "delivered"
    OPENED = "opened"
    CLICKED = "clicked"
    BOUNCED = "bounced"  # the recipient's server or network refused it (SMS: undelivered)
    COMPLAINED = "complained"
    UNSUBSCRIBED = "unsubscribed"
    FAILED = "failed"  # dropped or rejected by the provider
    CANCELLED = "cancelled"  # withdrawn before it went out (SMS)
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    provider: str
    # Unique per provider: a provider's retry of the same callback carries the same id.
    event_id: str
    kind: TrackingKind
    occurred_at: datetime
    recipient: str | None = None
    provider_message_id: str | None = None
    # Our queue row's id, when the provider echoes back what we sent with the message.
    queue_id: int | None = None
    permanent: bool = True  # for bounces: hard (suppress) or soft
    code: str | None = None  # the provider's error code, if any
    detail: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def from_unix(value: Any) -> datetime:
    """A provider's Unix timestamp; now when it sent none (or nonsense)."""
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return utcnow()


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
