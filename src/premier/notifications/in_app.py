"""The in-app channel: the notification center's inbox rows, announced live as they are
written. It is the core's own channel; the others link their messages to its rows."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.config import Settings
from premier.db.bulk import insert_objects
from premier.kit.time import utcnow
from premier.notifications.channels import Delivery, Message
from premier.notifications.models import Channel, Notification
from premier.users.models import User

TITLE_LENGTH = 300


class InAppChannel:
    name = Channel.IN_APP

    def address_of(self, user: User) -> str | None:
        return f"user:{user.id}"

    async def deliver(
        self, *, session: AsyncSession, settings: Settings, messages: Sequence[Message]
    ) -> list[Delivery]:
        now = utcnow()
        rows = [
            Notification(
                user_id=message.user_id,
                event_type=message.event_type,
                category=message.category,
                priority=message.priority,
                title=message.subject[:TITLE_LENGTH],
                body=message.text,
                data=message.data,
                created_at=now,
            )
            for message in messages
        ]
        await insert_objects(session, rows)
        for row in rows:
            await events.emit(
                session,
                events.NotificationCreated(
                    notification_id=row.id,
                    user_id=row.user_id,
                    event_type=row.event_type,
                    category=row.category,
                    priority=row.priority,
                    title=row.title,
                    body=row.body,
                ),
            )
        return [
            Delivery("delivered", recipient=message.address, notification=row)
            for message, row in zip(messages, rows, strict=True)
        ]
