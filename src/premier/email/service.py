"""Email operations for staff and admins: send, browse the queue, stats, retry, cancel,
and the development outbox."""

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.config import Settings
from premier.delivery import stats as figures
from premier.delivery.queue import QueueStatus
from premier.delivery.tracking import TrackingKind
from premier.email.channel import compose
from premier.email.compose import add_emails
from premier.email.models import CapturedEmail, EmailQueue
from premier.email.schemas import CapturedEmailDetail, DayCount, EmailStats, SendEmailIn
from premier.kit.errors import Conflict, NotFound, RateLimited
from premier.kit.time import as_utc, utcnow
from premier.notifications import disclosure, staff_messages, templates
from premier.notifications.channels import Message
from premier.notifications.models import Channel, Priority
from premier.notifications.render import TemplateParts, branding, render_parts
from premier.notifications.unsubscribe import unsubscribe_url
from premier.users.models import User

PLAIN = TemplateParts(
    "{{ title }}",
    "Dear {{ recipient.name }},\n\n{{ message }}\n",
    "<p>Dear {{ recipient.name }},</p><p style='white-space: pre-line'>{{ message }}</p>",
)


# An email's delivery report: it reached the recipient (a complaint or an unsubscribe says
# so too), or it did not.
DELIVERED = (TrackingKind.DELIVERED, TrackingKind.OPENED, TrackingKind.CLICKED,
             TrackingKind.UNSUBSCRIBED, TrackingKind.COMPLAINED)  # fmt: skip
OPENED = (TrackingKind.OPENED, TrackingKind.CLICKED)
NOT_DELIVERED = (TrackingKind.BOUNCED, TrackingKind.FAILED)


async def send(
    *,
    session: AsyncSession,
    settings: Settings,
    actor_id: int,
    data: SendEmailIn,
    sender: Actor,
) -> tuple[list[int], list[str]]:
    """Queue one email per recipient; returns (queued ids, suppressed addresses).

    Who may send what is in premier.notifications.staff_messages: templates for management
    only and never an account one, no caller-made system links, plain mail from other staff
    only to guests with a booking."""
    addresses = list(dict.fromkeys(a.lower() for a in data.to))
    if data.template is not None:
        staff_messages.check_template(sender=sender, event_type=data.template, context=data.context)
    else:
        staff_messages.check_category(data.category)
        if not staff_messages.writes_to_anyone(sender):
            guests = await staff_messages.booked_guests(
                session=session, settings=settings, emails=addresses
            )
            booked = {guest.email.lower() for guest in guests}
            staff_messages.refuse_unbooked([a for a in addresses if a not in booked])
    since = utcnow() - timedelta(hours=1)
    sent_recently = (
        await session.scalar(
            select(func.count()).where(
                EmailQueue.created_by == actor_id, EmailQueue.created_at > since
            )
        )
        or 0
    )
    if sent_recently + len(data.to) > settings.email_send_rate_per_hour:
        raise RateLimited(
            f"at most {settings.email_send_rate_per_hour} emails an hour per sender",
            retry_after_seconds=600,
            details={"sent_in_the_last_hour": sent_recently},
        )
    if data.template is not None:
        spec = templates.require_spec(data.template)
        overrides = await templates.overrides_for(session=session, event_type=data.template)
        category, essential = spec.category, spec.essential
        context: dict[str, Any] = dict(data.context or {})
    else:
        category, essential = data.category, False
        context = {"title": data.subject, "message": data.message}
    known = {
        u.email: u
        for u in await session.scalars(
            select(User).where(User.email.in_([a.lower() for a in data.to]))
        )
    }
    hotel = branding(settings)
    messages = []
    for address in addresses:
        user = known.get(address)
        locale = (user.locale if user else None) or data.locale
        parts = (
            templates.pick(overrides, data.template, Channel.EMAIL, locale)
            if data.template is not None
            else PLAIN
        )
        if parts is None:
            raise NotFound(f"no email template for {data.template}")
        link = (
            None
            if essential
            else unsubscribe_url(settings=settings, address=address, category=category)
        )
        rendered = render_parts(
            parts,
            {
                **context,
                "hotel": hotel,
                "unsubscribe_url": link,
                "recipient": {"name": user.full_name if user else address, "email": address},
            },
        )
        messages.append(
            Message(
                user_id=user.id if user else None,
                recipient_name=user.full_name if user else "",
                address=address,
                event_type=data.template or "manual",
                category=category,
                locale=locale,
                priority=Priority.HIGH,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                essential=essential,
                unsubscribe_url=link,
                created_by=actor_id,
            )
        )
    rows = [compose(settings, message) for message in messages]
    ids = await add_emails(session=session, rows=rows, essential=[essential] * len(rows))
    blocked = [row["status"] == QueueStatus.SUPPRESSED for row in rows]
    queued = [i for i, no in zip(ids, blocked, strict=True) if not no]
    suppressed = [row["to_address"] for row, no in zip(rows, blocked, strict=True) if no]
    await events.commit(session)
    return queued, suppressed


def queue_query(
    *,
    status: str | None,
    template: str | None,
    recipient: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Select[Any]:
    query = select(EmailQueue)
    if status:
        query = query.where(EmailQueue.status == status)
    if template:
        query = query.where(EmailQueue.template == template)
    if recipient:
        query = query.where(EmailQueue.to_address.contains(recipient.lower(), autoescape=True))
    if since:
        query = query.where(EmailQueue.created_at >= as_utc(since))
    if until:
        query = query.where(EmailQueue.created_at < as_utc(until))
    return query.order_by(EmailQueue.id.desc())


async def get(*, session: AsyncSession, email_id: int) -> EmailQueue:
    row = await session.get(EmailQueue, email_id)
    if row is None:
        raise NotFound(f"email {email_id} not found")
    return row


async def retry(*, session: AsyncSession, email_id: int) -> EmailQueue:
    row = await get(session=session, email_id=email_id)
    if row.status not in (QueueStatus.FAILED, QueueStatus.CANCELLED):
        raise Conflict(f"only failed or cancelled emails can be retried; this one is {row.status}")
    row.status = QueueStatus.QUEUED
    row.attempts = 0
    row.next_attempt_at = utcnow()
    row.last_error = None
    await session.commit()
    return row


async def cancel(*, session: AsyncSession, email_id: int) -> EmailQueue:
    row = await get(session=session, email_id=email_id)
    if row.status != QueueStatus.QUEUED:
        raise Conflict(f"only queued emails can be cancelled; this one is {row.status}")
    row.status = QueueStatus.CANCELLED
    await session.commit()
    return row


async def stats(*, session: AsyncSession, days: int, timezone: str) -> EmailStats:
    """The figures of premier.delivery.stats, for email."""
    window = figures.period(timezone, days=days)
    in_window = (EmailQueue.created_at >= window.start, EmailQueue.created_at < window.end)

    async def grouped(column: Any) -> dict[str, int]:
        rows = await session.execute(
            select(column, func.count()).where(*in_window).group_by(column)
        )
        return {str(key): int(count) for key, count in rows if key is not None}

    by_status = await grouped(EmailQueue.status)
    by_delivery = await grouped(EmailQueue.delivery_status)
    by_provider = await grouped(EmailQueue.provider)
    by_template = await grouped(EmailQueue.template)
    per_day: dict[date, Counter[str]] = {}
    for created, status in await session.execute(
        select(EmailQueue.created_at, EmailQueue.status).where(*in_window)
    ):
        per_day.setdefault(window.day_of(created), Counter())[status] += 1
    sent = by_status.get(QueueStatus.SENT, 0)
    delivered = figures.count(by_delivery, DELIVERED)
    reported = delivered + figures.count(by_delivery, NOT_DELIVERED)
    opened = figures.count(by_delivery, OPENED)
    return EmailStats(
        since=window.since,
        until=window.until,
        total=sum(by_status.values()),
        sent=sent,
        reported=reported,
        delivered=delivered,
        by_status=by_status,
        by_delivery_status=by_delivery,
        by_provider=by_provider,
        by_template=by_template,
        by_day=[
            DayCount(
                day=day,
                total=sum(c.values()),
                queued=figures.count(c, figures.WAITING),
                sent=c[QueueStatus.SENT],
                failed=figures.count(c, figures.NOT_SENT),
            )
            for day, c in sorted(per_day.items())
        ],
        delivery_rate=figures.rate(delivered, reported),
        open_rate=figures.rate(opened, delivered),
        bounce_rate=figures.rate(figures.count(by_delivery, NOT_DELIVERED), reported),
    )


def captured_query() -> Select[Any]:
    return select(CapturedEmail).order_by(CapturedEmail.id.desc())


async def captured_message(*, session: AsyncSession, message_id: int) -> CapturedEmail:
    row = await session.get(CapturedEmail, message_id)
    if row is None:
        raise NotFound(f"captured message {message_id} not found")
    return row


async def captured_detail(
    *, session: AsyncSession, settings: Settings, message_id: int
) -> CapturedEmailDetail:
    """A stored mail as the outbox viewer may show it: whole in development; elsewhere an
    account message is withheld (also when its queue row is gone and nothing says it is not
    one) and tokens are redacted (see premier.notifications.disclosure)."""
    row = await captured_message(session=session, message_id=message_id)
    queued = (
        await session.execute(
            select(EmailQueue.category, EmailQueue.template).where(
                EmailQueue.message_id == row.message_id
            )
        )
    ).first()
    account = queued is None or disclosure.is_account_message(
        category=queued.category, template=queued.template
    )
    context = {
        disclosure.REVEAL: disclosure.capture_reveals(settings),
        CapturedEmailDetail.ACCOUNT_KEY: account,
    }
    return CapturedEmailDetail.model_validate(row, context=context)
