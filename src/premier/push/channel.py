"""Web Push as a channel of `notify()`: a message becomes one push_queue row for each
device its recipient allowed, sent later by the push queue's worker. Someone with no
device is simply not reached this way (logged `no_device`)."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.db.bulk import insert_objects
from premier.notifications.channels import Delivery, Message
from premier.notifications.links import target_of
from premier.notifications.models import PRIORITY_RANK, Channel, Priority
from premier.push import service
from premier.push.models import PushQueue, PushSubscription
from premier.push.vapid import vapid_of
from premier.users.models import User

BODY_LENGTH = 1000  # what fits a notification's few lines, well within one record
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
        rows: list[list[PushQueue]] = [
            [
                queue_row(settings, message, device)
                for device in devices.get(message.user_id or 0, [])
            ]
            for message in messages
        ]
        await insert_objects(session, [row for found in rows for row in found])
        return [
            Delivery(
                "queued",
                recipient=message.address,
                queue_id=found[0].id,
                detail=f"{len(found)} device(s)" if len(found) > 1 else None,
            )
            if found
            else Delivery("no_device", recipient=message.address)
            for message, found in zip(messages, rows, strict=True)
        ]


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


def queue_row(settings: Settings, message: Message, device: PushSubscription) -> PushQueue:
    kwargs = {}
    if message.not_before is not None:
        kwargs["next_attempt_at"] = message.not_before
    return PushQueue(
        subscription_id=device.id,
        user_id=message.user_id,
        notification_id=message.notification_id,
        endpoint=device.endpoint,
        p256dh=device.p256dh,
        auth=device.auth,
        payload=payload_of(message),
        template=message.event_type,
        category=message.category,
        ttl_seconds=settings.push_ttl_seconds,
        urgency=URGENCY.get(message.priority, "normal"),
        priority=PRIORITY_RANK[message.priority],
        max_attempts=settings.push_max_attempts,
        **kwargs,
    )
