"""Canned replies: a department's prepared answers, written by the management.

The variables are filled in on the server, from the conversation's guest and stay, so
every client shows the same text: {guest_name}; {room}, {check_in} and {check_out} from the
conversation's booking, or else the guest's current stay (checked in). A variable with
nothing to fill it becomes empty; any other text in braces stays as written.
"""

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import Booking, BookingStatus
from premier.kit.errors import Conflict, NotFound
from premier.messaging.models import CannedReply, Conversation
from premier.messaging.schemas import CannedReplyCreate, CannedReplyOut, CannedReplyUpdate
from premier.messaging.visibility import get_conversation

VARIABLES = ("guest_name", "room", "check_in", "check_out")
_VARIABLE = re.compile(r"\{(" + "|".join(VARIABLES) + r")\}")
RESOURCE = "canned_reply"


def render(body: str, values: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda m: values.get(m[1], ""), body)


async def values_for(session: AsyncSession, conversation: Conversation) -> dict[str, str]:
    values = {"guest_name": conversation.guest.full_name if conversation.guest else ""}
    booking: Booking | None = None
    if conversation.booking_id is not None:
        booking = await session.get(Booking, conversation.booking_id)
    elif conversation.guest_id is not None:
        booking = await session.scalar(
            select(Booking)
            .where(Booking.guest_id == conversation.guest_id,
                   Booking.status == BookingStatus.CHECKED_IN)
            .order_by(Booking.check_in.desc())
            .limit(1)
        )  # fmt: skip
    if booking is not None:
        values |= {
            "room": booking.room.number,
            "check_in": booking.check_in.isoformat(),
            "check_out": booking.check_out.isoformat(),
        }
    return values


def _out(reply: CannedReply, rendered: str | None = None) -> CannedReplyOut:
    return CannedReplyOut(
        id=reply.id, department=reply.department, shortcut=reply.shortcut, body=reply.body,
        rendered=rendered, created_at=reply.created_at, updated_at=reply.updated_at,
    )  # fmt: skip


async def list_replies(
    *, session: AsyncSession, actor: Actor, department: str | None, conversation_id: int | None
) -> list[CannedReplyOut]:
    """The replies the actor may use (their department's; every one for the management),
    filled in for `conversation_id` when given (then that conversation's department's)."""
    query = select(CannedReply).order_by(CannedReply.department, CannedReply.shortcut)
    if access.scope_of(actor, RESOURCE, "read") is access.DEPARTMENT:
        mine = [d.value for d in access.handled_departments(actor, RESOURCE, "read")]
        query = query.where(CannedReply.department.in_(mine))
    if department is not None:
        query = query.where(CannedReply.department == department)
    values: dict[str, str] | None = None
    if conversation_id is not None:
        conversation = await get_conversation(session, actor, conversation_id)
        values = await values_for(session, conversation)
        if conversation.department is not None:
            query = query.where(CannedReply.department == conversation.department)
    replies = (await session.scalars(query)).all()
    return [_out(r, render(r.body, values) if values is not None else None) for r in replies]


async def create_reply(
    *, session: AsyncSession, actor: Actor, data: CannedReplyCreate
) -> CannedReplyOut:
    reply = CannedReply(
        department=data.department, shortcut=data.shortcut, body=data.body,
        created_by_id=actor.id, updated_by_id=actor.id,
    )  # fmt: skip
    session.add(reply)
    await _save(session, reply)
    return _out(reply)


async def update_reply(
    *, session: AsyncSession, actor: Actor, reply_id: int, data: CannedReplyUpdate
) -> CannedReplyOut:
    reply = await _get(session, reply_id)
    if data.shortcut is not None:
        reply.shortcut = data.shortcut
    if data.body is not None:
        reply.body = data.body
    reply.updated_by_id = actor.id
    await _save(session, reply)
    return _out(reply)


async def delete_reply(*, session: AsyncSession, reply_id: int) -> None:
    await session.delete(await _get(session, reply_id))
    await session.commit()


async def _get(session: AsyncSession, reply_id: int) -> CannedReply:
    reply = await session.get(CannedReply, reply_id)
    if reply is None:
        raise NotFound(f"canned reply {reply_id} not found")
    return reply


async def _save(session: AsyncSession, reply: CannedReply) -> None:
    department, shortcut = reply.department, reply.shortcut  # a rollback expires the row
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        raise Conflict(
            f"{department} already has a reply /{shortcut}",
            code="shortcut_taken",
            details={"shortcut": shortcut},
        ) from None
    await session.commit()
    await session.refresh(reply)
