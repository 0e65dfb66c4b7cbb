"""Web Push as a channel of `notify()`: a message becomes one push_queue row for each
device its recipient allowed, sent later by the push queue's worker. Someone with no
device is simply not reached this way (logged `no_device`)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.db.bulk import insert_rows
from premier.kit.time import utcnow
from premier.notifications.channels import Delivery, Message
from premier.notifications.links import target_of
from premier.notifications.models import PRIORITY_RANK, Channel, Priority
from premier.push import service
from premier.push.models import PushQueue, PushSubscription
from premier.push.vapid import vapid_of
from premier.users.models import User

BODY_LENGTH = 1000  # what fits a notification's few lines, well within one record
QUEUE: Table = PushQueue.__table__  # type: ignore[assignment]
URGENCY = {Priority.URGENT: "high", Priority.HIGH: "high", Priority.LOW: "low"}


class PushChannel:
    name = Channel.PUSH
    # Where its messages wait to be sent: how far each has got (announcement progress).
    queue_model = PushQueue

    def address_of(self, user: User) -> str | None:
        # Devices are looked up for the whole batch in `deliver`.
        return f"user:{user.id}"

    async def deliver(
        self, *, session: AsyncSession, settings: Settings, messages: Sequence[Message]
    ) -> list[Delivery]:
        if vapid_of(settings) is None:
            return [Delivery("not_configured", recipient=m.address) for m in messages]
        devices = await service.of_users(
            session=session, user_ids=[m.user_id for m in messages if m.user_id is not None]
        )
        reached = [devices.get(message.user_id or 0, []) for message in messages]
        rows = [
            queue_row(settings, message, device)
            for message, found in zip(messages, reached, strict=True)
            for device in found
        ]
        ids = await insert_rows(session, QUEUE, rows)
        deliveries = []
        first = 0  # each message's rows follow the previous message's
        for message, found in zip(messages, reached, strict=True):
            if not found:
                deliveries.append(Delivery("no_device", recipient=message.address))
                continue
            detail = f"{len(found)} device(s)" if len(found) > 1 else None
            deliveries.append(
                Delivery("queued", recipient=message.address, queue_id=ids[first], detail=detail)
            )
            first += len(found)
        return deliveries


def payload_of(message: Message) -> dict[str, object]:
    """What the service worker shows, and where a click leads."""
    return {
        "title": message.subject,
        "body": message.text[:BODY_LENGTH],
        "url": target_of(message.data),
        "tag": f"notification-{message.notification_id}" if message.notification_id else None,
        "notification_id": message.notification_id,
        "category": message.category,
        "priority": message.priority.value,
    }


def queue_row(settings: Settings, message: Message, device: PushSubscription) -> dict[str, Any]:
    """The push_queue row's values; the columns left out take their defaults. Plain values,
    not a PushQueue: a fan-out writes one per device of every recipient."""
    return {
        "subscription_id": device.id,
        "user_id": message.user_id,
        "notification_id": message.notification_id,
        "endpoint": device.endpoint,
        "p256dh": device.p256dh,
        "auth": device.auth,
        "payload": payload_of(message),
        "template": message.event_type,
        "category": message.category,
        "ttl_seconds": settings.push_ttl_seconds,
        "urgency": URGENCY.get(message.priority, "normal"),
        "priority": PRIORITY_RANK[message.priority],
        "max_attempts": settings.push_max_attempts,
        "next_attempt_at": message.not_before or utcnow(),
    }
