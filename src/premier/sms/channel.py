"""SMS as a channel of `notify()`: each message becomes an sms_queue row, within the
number's rate limit and the hotel's spending budgets, sent later by the SMS queue's worker.
A number on file that is not valid costs the message, never the change that caused it."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.kit.errors import InvalidInput
from premier.notifications.channels import Delivery, Message
from premier.notifications.models import PRIORITY_RANK, Channel
from premier.sms.service import queue_sms
from premier.users.models import User

RECIPIENT_LENGTH = 320


class SmsChannel:
    name = Channel.SMS

    def address_of(self, user: User) -> str | None:
        return user.phone or None

    async def deliver(
        self, *, session: AsyncSession, settings: Settings, messages: Sequence[Message]
    ) -> list[Delivery]:
        return [await self._queue(session, settings, message) for message in messages]

    async def _queue(self, session: AsyncSession, settings: Settings, message: Message) -> Delivery:
        try:
            row = await queue_sms(
                session=session,
                settings=settings,
                to=message.address,
                body=message.text,
                template=message.event_type,
                category=message.category,
                locale=message.locale,
                priority=PRIORITY_RANK[message.priority],
                user_id=message.user_id,
                notification_id=message.notification_id,
                created_by=message.created_by,
                not_before=message.not_before,
                essential=message.essential,
            )
        except InvalidInput as exc:
            return Delivery(
                "invalid_number", recipient=message.address[:RECIPIENT_LENGTH], detail=exc.message
            )
        return Delivery(row.status, recipient=row.to_phone, queue_id=row.id, detail=row.last_error)
