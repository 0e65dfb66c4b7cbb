"""Conversations and their messages: open, list, read, send, assign, close.

Every change commits with its domain event (premier.events): `message.created` to the
participants' user channels (notes to the staff among them only) and the department's
channel, `conversation.updated` for the rest. The live feed therefore never tells of a
message that was rolled back, and the notification fan-out hears of it from the same event.
"""

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.bookings.models import Booking
from premier.config import Settings
from premier.kit.errors import Conflict, NotFound, PermissionDenied, RateLimited
from premier.kit.pagination import Page, PageParams
from premier.kit.time import utcnow
from premier.messaging import assignment, notices, output
from premier.messaging.models import (
    Conversation,
    ConversationParticipant,
    ConversationStatus,
    ConversationType,
    Message,
    MessageAttachment,
    MessageKind,
    ParticipantRole,
)
from premier.messaging.reading import unread_by_conversation
from premier.messaging.schemas import (
    ConversationCreate,
    ConversationDetail,
    ConversationOut,
    ConversationView,
    MessageOut,
    MessageSend,
)
from premier.messaging.visibility import (
    get_conversation,
    known_to_guest,
    mark_for_guest,
    reaches,
    sees_notes,
    visible_kinds,
    within_reach,
)
from premier.storage.protocol import Storage
from premier.uploads import service as uploads
from premier.uploads.models import Purpose
from premier.users.models import Role, User

RATE_WINDOW = timedelta(minutes=1)


# --- opening and listing ------------------------------------------------------------------


async def create_conversation(
    *, session: AsyncSession, settings: Settings, actor: Actor, data: ConversationCreate
) -> Conversation:
    """A guest opens a conversation with a department, which is handed to its next agent
    at once; a staff member opens a chat with colleagues."""
    if data.type is ConversationType.GUEST_STAFF:
        conversation = await _open_guest_conversation(session, settings, actor, data)
    else:
        conversation = await _open_staff_chat(session, actor, data)
    await _announce(session, conversation, "opened")
    await events.commit(session)
    return conversation


async def _open_guest_conversation(
    session: AsyncSession, settings: Settings, actor: Actor, data: ConversationCreate
) -> Conversation:
    if actor.role != Role.GUEST:
        raise PermissionDenied(
            "guests open conversations with a department; staff open staff chats",
            code="guests_only",
        )
    if data.booking_id is not None:
        booking = await session.get(Booking, data.booking_id)
        if booking is None or booking.guest_id != actor.id:
            raise NotFound(f"booking {data.booking_id} not found")
    assert data.department is not None  # the schema requires it for this type
    conversation = Conversation(
        type=ConversationType.GUEST_STAFF, guest_id=actor.id, department=data.department,
        booking_id=data.booking_id, subject=data.subject, status=ConversationStatus.OPEN,
        created_by_id=actor.id, updated_by_id=actor.id,
    )  # fmt: skip
    session.add(conversation)
    await session.flush()
    await assignment.join(session, conversation.id, actor.id, ParticipantRole.GUEST)
    agent = await assignment.next_agent(
        session, department=data.department, cap=settings.messaging_agent_open_cap
    )
    await assignment.assign_to(session, conversation, agent)
    await session.flush()
    await session.refresh(conversation)
    return conversation


async def _open_staff_chat(
    session: AsyncSession, actor: Actor, data: ConversationCreate
) -> Conversation:
    if actor.role == Role.GUEST:
        raise PermissionDenied("staff chats are for staff", code="staff_only")
    wanted = sorted({*data.participant_ids} - {actor.id})
    colleagues = (
        await session.scalars(
            select(User.id).where(
                User.id.in_(wanted), User.role != Role.GUEST, User.is_active.is_(True)
            )
        )
    ).all()
    missing = sorted(set(wanted) - set(colleagues))
    if missing or not wanted:
        raise NotFound("no such colleagues", details={"participant_ids": missing})
    conversation = Conversation(
        type=ConversationType.STAFF_STAFF, subject=data.subject, status=ConversationStatus.OPEN,
        created_by_id=actor.id, updated_by_id=actor.id,
    )  # fmt: skip
    session.add(conversation)
    await session.flush()
    for user_id in (actor.id, *wanted):
        await assignment.join(session, conversation.id, user_id, ParticipantRole.MEMBER)
    await session.refresh(conversation)
    return conversation


async def list_conversations(
    *,
    session: AsyncSession,
    actor: Actor,
    page: PageParams,
    view: ConversationView,
    department: str | None,
    status: ConversationStatus | None,
    type: ConversationType | None,
    booking_id: int | None = None,
) -> Page[ConversationOut]:
    query = select(Conversation).where(within_reach(actor))
    if booking_id is not None:
        query = query.where(Conversation.booking_id == booking_id)
    if view == "mine":
        query = query.where(Conversation.assignee_id == actor.id)
    elif view == "unassigned":
        query = query.where(
            Conversation.assignee_id.is_(None),
            Conversation.type == ConversationType.GUEST_STAFF,
        )
    if department is not None:
        query = query.where(Conversation.department == department)
    if status is not None:
        query = query.where(Conversation.status == status)
    if type is not None:
        query = query.where(Conversation.type == type)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    latest = func.coalesce(Conversation.last_message_at, Conversation.created_at)
    rows = (
        await session.scalars(
            query.order_by(latest.desc(), Conversation.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
    ).all()
    ids = [c.id for c in rows]
    unread = await unread_by_conversation(session, actor, ids)
    last = await output.latest_messages(session, actor, ids)
    items = [output.conversation(c, unread.get(c.id, 0), last.get(c.id)) for c in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


async def conversation_detail(
    *,
    session: AsyncSession,
    storage: Storage,
    actor: Actor,
    conversation_id: int,
    before: int | None,
    limit: int,
) -> ConversationDetail:
    """The conversation with one page of its messages, newest first: `before` is the
    cursor (a message id), so pages stay put while new messages arrive."""
    conversation = await get_conversation(session, actor, conversation_id)
    query = select(Message).where(Message.conversation_id == conversation.id, visible_kinds(actor))
    if before is not None:
        query = query.where(Message.id < before)
    rows = list((await session.scalars(query.order_by(Message.id.desc()).limit(limit + 1))).all())
    more = len(rows) > limit
    rows = rows[:limit]
    participants = (
        await session.scalars(
            select(ConversationParticipant)
            .where(ConversationParticipant.conversation_id == conversation.id)
            .order_by(ConversationParticipant.id)
        )
    ).all()
    if not sees_notes(actor):
        participants = await _known_to_guest(session, conversation, participants)
    return ConversationDetail(
        conversation=await _out(session, actor, conversation),
        participants=[
            output.participant(p, await _read_mark_seen_by(session, actor, p)) for p in participants
        ],
        messages=await output.messages(session, storage, actor, rows),
        next_before=rows[-1].id if more and rows else None,
    )


async def _known_to_guest(
    session: AsyncSession,
    conversation: Conversation,
    participants: Sequence[ConversationParticipant],
) -> list[ConversationParticipant]:
    shown = await known_to_guest(session, conversation)
    return [p for p in participants if p.user_id in shown]


async def _read_mark_seen_by(
    session: AsyncSession, actor: Actor, participant: ConversationParticipant
) -> int | None:
    """How far a participant has read, as the actor may know it (see mark_for_guest)."""
    mark = participant.last_read_message_id
    if sees_notes(actor):
        return mark
    return await mark_for_guest(session, participant.conversation_id, mark)


# --- sending ------------------------------------------------------------------------------


async def send_message(
    *, session: AsyncSession, settings: Settings, storage: Storage, actor: Actor, data: MessageSend
) -> tuple[MessageOut, bool]:
    """Store a message and tell the participants; (message, whether it is new).

    A send repeated with the sender's `client_message_id` answers with the first message
    (a phone retrying on a bad network must not post twice), and is not rate-limited. A
    guest writing to a closed conversation opens it again.
    """
    first = await _sent_before(session, actor.id, data.client_message_id)
    if first is not None:
        return await _repeat(session, storage, actor, first, data), False
    conversation = await get_conversation(session, actor, data.conversation_id, "send")
    kind = MessageKind.NOTE if data.internal else MessageKind.MESSAGE
    if data.internal and not await reaches(session, actor, "write_note", conversation):
        raise PermissionDenied("internal notes are for staff", code="notes_are_for_staff")
    await _check_rate(session, settings, actor.id)
    now = utcnow()
    message = Message(
        conversation_id=conversation.id, sender_id=actor.id, body=data.body, kind=kind,
        client_message_id=data.client_message_id, created_at=now,
    )  # fmt: skip
    try:
        async with events.savepoint(session):
            session.add(message)
            await session.flush()
    except IntegrityError:
        # The same send, arriving twice at once: the other one stored it.
        first = await _sent_before(session, actor.id, data.client_message_id)
        if first is None:
            raise
        return await _repeat(session, storage, actor, first, data), False
    for upload_id in dict.fromkeys(data.attachment_ids):
        await uploads.attach(session, upload_id, purpose=Purpose.MESSAGE, owner_id=actor.id)
        session.add(MessageAttachment(message_id=message.id, upload_id=upload_id))
    role = assignment.role_of(conversation, actor)
    sender = await assignment.join(session, conversation.id, actor.id, role)
    sender.last_read_message_id = message.id
    sender.last_read_at = now
    reopened = False
    if kind == MessageKind.MESSAGE:
        conversation.last_message_at = now
        if conversation.status == ConversationStatus.CLOSED and role == ParticipantRole.GUEST:
            conversation.status = ConversationStatus.OPEN
            conversation.closed_at = None
            reopened = True
    conversation.updated_by_id = actor.id
    await session.flush()
    await session.refresh(message)
    recipients = await _participants(session, conversation.id, staff_only=kind == MessageKind.NOTE)
    await events.emit(
        session,
        events.MessageCreated(
            message_id=message.id, conversation_id=conversation.id, sender_id=actor.id,
            sender_name=message.sender.full_name, kind=kind, body=message.body,
            attachment_ids=list(dict.fromkeys(data.attachment_ids)), created_at=now,
            department=conversation.department, recipient_ids=recipients,
        ),
    )  # fmt: skip
    await notices.schedule(session, settings, message, recipients)
    if reopened:
        await _announce(session, conversation, "reopened")
    await events.commit(session)
    return (await output.messages(session, storage, actor, [message]))[0], True


async def _sent_before(session: AsyncSession, sender_id: int, client_id: str) -> Message | None:
    found: Message | None = await session.scalar(
        select(Message).where(
            Message.sender_id == sender_id, Message.client_message_id == client_id
        )
    )
    return found


async def _repeat(
    session: AsyncSession, storage: Storage, actor: Actor, first: Message, data: MessageSend
) -> MessageOut:
    if first.conversation_id != data.conversation_id:
        raise Conflict(
            "this client_message_id was used for a message in another conversation",
            code="client_message_id_reused",
            details={"client_message_id": data.client_message_id},
        )
    return (await output.messages(session, storage, actor, [first]))[0]


async def _check_rate(session: AsyncSession, settings: Settings, sender_id: int) -> None:
    limit = settings.messaging_sender_per_minute
    recent = await session.scalar(
        select(func.count(Message.id)).where(
            Message.sender_id == sender_id, Message.created_at > utcnow() - RATE_WINDOW
        )
    )
    if int(recent or 0) >= limit:
        raise RateLimited(f"at most {limit} messages a minute per sender", retry_after_seconds=60)


async def _participants(
    session: AsyncSession, conversation_id: int, *, staff_only: bool
) -> list[int]:
    query = select(ConversationParticipant.user_id).where(
        ConversationParticipant.conversation_id == conversation_id
    )
    if staff_only:
        query = query.where(ConversationParticipant.role != ParticipantRole.GUEST)
    return sorted((await session.scalars(query)).all())


async def _announce(session: AsyncSession, conversation: Conversation, change: str) -> None:
    await events.emit(
        session,
        events.ConversationUpdated(
            conversation_id=conversation.id, change=change, status=conversation.status,
            assignee_id=conversation.assignee_id, department=conversation.department,
            recipient_ids=await _participants(session, conversation.id, staff_only=False),
        ),
    )  # fmt: skip


async def signal_typing(
    *, session: AsyncSession, actor: Actor, conversation_id: int, internal: bool
) -> None:
    """Tell the other participants (only the staff, when typing a note) someone types."""
    conversation = await get_conversation(session, actor, conversation_id, "send")
    if internal and not await reaches(session, actor, "write_note", conversation):
        raise PermissionDenied("internal notes are for staff", code="notes_are_for_staff")
    others = [
        user_id
        for user_id in await _participants(session, conversation.id, staff_only=internal)
        if user_id != actor.id
    ]
    user = await session.get(User, actor.id)
    await events.emit(
        session,
        events.ConversationTyping(
            conversation_id=conversation.id, user_id=actor.id,
            user_name=user.full_name if user else "", recipient_ids=others,
        ),
    )  # fmt: skip
    await events.commit(session)


# --- assignment and status ----------------------------------------------------------------


async def assign(
    *, session: AsyncSession, actor: Actor, conversation_id: int, assignee_id: int | None
) -> ConversationOut:
    conversation = await get_conversation(session, actor, conversation_id, "assign")
    if conversation.type != ConversationType.GUEST_STAFF:
        raise Conflict("only guest conversations are assigned", code="not_assignable")
    if assignee_id is not None:
        await assignment.check_assignee(session, conversation, assignee_id)
    await assignment.assign_to(session, conversation, assignee_id)
    conversation.updated_by_id = actor.id
    await session.flush()
    await session.refresh(conversation)
    await _announce(session, conversation, "assigned")
    await events.commit(session)
    return await _out(session, actor, conversation)


async def set_status(
    *, session: AsyncSession, actor: Actor, conversation_id: int, status: ConversationStatus
) -> ConversationOut:
    """Close or reopen; doing it twice is harmless and announces nothing the second time."""
    conversation = await get_conversation(session, actor, conversation_id, "update")
    if conversation.status != status:
        conversation.status = status
        conversation.closed_at = utcnow() if status == ConversationStatus.CLOSED else None
        conversation.updated_by_id = actor.id
        await session.flush()
        await session.refresh(conversation)
        change = "closed" if status == ConversationStatus.CLOSED else "reopened"
        await _announce(session, conversation, change)
    await events.commit(session)
    return await _out(session, actor, conversation)


async def _out(session: AsyncSession, actor: Actor, conversation: Conversation) -> ConversationOut:
    unread = await unread_by_conversation(session, actor, [conversation.id])
    latest = await output.latest_messages(session, actor, [conversation.id])
    return output.conversation(
        conversation, unread.get(conversation.id, 0), latest.get(conversation.id)
    )
