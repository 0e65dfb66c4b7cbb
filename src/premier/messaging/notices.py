"""Telling people who are away about messages they have not read: `message.received`.

A message's recipients are not notified at once: the live feed already shows it to whoever
is looking. `messaging_notify_after_seconds` later (the `message.notification_due` event,
held back in the event outbox until then) each recipient who still has not read it is
notified through notify() (in-app, email, push, as their preferences say), at most once a
conversation per `messaging_notify_quiet_minutes`: a burst of ten messages is one
notification, not ten, and someone who read it meanwhile gets none. The time of the last
notification is kept on their place in the conversation (`notified_at`).
"""

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.config import Settings
from premier.kit.time import as_utc, utcnow
from premier.messaging import output
from premier.messaging.models import (
    Conversation,
    ConversationParticipant,
    Message,
    MessageKind,
    ParticipantRole,
)
from premier.notifications.service import Notice, notify_many

EVENT_TYPE = "message.received"


def register(bus: events.EventBus, *, settings: Settings) -> None:
    async def handle(session: AsyncSession, batch: Sequence[events.DomainEvent]) -> None:
        notices: list[Notice] = []
        for event in batch:
            assert isinstance(event, events.MessageNotificationDue)
            notices += await _notices(session, settings, event)
        await notify_many(session=session, settings=settings, notices=notices)

    bus.subscribe_deferred_batch(events.MessageNotificationDue.type, handle)


async def schedule(
    session: AsyncSession, settings: Settings, message: Message, recipient_ids: list[int]
) -> None:
    """Emit, with the message, the reminder due `messaging_notify_after_seconds` later."""
    others = [user_id for user_id in recipient_ids if user_id != message.sender_id]
    if not others:
        return
    due = events.MessageNotificationDue(
        message_id=message.id, conversation_id=message.conversation_id, recipient_ids=others
    )
    delay = timedelta(seconds=settings.messaging_notify_after_seconds)
    await events.emit(session, due, not_before=due.occurred_at + delay)


async def _notices(
    session: AsyncSession, settings: Settings, event: events.MessageNotificationDue
) -> list[Notice]:
    message = await session.get(Message, event.message_id)
    conversation = await session.get(Conversation, event.conversation_id)
    if message is None or conversation is None:
        return []
    now = utcnow()
    quiet = timedelta(minutes=settings.messaging_notify_quiet_minutes)
    participants = (
        await session.scalars(
            select(ConversationParticipant).where(
                ConversationParticipant.conversation_id == conversation.id,
                ConversationParticipant.user_id.in_(event.recipient_ids),
            )
        )
    ).all()
    notices: list[Notice] = []
    for participant in participants:
        if (participant.last_read_message_id or 0) >= message.id:
            continue  # read it meanwhile
        if participant.notified_at is not None and now - as_utc(participant.notified_at) < quiet:
            continue  # told of this conversation a moment ago
        if message.kind == MessageKind.NOTE and participant.role == ParticipantRole.GUEST:
            continue
        participant.notified_at = now
        notices.append(
            Notice(
                recipients=[participant.user_id],
                event_type=EVENT_TYPE,
                context={
                    "conversation": {"id": conversation.id, "subject": conversation.subject,
                                     "department": conversation.department},
                    "message": {"sender_name": message.sender.full_name,
                                "preview": output.preview(message.body)},
                    "unread": await _unread(session, participant, guest=participant.role
                                            == ParticipantRole.GUEST),
                },
                data={"conversation_id": conversation.id, "message_id": message.id},
            )
        )  # fmt: skip
    return notices


async def _unread(
    session: AsyncSession, participant: ConversationParticipant, *, guest: bool
) -> int:
    query = select(func.count(Message.id)).where(
        Message.conversation_id == participant.conversation_id,
        Message.id > func.coalesce(participant.last_read_message_id, 0),
        Message.sender_id != participant.user_id,
    )
    if guest:
        query = query.where(Message.kind == MessageKind.MESSAGE)
    return int(await session.scalar(query) or 0)
