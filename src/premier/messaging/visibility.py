"""Who sees which conversation and which messages, from the access table.

The table's scope decides the broad reach (a guest's own conversations, a department's
inbox, everything for the management); taking part in a conversation adds it to anyone's
reach whose seat holds the permission at all, which is how staff chats and conversations
handed to someone of another department are seen. A conversation out of reach is "not
found", never "forbidden", so its id tells nothing. Notes are seen by whoever may write
them, never by guests.
"""

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth import access
from premier.auth.actor import Actor
from premier.kit.errors import NotFound
from premier.messaging.models import (
    Conversation,
    ConversationParticipant,
    ConversationType,
    Message,
    MessageKind,
)
from premier.users.models import Department

RESOURCE = "conversation"


def sees_notes(actor: Actor) -> bool:
    return access.allows(actor, "conversation", "write_note")


def visible_kinds(actor: Actor) -> ColumnElement[bool]:
    """A condition on Message: a kind the actor may see."""
    return true() if sees_notes(actor) else Message.kind == MessageKind.MESSAGE


def taking_part(user_id: int) -> ColumnElement[bool]:
    return Conversation.id.in_(
        select(ConversationParticipant.conversation_id).where(
            ConversationParticipant.user_id == user_id
        )
    )


def within_reach(actor: Actor, action: str = "read") -> ColumnElement[bool]:
    """A condition on Conversation: the actor's grant of `action` reaches it."""
    scope = access.grant_of(actor, RESOURCE, action)
    if scope is None:
        return false()
    if scope is access.ALL:
        return true()
    if scope is access.OWN:
        return or_(Conversation.guest_id == actor.id, taking_part(actor.id))
    departments = access.handled_departments(actor, RESOURCE, action)
    inbox = and_(
        Conversation.type == ConversationType.GUEST_STAFF,
        Conversation.department.in_([d.value for d in departments]),
    )
    return or_(inbox, Conversation.assignee_id == actor.id, taking_part(actor.id))


async def reaches(
    session: AsyncSession, actor: Actor, action: str, conversation: Conversation
) -> bool:
    departments = (Department(conversation.department),) if conversation.department else ()
    if access.reaches(
        actor, RESOURCE, action, owner_id=conversation.guest_id,
        departments=departments, assignee_id=conversation.assignee_id,
    ):  # fmt: skip
        return True
    if access.grant_of(actor, RESOURCE, action) is None:
        return False
    return bool(
        await session.scalar(
            select(
                exists().where(
                    ConversationParticipant.conversation_id == conversation.id,
                    ConversationParticipant.user_id == actor.id,
                )
            )
        )
    )


async def get_conversation(
    session: AsyncSession, actor: Actor, conversation_id: int, action: str = "read"
) -> Conversation:
    """The conversation if the actor may read it and do `action` to it; NotFound when it
    is out of their reading reach, whatever the reason."""
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None or not await reaches(session, actor, "read", conversation):
        raise NotFound(f"conversation {conversation_id} not found")
    if action != "read" and not await reaches(session, actor, action, conversation):
        access.check(actor, RESOURCE, action)  # no grant at all: the table's own refusal
        raise NotFound(f"conversation {conversation_id} not found")
    return conversation


async def get_message(session: AsyncSession, actor: Actor, message_id: int) -> Message:
    """A message the actor may see (a note is 'not found' to a guest)."""
    message = await session.get(Message, message_id)
    if message is None or (message.kind == MessageKind.NOTE and not sees_notes(actor)):
        raise NotFound(f"message {message_id} not found")
    try:
        await get_conversation(session, actor, message.conversation_id)
    except NotFound:
        raise NotFound(f"message {message_id} not found") from None
    return message


async def mark_for_guest(
    session: AsyncSession, conversation_id: int, mark: int | None
) -> int | None:
    """A read mark as a guest may know it: the last message (not note) up to the mark, so
    a staff member's read mark never names, nor hints at, a note."""
    if mark is None:
        return None
    visible: int | None = await session.scalar(
        select(func.max(Message.id)).where(
            Message.conversation_id == conversation_id,
            Message.kind == MessageKind.MESSAGE,
            Message.id <= mark,
        )
    )
    return visible


async def known_to_guest(session: AsyncSession, conversation: Conversation) -> set[int]:
    """The people a guest may know of in their conversation: themselves, the assignee and
    whoever wrote to them; staff who only read along or wrote notes stay behind the scenes."""
    writers = (
        await session.scalars(
            select(Message.sender_id).where(
                Message.conversation_id == conversation.id,
                Message.kind == MessageKind.MESSAGE,
            )
        )
    ).all()
    shown = set(writers)
    shown.update(i for i in (conversation.guest_id, conversation.assignee_id) if i is not None)
    return shown
