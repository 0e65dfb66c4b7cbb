"""Rows to API answers: conversations, participants, and messages with their attachments."""

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth.actor import Actor
from premier.messaging.models import (
    Conversation,
    ConversationParticipant,
    Message,
    MessageAttachment,
)
from premier.messaging.schemas import (
    PREVIEW,
    ConversationOut,
    MessageAttachmentOut,
    MessageOut,
    MessagePreview,
    ParticipantOut,
)
from premier.messaging.visibility import visible_kinds
from premier.storage.protocol import Storage
from premier.uploads import service as uploads
from premier.uploads.models import Upload
from premier.uploads.schemas import UploadLinks


def conversation(row: Conversation, unread: int, last: Message | None = None) -> ConversationOut:
    return ConversationOut(
        id=row.id, type=row.type, status=row.status, subject=row.subject,
        guest_id=row.guest_id, guest_name=row.guest.full_name if row.guest else None,
        department=row.department, booking_id=row.booking_id, assignee_id=row.assignee_id,
        assignee_name=row.assignee.full_name if row.assignee else None,
        created_at=row.created_at, updated_at=row.updated_at,
        last_message_at=row.last_message_at, closed_at=row.closed_at, unread=unread,
        last_message=None if last is None else MessagePreview(
            id=last.id, sender_id=last.sender_id, sender_name=last.sender.full_name,
            kind=last.kind, body=preview(last.body), created_at=last.created_at,
        ),
    )  # fmt: skip


def preview(body: str) -> str:
    """A body on one line, cut to PREVIEW characters."""
    flat = " ".join(body.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1] + "…"


async def latest_messages(
    session: AsyncSession, actor: Actor, conversation_ids: Sequence[int]
) -> dict[int, Message]:
    """The latest message the actor may see in each conversation (notes only for staff)."""
    if not conversation_ids:
        return {}
    newest = (
        select(func.max(Message.id))
        .where(Message.conversation_id.in_(conversation_ids), visible_kinds(actor))
        .group_by(Message.conversation_id)
    )
    rows = await session.scalars(select(Message).where(Message.id.in_(newest)))
    return {m.conversation_id: m for m in rows}


def participant(row: ConversationParticipant, last_read_message_id: int | None) -> ParticipantOut:
    return ParticipantOut(
        user_id=row.user_id, name=row.user.full_name, role=row.role,
        last_read_message_id=last_read_message_id, last_read_at=row.last_read_at,
    )  # fmt: skip


async def messages(
    session: AsyncSession, storage: Storage, actor: Actor, rows: Sequence[Message]
) -> list[MessageOut]:
    """The messages with signed links to their attachments, fetched for all at once.

    Message uploads are private (their owner and the staff may fetch them by id); whoever
    may see the message may see its attachments, so they travel as signed links."""
    attached: dict[int, list[Upload]] = defaultdict(list)
    if rows:
        pairs = await session.execute(
            select(MessageAttachment.message_id, Upload)
            .join(Upload, Upload.id == MessageAttachment.upload_id)
            .where(MessageAttachment.message_id.in_([m.id for m in rows]))
            .order_by(MessageAttachment.id)
        )
        for message_id, upload in pairs.all():
            attached[message_id].append(upload)
    links = await uploads.links_for(
        session, storage, [u.id for files in attached.values() for u in files]
    )
    return [
        _message(m, actor, [_attachment(u, links) for u in attached[m.id] if u.id in links])
        for m in rows
    ]


def _attachment(upload: Upload, links: dict[int, UploadLinks]) -> MessageAttachmentOut:
    return MessageAttachmentOut(
        **links[upload.id].model_dump(), filename=upload.filename,
        content_type=upload.content_type, size=upload.size,
    )  # fmt: skip


def _message(row: Message, actor: Actor, attachments: list[MessageAttachmentOut]) -> MessageOut:
    return MessageOut(
        id=row.id, conversation_id=row.conversation_id, sender_id=row.sender_id,
        sender_name=row.sender.full_name, kind=row.kind, body=row.body,
        client_message_id=row.client_message_id if row.sender_id == actor.id else None,
        created_at=row.created_at, attachments=attachments,
    )  # fmt: skip
