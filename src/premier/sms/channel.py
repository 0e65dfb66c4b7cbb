"""SMS as a channel of `notify()`: each message becomes an sms_queue row, within the
number's rate limit and the hotel's spending budgets, sent later by the SMS queue's worker.
A number on file that is not valid costs the message, never the change that caused it."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.kit.errors import InvalidInput
from premier.notifications.channels import Delivery, Message
from premier.notifications.models import PRIORITY_RANK, Channel
from premier.sms.models import SmsQueue
from premier.sms.queueing import SmsRequest, queue_many
from premier.users.models import User

RECIPIENT_LENGTH = 320


class SmsChannel:
    name = Channel.SMS
    # Where its messages wait to be sent: how far each has got (announcement progress).
    queue_model = SmsQueue

    def address_of(self, user: User) -> str | None:
        return user.phone or None

    async def deliver(
        self, *, session: AsyncSession, settings: Settings, messages: Sequence[Message]
    ) -> list[Delivery]:
        results = await queue_many(
            session=session, settings=settings, requests=[_request(m) for m in messages]
        )
        return [
            _delivery(message, result) for message, result in zip(messages, results, strict=True)
        ]


def _request(message: Message) -> SmsRequest:
    return SmsRequest(
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


def _delivery(message: Message, result: SmsQueue | InvalidInput) -> Delivery:
    if isinstance(result, InvalidInput):
        return Delivery(
            "invalid_number", recipient=message.address[:RECIPIENT_LENGTH], detail=result.message
        )
    return Delivery(
        result.status, recipient=result.to_phone, queue_id=result.id, detail=result.last_error
    )
