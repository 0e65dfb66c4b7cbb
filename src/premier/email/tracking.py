"""Email delivery tracking: every provider's webhook is parsed (in its provider module) into
`premier.delivery.tracking.TrackingEvent`s; `record` applies them to the queue row, the
delivery log and suppressions. Nothing outside the providers sees a provider's format."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.delivery.tracking import TrackingEvent, TrackingKind
from premier.email.models import EmailEvent, EmailQueue
from premier.kit.time import utcnow
from premier.notifications.models import Channel, DeliveryLog
from premier.notifications.suppressions import suppress


def delivery_log(
    row: EmailQueue,
    *,
    status: str,
    provider: str | None,
    provider_message_id: str | None,
    detail: str | None,
) -> dict[str, Any]:
    """The delivery-log line (column values) for something that happened to this email."""
    return {
        "notification_id": row.notification_id,
        "user_id": row.user_id,
        "event_type": row.template or "email",
        "channel": Channel.EMAIL.value,
        "recipient": row.to_address,
        "status": status,
        "provider": provider,
        "provider_message_id": provider_message_id,
        "queue_id": row.id,
        "detail": detail,
        "created_at": utcnow(),
    }


# How far along an email is; a later event never moves it back (an "opened" that arrives
# before "delivered" stays opened). Failures outrank everything.
# The column that remembers when each of these first happened to an email.
STAMPED_AT = {
    TrackingKind.DELIVERED: "delivered_at",
    TrackingKind.OPENED: "opened_at",
    TrackingKind.CLICKED: "clicked_at",
    TrackingKind.BOUNCED: "bounced_at",
}

RANK = {
    None: 0,
    TrackingKind.ACCEPTED: 0,
    TrackingKind.DEFERRED: 0,
    TrackingKind.DELIVERED: 1,
    TrackingKind.OPENED: 2,
    TrackingKind.CLICKED: 3,
    TrackingKind.UNSUBSCRIBED: 4,
    TrackingKind.FAILED: 5,
    TrackingKind.BOUNCED: 6,
    TrackingKind.COMPLAINED: 7,
}


async def _find_row(session: AsyncSession, event: TrackingEvent) -> EmailQueue | None:
    if event.queue_id:
        row = await session.get(EmailQueue, event.queue_id)
        if row is not None:
            return row
    if event.provider_message_id:
        return await session.scalar(
            select(EmailQueue).where(
                EmailQueue.provider == event.provider,
                EmailQueue.provider_message_id == event.provider_message_id,
            )
        )
    return None


async def record(*, session: AsyncSession, events: list[TrackingEvent]) -> int:
    """Apply events once each (a provider's retry is recognised by its event id); the caller
    commits. Returns how many were new."""
    applied = 0
    for event in events:
        seen = await session.scalar(
            select(EmailEvent.id).where(
                EmailEvent.provider == event.provider, EmailEvent.event_id == event.event_id
            )
        )
        if seen is not None:
            continue
        applied += 1
        row = await _find_row(session, event)
        session.add(
            EmailEvent(
                provider=event.provider,
                event_id=event.event_id,
                email_id=row.id if row else None,
                kind=event.kind,
                recipient=event.recipient,
                provider_message_id=event.provider_message_id,
                detail=event.detail,
                payload=event.raw,
                occurred_at=event.occurred_at,
            )
        )
        address = (event.recipient or (row.to_address if row else "")).lower()
        if row is not None:
            current = TrackingKind(row.delivery_status) if row.delivery_status else None
            soft_bounce = event.kind == TrackingKind.BOUNCED and not event.permanent
            if RANK.get(event.kind, 0) > RANK.get(current, 0) and not soft_bounce:
                row.delivery_status = event.kind
            stamp = STAMPED_AT.get(event.kind)
            if stamp is not None and getattr(row, stamp) is None:
                setattr(row, stamp, event.occurred_at)
            log_line = delivery_log(
                row,
                status=event.kind,
                provider=event.provider,
                provider_message_id=event.provider_message_id,
                detail=event.detail,
            )
            session.add(DeliveryLog(**log_line))
        if not address:
            continue
        if event.kind == TrackingKind.BOUNCED and event.permanent:
            reason, category = "bounce", "*"
        elif event.kind == TrackingKind.COMPLAINED:
            reason, category = "complaint", "*"
        elif event.kind == TrackingKind.UNSUBSCRIBED:
            reason, category = "unsubscribe", row.category if row is not None else "*"
        else:
            continue
        await suppress(
            session=session,
            channel=Channel.EMAIL,
            address=address,
            category=category,
            reason=reason,
            source=event.provider,
        )
    return applied
