"""Demo conversations for `premier seed --demo`: something to see in each inbox view."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.kit.time import utcnow
from premier.messaging.models import (
    CannedReply,
    Conversation,
    ConversationParticipant,
    ConversationStatus,
    ConversationType,
    Inbox,
    Message,
    MessageKind,
    ParticipantRole,
)
from premier.users.models import User

CANNED = [
    (Inbox.FRONT_DESK, "welcome", "Welcome, {guest_name}! Room {room} is yours from "
     "{check_in} to {check_out}. How can we help?"),
    (Inbox.FRONT_DESK, "late-checkout", "Late checkout until 14:00 is fine, {guest_name}."),
    (Inbox.HOUSEKEEPING, "on-the-way", "Someone from housekeeping is on the way to room {room}."),
    (Inbox.KITCHEN, "allergies", "Thank you, {guest_name}: we have noted your allergies."),
]  # fmt: skip


async def seed_conversations(session: AsyncSession) -> None:
    by_email = {u.email: u for u in await session.scalars(select(User))}
    guest, desk = by_email["guest@premier.test"], by_email["frontdesk@premier.test"]
    manager = by_email["manager@premier.test"]
    for department, shortcut, body in CANNED:
        session.add(CannedReply(department=department, shortcut=shortcut, body=body,
                                created_by_id=manager.id))  # fmt: skip
    start = utcnow() - timedelta(hours=2)
    conversation = Conversation(
        type=ConversationType.GUEST_STAFF, guest_id=guest.id, department=Inbox.FRONT_DESK,
        assignee_id=desk.id, assigned_at=start, status=ConversationStatus.OPEN,
        subject="Late checkout", last_message_at=start + timedelta(minutes=3),
        created_by_id=guest.id,
    )  # fmt: skip
    session.add(conversation)
    await session.flush()
    lines = [
        (guest, MessageKind.MESSAGE, "Hello! Could I check out at 2pm on my last day?"),
        (desk, MessageKind.NOTE, "Room is not booked the next night: fine to say yes."),
        (desk, MessageKind.MESSAGE, "Of course, late checkout until 14:00 is booked for you."),
    ]
    for n, (sender, kind, body) in enumerate(lines):
        session.add(Message(conversation_id=conversation.id, sender_id=sender.id, kind=kind,
                            body=body, client_message_id=f"demo-{n}",
                            created_at=start + timedelta(minutes=n)))  # fmt: skip
    await session.flush()
    for user, role in ((guest, ParticipantRole.GUEST), (desk, ParticipantRole.AGENT)):
        session.add(ConversationParticipant(conversation_id=conversation.id, user_id=user.id,
                                            role=role, joined_at=start))  # fmt: skip
