"""SMS delivery tracking: where a message stands (`SmsStatus`), and `record`, which applies
a provider's delivery report to its queue row.

Each provider parses its own callbacks (`premier.sms.providers.<name>`) into
`premier.delivery.tracking.TrackingEvent`; nothing here reads a provider's format.
"""

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.delivery.tracking import TrackingEvent, TrackingKind
from premier.kit.time import utcnow
from premier.sms.models import SmsQueue
from premier.sms.phone import normalise


class SmsStatus(StrEnum):
    HELD = "held"  # over budget, waiting for an admin
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL = frozenset(
    {SmsStatus.DELIVERED, SmsStatus.UNDELIVERED, SmsStatus.FAILED, SmsStatus.CANCELLED}
)

# What each kind of report means for an SMS; the kinds not here (opened, ...) never come
# from an SMS provider and change nothing.
STATUS_OF = {
    TrackingKind.ACCEPTED: SmsStatus.QUEUED,
    TrackingKind.SENDING: SmsStatus.SENDING,
    TrackingKind.SENT: SmsStatus.SENT,
    TrackingKind.DELIVERED: SmsStatus.DELIVERED,
    TrackingKind.BOUNCED: SmsStatus.UNDELIVERED,
    TrackingKind.FAILED: SmsStatus.FAILED,
    TrackingKind.CANCELLED: SmsStatus.CANCELLED,
}


def status_of(event: TrackingEvent) -> SmsStatus | None:
    return STATUS_OF.get(event.kind)


def may_follow(current: str, new: SmsStatus) -> bool:
    """A late or repeated report never moves a message backwards or out of a final state."""
    order = [SmsStatus.QUEUED, SmsStatus.SENDING, SmsStatus.SENT]
    if current in FINAL:
        return False
    if new in FINAL:
        return True
    if current in order and new in order:
        return order.index(new) > order.index(SmsStatus(current))
    return True


async def record(*, session: AsyncSession, event: TrackingEvent) -> bool:
    """Record a delivery report; unknown ids and stale or repeated reports change nothing."""
    status = status_of(event)
    if status is None or not event.provider_message_id:
        return False
    row = await session.scalar(
        select(SmsQueue).where(
            SmsQueue.provider == event.provider,
            SmsQueue.provider_message_id == event.provider_message_id,
        )
    )
    if row is None:
        return False
    if event.recipient and _same_number(event.recipient, row.to_phone) is False:
        return False
    if not may_follow(row.delivery_status or SmsStatus.SENT.value, status):
        return False
    row.delivery_status = status.value
    if status is SmsStatus.DELIVERED:
        row.delivered_at = utcnow()
    if status in FINAL and status is not SmsStatus.DELIVERED:
        row.error_code = event.code
        row.last_error = event.detail or event.code or row.last_error
    await session.commit()
    return True


def _same_number(reported: str, stored: str) -> bool | None:
    try:
        return normalise(reported) == stored
    except ValueError:
        return None
