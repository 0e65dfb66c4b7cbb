"""Read state: what each participant has read, and unread counts.

A participant's `last_read_message_id` is the whole state: messages with a greater id, from
someone else and of a kind they may see, are unread (message ids only grow). Changes are
announced on the reader's own user channel, so their other tabs and devices follow, and as
`conversation.read` to the other participants, so their "Seen" follows at once. A guest is
told only of people they know of there, and only of a mark at a message: a mark at a note
reaches them as the last message before it, exactly as the conversation shows it.
"""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.kit.time import utcnow
from premier.messaging import assignment
from premier.messaging.models import (
    Conversation,
    ConversationParticipant,
    ConversationType,
    Message,
    ParticipantRole,
)
from premier.messaging.schemas import ReadState, UnreadConversation, UnreadCounts
from premier.messaging.visibility import (
    get_conversation,
    get_message,
    known_to_guest,
    mark_for_guest,
    visible_kinds,
    within_reach,
)


async def mark_read(
    *, session: AsyncSession, actor: Actor, message_id: int, unread: bool = False
) -> ReadState:
    """Read up to and including the message; with `unread`, from it on is unread again.

    Reading a conversation one can see makes one a participant of it (staff of the inbox
    who answer it), so its unread count and live messages follow them from then on.
    """
    message = await get_message(session, actor, message_id)
    conversation = await get_conversation(session, actor, message.conversation_id)
    participant = await assignment.join(
        session, conversation.id, actor.id, assignment.role_of(conversation, actor)
    )
    before = participant.last_read_message_id
    if unread:
        participant.last_read_message_id = message.id - 1
    else:
        participant.last_read_message_id = max(participant.last_read_message_id or 0, message.id)
    participant.last_read_at = utcnow()
    await session.flush()
    counts = await unread_counts(session=session, actor=actor)
    state = ReadState(
        conversation_id=conversation.id,
        last_read_message_id=participant.last_read_message_id,
        unread=next((c.unread for c in counts.conversations
                     if c.conversation_id == conversation.id), 0),
        unread_total=counts.total,
    )  # fmt: skip
    await events.emit(
        session,
        events.ConversationUpdated(
            conversation_id=conversation.id, change="unread" if unread else "read",
            status=conversation.status, assignee_id=conversation.assignee_id,
            department=conversation.department, recipient_ids=[actor.id],
            last_read_message_id=state.last_read_message_id, unread=state.unread,
            unread_total=state.unread_total,
        ),
    )  # fmt: skip
    await _tell_others(session, conversation, actor.id, before, participant.last_read_message_id)
    await events.commit(session)
    return state


async def _tell_others(
    session: AsyncSession,
    conversation: Conversation,
    reader_id: int,
    before: int | None,
    mark: int | None,
) -> None:
    """Publish the reader's new mark to the other participants (see the module's doc). A
    guest hears of it only when the mark as they may know it moved: reading a note after
    the last message tells them nothing, not even that something was read."""
    if before == mark:
        return  # read again what was read already: nothing moved
    others = (
        await session.scalars(
            select(ConversationParticipant).where(
                ConversationParticipant.conversation_id == conversation.id,
                ConversationParticipant.user_id != reader_id,
            )
        )
    ).all()
    staff = sorted(p.user_id for p in others if p.role != ParticipantRole.GUEST)
    if staff:
        await events.emit(
            session,
            events.ConversationRead(conversation_id=conversation.id, user_id=reader_id,
                                    last_read_message_id=mark, recipient_ids=staff),
        )  # fmt: skip
    guests = sorted(p.user_id for p in others if p.role == ParticipantRole.GUEST)
    if not guests or conversation.type != ConversationType.GUEST_STAFF:
        return
    if reader_id not in await known_to_guest(session, conversation):
        return  # staff reading along stay behind the scenes
    shown = await mark_for_guest(session, conversation.id, mark)
    if shown == await mark_for_guest(session, conversation.id, before):
        return
    await events.emit(
        session,
        events.ConversationRead(conversation_id=conversation.id, user_id=reader_id,
                                last_read_message_id=shown, recipient_ids=guests),
    )  # fmt: skip


async def unread_by_conversation(
    session: AsyncSession, actor: Actor, conversation_ids: Sequence[int] | None = None
) -> dict[int, int]:
    """Messages from others after the actor's last read one, in conversations they take
    part in (and still see: a conversation handed out of their reach counts no more)."""
    if conversation_ids is not None and not conversation_ids:
        return {}
    query = (
        select(ConversationParticipant.conversation_id, func.count(Message.id))
        .join(Message, Message.conversation_id == ConversationParticipant.conversation_id)
        .join(Conversation, Conversation.id == ConversationParticipant.conversation_id)
        .where(
            ConversationParticipant.user_id == actor.id,
            Message.id > func.coalesce(ConversationParticipant.last_read_message_id, 0),
            Message.sender_id != actor.id,
            visible_kinds(actor),
            within_reach(actor),
        )
        .group_by(ConversationParticipant.conversation_id)
    )
    if conversation_ids is not None:
        query = query.where(ConversationParticipant.conversation_id.in_(conversation_ids))
    return {
        conversation_id: count for conversation_id, count in (await session.execute(query)).all()
    }


async def unread_counts(*, session: AsyncSession, actor: Actor) -> UnreadCounts:
    counts = await unread_by_conversation(session, actor)
    return UnreadCounts(
        total=sum(counts.values()),
        conversations=[
            UnreadConversation(conversation_id=c, unread=n) for c, n in sorted(counts.items())
        ],
    )
