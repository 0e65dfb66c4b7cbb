"""`notify()`: the one entry point every domain uses to tell people something.

For each recipient it resolves preferences (category and channel, quiet hours, language),
renders each channel's template and writes the in-app notification and the outbox rows in
the caller's transaction: a rollback sends nothing, a crash after commit loses nothing.
"""

from collections.abc import Sequence
from typing import Any

import structlog
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.config import Settings
from premier.db import core_table
from premier.email.compose import (
    Attachment,
    queue_email,
    unsubscribe_headers,
    unsubscribe_url,
)
from premier.kit.errors import InvalidInput
from premier.kit.time import utcnow
from premier.notifications import preferences, templates
from premier.notifications.models import (
    PRIORITY_RANK,
    Channel,
    DeliveryLog,
    Notification,
    NotificationPreference,
    Priority,
)
from premier.notifications.render import (
    Rendered,
    TemplateParts,
    branding,
    builtin_parts,
    render_parts,
    text_footer,
    wrap_email_html,
)
from premier.sms.service import queue_sms
from premier.users.models import User

log = structlog.get_logger(__name__)
# Written together at the end of notify(): one INSERT, where the ORM would run one a row.
DELIVERY_LOG = core_table(DeliveryLog)
RECIPIENTS_KEY = "premier.notified_users"


async def notify(
    *,
    session: AsyncSession,
    settings: Settings,
    recipients: Sequence[int],
    event_type: str,
    context: dict[str, Any],
    priority: Priority = Priority.NORMAL,
    attachments: Sequence[Attachment] = (),
    data: dict[str, Any] | None = None,
    created_by: int | None = None,
) -> list[Notification]:
    """Notify these users; the caller commits. Returns the in-app notifications written."""
    spec = templates.require_spec(event_type)
    ids = sorted(set(recipients))
    if not ids:
        return []
    users = list(await session.scalars(select(User).where(User.id.in_(ids), User.is_active)))
    # The session holds what it loaded only weakly: held here until it closes, a recipient
    # is still in its identity map for the event's other subscribers (the SMS reminder
    # looks the guest up again by primary key), sparing them a query each.
    session.info.setdefault(RECIPIENTS_KEY, []).extend(users)
    pref_rows = {
        row.user_id: row
        for row in await session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id.in_(ids))
        )
    }
    overrides = await templates.overrides_for(session=session, event_type=event_type)
    hotel = branding(settings)
    now = utcnow()
    written: list[Notification] = []
    # Written together at the end: one INSERT, where adding each would flush each.
    logs: list[dict[str, Any]] = []
    for user in users:
        prefs = preferences.resolve(pref_rows.get(user.id))
        locale = prefs.locale or user.locale or "en"

        def allowed(channel: Channel, prefs: preferences.Resolved = prefs) -> bool:
            if channel not in spec.channels:
                return False
            return spec.essential or prefs.allows(spec.category, channel.value)

        unsubscribe = (
            None
            if spec.essential
            else unsubscribe_url(settings=settings, address=user.email, category=spec.category)
        )
        ctx = {
            **context,
            "hotel": hotel,
            "unsubscribe_url": unsubscribe,
            "recipient": {"name": " ".join(user.full_name.split()), "email": user.email},
        }
        deferred = None
        if not spec.essential and priority != Priority.URGENT:
            deferred = preferences.quiet_until(prefs, now=now, timezone=settings.hotel_timezone)

        notification: Notification | None = None
        if allowed(Channel.IN_APP):
            rendered = _render(overrides, event_type, Channel.IN_APP, locale, ctx)
            if rendered is not None:
                notification = Notification(
                    user_id=user.id,
                    event_type=event_type,
                    category=spec.category,
                    priority=priority,
                    title=rendered.subject[:300],
                    body=rendered.text,
                    data=data or {},
                    created_at=now,
                )
                session.add(notification)
                await session.flush()
                written.append(notification)
                _log(
                    logs,
                    notification.id,
                    user.id,
                    event_type,
                    Channel.IN_APP,
                    f"user:{user.id}",
                    "delivered",
                )
                await events.emit(
                    session,
                    events.NotificationCreated(
                        notification_id=notification.id,
                        user_id=user.id,
                        event_type=event_type,
                        category=spec.category,
                        priority=priority,
                        title=notification.title,
                        body=notification.body,
                    ),
                )
        notification_id = notification.id if notification else None

        if allowed(Channel.EMAIL) and user.email:
            rendered = _render(overrides, event_type, Channel.EMAIL, locale, ctx)
            if rendered is not None:
                email = await queue_email(
                    session=session,
                    settings=settings,
                    to_address=user.email,
                    to_name=" ".join(user.full_name.split()),
                    subject=rendered.subject,
                    body_text=rendered.text
                    + text_footer(hotel=hotel, unsubscribe_url=unsubscribe, locale=locale),
                    body_html=wrap_email_html(
                        body_html=rendered.html,
                        subject=rendered.subject,
                        locale=locale,
                        hotel=hotel,
                        unsubscribe_url=unsubscribe,
                    ),
                    category=spec.category,
                    template=event_type,
                    locale=locale,
                    headers=unsubscribe_headers(unsubscribe) if unsubscribe else None,
                    attachments=attachments,
                    priority=PRIORITY_RANK[priority],
                    user_id=user.id,
                    notification_id=notification_id,
                    created_by=created_by,
                    not_before=deferred,
                    essential=spec.essential,
                )
                await session.flush()
                _log(
                    logs,
                    notification_id,
                    user.id,
                    event_type,
                    Channel.EMAIL,
                    user.email,
                    email.status,
                    outbox_id=email.id,
                    detail=email.last_error,
                )

        if allowed(Channel.SMS) and user.phone:
            rendered = _render(overrides, event_type, Channel.SMS, locale, ctx)
            if rendered is not None:
                try:
                    sms = await queue_sms(
                        session=session,
                        settings=settings,
                        to=user.phone,
                        body=rendered.text,
                        template=event_type,
                        category=spec.category,
                        locale=locale,
                        priority=PRIORITY_RANK[priority],
                        user_id=user.id,
                        notification_id=notification_id,
                        created_by=created_by,
                        not_before=deferred,
                        essential=spec.essential,
                    )
                except InvalidInput as exc:
                    # A number on file that is not valid: no SMS, and the change stands.
                    _log(logs, notification_id, user.id, event_type, Channel.SMS,
                         user.phone[:320], "invalid_number", detail=exc.message)  # fmt: skip
                else:
                    _log(
                        logs,
                        notification_id,
                        user.id,
                        event_type,
                        Channel.SMS,
                        sms.to_phone,
                        sms.status,
                        outbox_id=sms.id,
                        detail=sms.last_error,
                    )
    if logs:
        await session.execute(insert(DELIVERY_LOG), logs)
    return written


def _render(
    overrides: dict[tuple[str, str], TemplateParts],
    event_type: str,
    channel: Channel,
    locale: str,
    context: dict[str, Any],
) -> Rendered | None:
    """Render the admin's template, falling back to the built-in one when it fails: a broken
    template must not undo the booking (or payment...) whose transaction we are in."""
    parts = templates.pick(overrides, event_type, channel, locale)
    if parts is None:
        return None
    try:
        return render_parts(parts, context)
    except InvalidInput:
        log.warning("template_failed_using_builtin", event_type=event_type, channel=channel)
        fallback = builtin_parts(event_type, channel, locale) or builtin_parts(
            event_type, channel, "en"
        )
        return render_parts(fallback, context) if fallback else None


def _log(
    logs: list[dict[str, Any]],
    notification_id: int | None,
    user_id: int | None,
    event_type: str,
    channel: Channel,
    recipient: str | None,
    status: str,
    *,
    outbox_id: int | None = None,
    detail: str | None = None,
    provider: str | None = None,
) -> None:
    logs.append(
        {
            "notification_id": notification_id, "user_id": user_id, "event_type": event_type,
            "channel": channel, "recipient": recipient, "status": status,
            "outbox_id": outbox_id, "detail": detail, "provider": provider,
        }
    )  # fmt: skip
