"""Who answers a guest's conversation.

Automatic (when a guest opens one): round-robin among the department's active staff, each
taking at most `messaging_agent_open_cap` open conversations. "Round-robin" without a
pointer to keep: the next agent is the one whose latest assignment is the oldest (never
assigned comes first), so agents take turns and one who joins the shift starts at once.
When everyone is at the cap the conversation stays unassigned in the department's inbox,
where any of its staff may take it. Two guests opening conversations at the same instant
may both land on the same agent: a turn skipped, nothing lost.

Manual: staff of the conversation's department, or the management, hand it to a staff
member of that department or to a manager (or unassign it).
"""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.kit.errors import InvalidInput
from premier.kit.time import utcnow
from premier.messaging.models import (
    Conversation,
    ConversationParticipant,
    ConversationStatus,
    ConversationType,
    ParticipantRole,
)
from premier.users.models import Role, User


async def next_agent(session: AsyncSession, *, department: str, cap: int) -> int | None:
    open_conversations = (
        select(func.count(Conversation.id))
        .where(Conversation.assignee_id == User.id, Conversation.status == ConversationStatus.OPEN)
        .correlate(User)
        .scalar_subquery()
    )
    latest_assignment = (
        select(func.max(Conversation.assigned_at))
        .where(Conversation.assignee_id == User.id)
        .correlate(User)
        .scalar_subquery()
    )
    query = (
        select(User.id)
        .where(
            User.role == Role.STAFF,
            User.department == department,
            User.is_active.is_(True),
            open_conversations < cap,
        )
        .order_by(latest_assignment.asc().nulls_first(), User.id)
        .limit(1)
    )
    agent: int | None = await session.scalar(query)
    return agent


async def check_assignee(session: AsyncSession, conversation: Conversation, user_id: int) -> User:
    """An active staff member of the conversation's department, or a manager or admin."""
    user = await session.get(User, user_id)
    serves = (
        user is not None
        and user.is_active
        and (
            user.role in (Role.MANAGER, Role.ADMIN)
            or (user.role == Role.STAFF and user.department == str(conversation.department))
        )
    )
    if user is None or not serves:
        raise InvalidInput(
            f"no staff member of {conversation.department} with id {user_id}",
            details={"assignee_id": user_id},
        )
    return user


async def assign_to(session: AsyncSession, conversation: Conversation, user_id: int | None) -> None:
    conversation.assignee_id = user_id
    conversation.assigned_at = utcnow() if user_id is not None else None
    if user_id is not None:
        await join(session, conversation.id, user_id, ParticipantRole.AGENT)


async def join(
    session: AsyncSession, conversation_id: int, user_id: int, role: ParticipantRole
) -> ConversationParticipant:
    """The user's place in the conversation, made on first need. Two first needs at once
    (two tabs marking it read) make one: the loser of the race reads the winner's row."""
    query = select(ConversationParticipant).where(
        ConversationParticipant.conversation_id == conversation_id,
        ConversationParticipant.user_id == user_id,
    )
    participant = await session.scalar(query)
    if participant is not None:
        return participant
    participant = ConversationParticipant(
        conversation_id=conversation_id, user_id=user_id, role=role, joined_at=utcnow()
    )
    try:
        async with events.savepoint(session):
            session.add(participant)
            await session.flush()
    except IntegrityError:
        found = await session.scalar(query)
        if found is None:
            raise
        return found
    return participant


def role_of(conversation: Conversation, actor: Actor) -> ParticipantRole:
    """The place an actor takes in a conversation they write in or read."""
    if conversation.type == ConversationType.STAFF_STAFF:
        return ParticipantRole.MEMBER
    return ParticipantRole.GUEST if actor.id == conversation.guest_id else ParticipantRole.AGENT
