"""Queueing SMS: every row is validated, priced and checked against opt-outs, rate limits and
budgets before it is written, in the caller's transaction.

Rules, in order:
- the number must parse and be valid; it is stored as E.164;
- opted-out numbers are `suppressed` (except a one-time code the user asked for: see
  `essential` and docs/sms.md);
- more than `recipient_per_hour` messages to one number wait for the next hour (nothing is
  dropped);
- a message that would exceed a budget is `held` for an admin to release or cancel, and
  admins are told once per day;
- emergencies skip quiet hours, rate limits and budgets and go to the front of the queue.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.config import Settings
from premier.delivery.queue import QueueStatus
from premier.kit.errors import Conflict, InvalidInput, NotFound, RateLimited
from premier.kit.time import as_utc, utcnow
from premier.notifications import staff_messages, suppressions
from premier.notifications.models import Channel, Suppression
from premier.sms.keywords import Intent
from premier.sms.models import SmsQueue
from premier.sms.phone import normalise, normalise_or_422
from premier.sms.pricing import Spend, budget_exceeded, estimate_cost
from premier.sms.segments import count_segments
from premier.sms.tracking import FINAL, InboundSms, SmsStatus, SmsTrackingEvent, may_follow
from premier.users.models import Role, User

HELD = SmsStatus.HELD.value
MAX_BODY = 1600  # Twilio's limit for a concatenated message; about ten segments
EMERGENCY_PRIORITY = 0
URGENT_PRIORITY = 1
# Rows that cost (or will cost) money, for budgets.
SPENDING = (QueueStatus.QUEUED, QueueStatus.SENDING, QueueStatus.SENT)


def _window_starts(settings: Settings, now: datetime) -> tuple[datetime, datetime]:
    local = now.astimezone(ZoneInfo(settings.hotel_timezone))
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return day.astimezone(UTC), day.replace(day=1).astimezone(UTC)


async def _spent(session: AsyncSession, since: datetime, phone: str | None = None) -> int:
    query = select(func.coalesce(func.sum(SmsQueue.estimated_cost), 0)).where(
        SmsQueue.created_at >= since, SmsQueue.status.in_(SPENDING)
    )
    if phone is not None:
        query = query.where(SmsQueue.to_phone == phone)
    return int(await session.scalar(query) or 0)


async def current_spend(*, session: AsyncSession, settings: Settings, phone: str) -> Spend:
    """Spend in each budget window; windows without a configured budget are not queried."""
    sms = settings.sms
    day, month = _window_starts(settings, utcnow())

    async def spent(limit: int | None, since: datetime, to: str | None = None) -> int:
        return 0 if limit is None else await _spent(session, since, to)

    return Spend(
        hotel_day=await spent(sms.budget_daily, day),
        hotel_month=await spent(sms.budget_monthly, month),
        recipient_day=await spent(sms.recipient_budget_daily, day, phone),
        recipient_month=await spent(sms.recipient_budget_monthly, month, phone),
    )


async def queue_sms(
    *,
    session: AsyncSession,
    settings: Settings,
    to: str,
    body: str,
    category: str,
    template: str | None = None,
    locale: str = "en",
    priority: int = 5,
    user_id: int | None = None,
    notification_id: int | None = None,
    created_by: int | None = None,
    not_before: datetime | None = None,
    essential: bool = False,
    emergency: bool = False,
    reference: str | None = None,
) -> SmsQueue:
    """Add one SMS to the queue in the caller's transaction (the caller commits).

    Raises InvalidInput (422) for a number that is not valid or an empty/too long body."""
    sms = settings.sms
    phone = normalise_or_422(to, region=sms.default_region)
    body = body.strip()
    if not body:
        raise InvalidInput("the message is empty", code="empty_message")
    if len(body) > MAX_BODY:
        raise InvalidInput(
            f"the message is longer than {MAX_BODY} characters",
            details={"length": len(body)},
            code="message_too_long",
        )
    now = utcnow()
    info = count_segments(body)
    cost = estimate_cost(settings=sms, to=phone, body=body)
    row = SmsQueue(
        to_phone=phone,
        body=body,
        template=template,
        category=category,
        locale=locale,
        priority=EMERGENCY_PRIORITY if emergency else priority,
        user_id=user_id,
        notification_id=notification_id,
        created_by=created_by,
        status=QueueStatus.QUEUED,
        next_attempt_at=now if emergency else (not_before or now),
        created_at=now,
        country=cost.country,
        encoding=info.encoding.value,
        segments=info.segments,
        estimated_cost=cost.amount,
        cost_currency=cost.currency,
        emergency=emergency,
        reference=reference,
        delivery_status=SmsStatus.QUEUED.value,
        max_attempts=sms.max_attempts,
    )
    critical = essential or emergency
    suppressed = (
        None
        if essential
        else await suppressions.find(
            session=session, channel=Channel.SMS, address=phone, category=category
        )
    )
    if suppressed is not None:
        row.status = QueueStatus.SUPPRESSED
        row.delivery_status = None
        row.last_error = f"suppressed: the recipient opted out ({suppressed.reason})"
    elif not critical:
        await _apply_rate_limit(session, settings, row, now)
        spend = await current_spend(session=session, settings=settings, phone=phone)
        broken = budget_exceeded(settings=sms, spend=spend, amount=cost.amount)
        if broken is not None:
            row.status = HELD
            row.delivery_status = HELD
            row.last_error = f"held: the {broken} SMS budget would be exceeded"
            await _tell_admins_once(session, settings, broken, now)
    session.add(row)
    await session.flush()
    return row


async def _apply_rate_limit(
    session: AsyncSession, settings: Settings, row: SmsQueue, now: datetime
) -> None:
    limit = settings.sms.recipient_per_hour
    since = now - timedelta(hours=1)
    recent = list(
        (
            await session.scalars(
                select(SmsQueue.next_attempt_at)
                .where(
                    SmsQueue.to_phone == row.to_phone,
                    SmsQueue.next_attempt_at >= since,
                    SmsQueue.emergency.is_(False),
                    SmsQueue.status.in_(SPENDING),
                )
                .order_by(SmsQueue.next_attempt_at.desc())
                .limit(limit)
            )
        ).all()
    )
    if len(recent) < limit:
        return
    # The limit-th most recent send slot opens the window again one hour after it.
    earliest = as_utc(recent[-1]) + timedelta(hours=1)
    if earliest > as_utc(row.next_attempt_at):
        row.next_attempt_at = earliest
        row.last_error = f"rate limited: more than {limit} SMS an hour to this number"


async def _tell_admins_once(
    session: AsyncSession, settings: Settings, budget: str, now: datetime
) -> None:
    day, _ = _window_starts(settings, now)
    already = await session.scalar(
        select(func.count())
        .select_from(SmsQueue)
        .where(SmsQueue.status == HELD, SmsQueue.created_at >= day)
    )
    if already:
        return
    await events.emit(session, events.SmsBudgetExceeded(budget=budget))


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


async def apply_tracking(*, session: AsyncSession, event: SmsTrackingEvent) -> bool:
    """Record a delivery report; unknown ids and stale or repeated reports change nothing."""
    row = await session.scalar(
        select(SmsQueue).where(
            SmsQueue.provider == event.provider,
            SmsQueue.provider_message_id == event.provider_message_id,
        )
    )
    if row is None:
        return False
    if event.to and _same_number(event.to, row.to_phone) is False:
        return False
    if not may_follow(row.delivery_status or SmsStatus.SENT.value, event.status):
        return False
    row.delivery_status = event.status.value
    if event.status is SmsStatus.DELIVERED:
        row.delivered_at = utcnow()
    if event.status in FINAL and event.status is not SmsStatus.DELIVERED:
        row.error_code = event.error_code
        row.last_error = event.error_message or event.error_code or row.last_error
    await session.commit()
    return True


def _same_number(reported: str, stored: str) -> bool | None:
    try:
        return normalise(reported) == stored
    except ValueError:
        return None


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
        to=to,
        body=message,
        category=category,
        template="manual",
        user_id=user_id,
        created_by=sender_id,
        priority=EMERGENCY_PRIORITY if emergency else 5,
        emergency=emergency,
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
    queued = skipped = 0
    for user in await session.scalars(query):
        try:
            await queue_sms(
                session=session,
                settings=settings,
                to=user.phone or "",
                body=message,
                category="general",
                template="emergency",
                user_id=user.id,
                created_by=sender_id,
                emergency=True,
            )
        except InvalidInput:
            skipped += 1
            continue
        queued += 1
    await events.commit(session)
    return queued, skipped
