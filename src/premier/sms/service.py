"""SMS operations beyond queueing (see queueing.py): admins releasing or cancelling held
messages, delivery reports, replies and opt-outs, and staff sending.
"""

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.config import Settings
from premier.delivery.queue import QueueStatus
from premier.kit.errors import Conflict, InvalidInput, NotFound, RateLimited
from premier.kit.time import utcnow
from premier.notifications import staff_messages, suppressions
from premier.notifications.models import Channel, Suppression
from premier.sms.keywords import Intent
from premier.sms.models import SmsQueue
from premier.sms.phone import normalise, normalise_or_422
from premier.sms.providers.base import InboundSms
from premier.sms.queueing import EMERGENCY_PRIORITY, HELD, SmsRequest, queue_many, queue_sms
from premier.sms.tracking import SmsStatus
from premier.users.models import Role, User

# --- admin actions ---------------------------------------------------------------------


async def release_held(*, session: AsyncSession, sms_id: int) -> SmsQueue:
    """An admin lets a held message go despite the budget."""
    row = await session.get(SmsQueue, sms_id)
    if row is None:
        raise NotFound(f"SMS {sms_id} not found")
    if row.status != HELD:
        raise Conflict(f"SMS {sms_id} is {row.status}, not held")
    row.status = QueueStatus.QUEUED
    row.delivery_status = SmsStatus.QUEUED.value
    row.next_attempt_at = utcnow()
    row.last_error = None
    await events.commit(session)
    return row


async def cancel(*, session: AsyncSession, sms_id: int) -> SmsQueue:
    row = await session.get(SmsQueue, sms_id)
    if row is None:
        raise NotFound(f"SMS {sms_id} not found")
    if row.status not in (QueueStatus.QUEUED, HELD):
        raise Conflict(f"SMS {sms_id} is {row.status}; only queued or held SMS can be cancelled")
    row.status = QueueStatus.CANCELLED
    row.delivery_status = SmsStatus.CANCELLED.value
    await events.commit(session)
    return row


async def cancel_by_reference(*, session: AsyncSession, reference: str) -> int:
    rows = (
        await session.scalars(
            select(SmsQueue).where(
                SmsQueue.reference == reference, SmsQueue.status.in_((QueueStatus.QUEUED, HELD))
            )
        )
    ).all()
    for row in rows:
        row.status = QueueStatus.CANCELLED
        row.delivery_status = SmsStatus.CANCELLED.value
    return len(rows)


# --- what providers tell us ------------------------------------------------------------


async def record_inbound(*, session: AsyncSession, inbound: InboundSms) -> Intent:
    """STOP-like replies suppress the number for every SMS category; START lifts it."""
    try:
        phone = normalise(inbound.sender)
    except ValueError:
        return Intent.OTHER
    if inbound.intent is Intent.OPT_OUT:
        keyword = inbound.text.strip()[:20] or "opt-out"
        await suppress(
            session=session,
            phone=phone,
            reason="unsubscribe",
            source=f"{inbound.provider}:{keyword}",
        )
    elif inbound.intent is Intent.OPT_IN:
        await session.execute(
            delete(Suppression).where(
                Suppression.channel == Channel.SMS,
                Suppression.address == phone,
                Suppression.reason == "unsubscribe",
            )
        )
    await session.commit()
    return inbound.intent


async def suppress(*, session: AsyncSession, phone: str, reason: str, source: str) -> None:
    """Stop every SMS to this number but the essential ones (STOP, a provider's opt-out)."""
    await suppressions.suppress(
        session=session,
        channel=Channel.SMS,
        address=phone,
        category="*",
        reason=reason,
        source=source,
    )


# --- staff sending ---------------------------------------------------------------------


async def send_from_staff(
    *,
    session: AsyncSession,
    settings: Settings,
    sender_id: int,
    to: str | None,
    user_id: int | None,
    message: str,
    category: str,
    emergency: bool,
    sender: Actor,
) -> SmsQueue:
    """A staff member sends one SMS; limited to `sender_per_minute` (emergencies excepted).
    Other staff than managers write only to guests with a booking, and nobody in the
    `account` category (premier.notifications.staff_messages)."""
    staff_messages.check_category(category)
    if not staff_messages.writes_to_anyone(sender):
        await _require_booked_guest(session, settings, to=to, user_id=user_id)
    if not emergency:
        since = utcnow() - timedelta(minutes=1)
        recent = await session.scalar(
            select(func.count())
            .select_from(SmsQueue)
            .where(SmsQueue.created_by == sender_id, SmsQueue.created_at >= since)
        )
        if int(recent or 0) >= settings.sms.sender_per_minute:
            raise RateLimited(
                f"at most {settings.sms.sender_per_minute} SMS a minute per sender",
                retry_after_seconds=60,
            )
    if user_id is not None:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound(f"user {user_id} not found")
        if not user.phone:
            raise InvalidInput(f"user {user_id} has no phone number", code="no_phone")
        to = user.phone
    assert to is not None
    row = await queue_sms(
        session=session,
        settings=settings,
        request=SmsRequest(
            to=to,
            body=message,
            category=category,
            template="manual",
            user_id=user_id,
            created_by=sender_id,
            priority=EMERGENCY_PRIORITY if emergency else 5,
            emergency=emergency,
        ),
    )
    await events.commit(session)
    return row


async def _require_booked_guest(
    session: AsyncSession, settings: Settings, *, to: str | None, user_id: int | None
) -> None:
    phone = normalise_or_422(to, region=settings.sms.default_region) if to else None
    guests = await staff_messages.booked_guests(
        session=session,
        settings=settings,
        phones=[phone] if phone else [],
        user_ids=[user_id] if user_id is not None else [],
    )
    if not guests:
        staff_messages.refuse_unbooked([phone or f"user {user_id}"])


async def send_emergency_alert(
    *, session: AsyncSession, settings: Settings, sender_id: int, message: str, audience: str
) -> tuple[int, int]:
    """Queue an emergency SMS to every active account of the audience that has a phone.
    Returns (queued, skipped because the number on file is not valid)."""
    query = select(User).where(User.is_active, User.phone.is_not(None))
    if audience == "guests":
        query = query.where(User.role == Role.GUEST)
    elif audience == "staff":
        query = query.where(User.role != Role.GUEST)
    requests = [
        SmsRequest(
            to=user.phone or "",
            body=message,
            category="general",
            template="emergency",
            user_id=user.id,
            created_by=sender_id,
            emergency=True,
        )
        for user in await session.scalars(query)
    ]
    results = await queue_many(session=session, settings=settings, requests=requests)
    skipped = sum(isinstance(result, InvalidInput) for result in results)
    queued = len(results) - skipped
    await events.commit(session)
    return queued, skipped
