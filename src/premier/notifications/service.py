"""`notify()`: the one entry point every domain uses to tell people something.

For each recipient it resolves preferences (category and channel, quiet hours, language)
and renders each channel's template once, then hands every message to the channel that
delivers it (`notifications.channels`), all in the caller's transaction: a rollback sends
nothing, a crash after commit loses nothing.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.db import core_table
from premier.delivery.attachment import Attachment
from premier.kit.errors import InvalidInput
from premier.kit.time import utcnow
from premier.notifications import channels, preferences, templates
from premier.notifications.catalog import EventSpec
from premier.notifications.channels import Delivery, DeliveryChannel, Message
from premier.notifications.models import (
    DeliveryLog,
    Notification,
    NotificationPreference,
    Priority,
)
from premier.notifications.render import Rendered, TemplateParts, branding, builtin_parts
from premier.notifications.render import render_parts as render_template
from premier.notifications.unsubscribe import unsubscribe_url
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
    composer = _Composer(
        spec=spec,
        settings=settings,
        overrides=await templates.overrides_for(session=session, event_type=event_type),
        context=context,
        priority=priority,
        attachments=tuple(attachments),
        data=data or {},
        created_by=created_by,
    )
    targets = channels.for_event(spec.channels)
    outgoing: dict[DeliveryChannel, list[Message]] = {channel: [] for channel in targets}
    for user in users:
        for channel, message in composer.messages(user, pref_rows.get(user.id), targets):
            outgoing[channel].append(message)
    return await _deliver(session, settings, spec, outgoing)


async def _deliver(
    session: AsyncSession,
    settings: Settings,
    spec: EventSpec,
    outgoing: dict[DeliveryChannel, list[Message]],
) -> list[Notification]:
    """Each channel takes its messages at once, the in-app one first so the others can
    point at its rows; then one INSERT logs what every channel did."""
    written: list[Notification] = []
    inbox: dict[int | None, int] = {}
    logs: list[dict[str, Any]] = []
    for channel, messages in outgoing.items():
        if not messages:
            continue
        linked = [replace(m, notification_id=inbox.get(m.user_id)) for m in messages]
        deliveries = await channel.deliver(session=session, settings=settings, messages=linked)
        for message, delivery in zip(linked, deliveries, strict=True):
            if delivery.notification is not None:
                written.append(delivery.notification)
                inbox[message.user_id] = delivery.notification.id
            logs.append(_log_line(spec, channel, message, delivery, inbox))
    if logs:
        await session.execute(insert(DELIVERY_LOG), logs)
    return written


def _log_line(
    spec: EventSpec,
    channel: DeliveryChannel,
    message: Message,
    delivery: Delivery,
    inbox: dict[int | None, int],
) -> dict[str, Any]:
    return {
        "notification_id": inbox.get(message.user_id),
        "user_id": message.user_id,
        "event_type": spec.event_type,
        "channel": channel.name,
        "recipient": delivery.recipient,
        "status": delivery.status,
        "outbox_id": delivery.queue_id,
        "detail": delivery.detail,
        "provider": None,
    }


class _Composer:
    """What one `notify()` call says, rendered per recipient, language and channel."""

    def __init__(
        self,
        *,
        spec: EventSpec,
        settings: Settings,
        overrides: dict[tuple[str, str], TemplateParts],
        context: dict[str, Any],
        priority: Priority,
        attachments: tuple[Attachment, ...],
        data: dict[str, Any],
        created_by: int | None,
    ) -> None:
        self.spec = spec
        self.settings = settings
        self.overrides = overrides
        self.context = context
        self.priority = priority
        self.attachments = attachments
        self.data = data
        self.created_by = created_by
        self.hotel = branding(settings)
        self.now = utcnow()

    def messages(
        self,
        user: User,
        pref_row: NotificationPreference | None,
        targets: Sequence[DeliveryChannel],
    ) -> list[tuple[DeliveryChannel, Message]]:
        spec = self.spec
        prefs = preferences.resolve(pref_row)
        locale = prefs.locale or user.locale or "en"
        name = " ".join(user.full_name.split())
        unsubscribe = (
            None
            if spec.essential
            else unsubscribe_url(settings=self.settings, address=user.email, category=spec.category)
        )
        context = {
            **self.context,
            "hotel": self.hotel,
            "unsubscribe_url": unsubscribe,
            "recipient": {"name": name, "email": user.email},
        }
        not_before = self._not_before(prefs)
        found = []
        for channel in targets:
            if not (spec.essential or prefs.allows(spec.category, channel.name.value)):
                continue
            address = channel.address_of(user)
            if not address:
                continue
            rendered = _render(self.overrides, spec.event_type, channel, locale, context)
            if rendered is None:
                continue
            message = Message(
                user_id=user.id,
                recipient_name=name,
                address=address,
                event_type=spec.event_type,
                category=spec.category,
                locale=locale,
                priority=self.priority,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                essential=spec.essential,
                not_before=not_before,
                unsubscribe_url=unsubscribe,
                attachments=self.attachments,
                data=self.data,
                created_by=self.created_by,
            )
            found.append((channel, message))
        return found

    def _not_before(self, prefs: preferences.Resolved) -> datetime | None:
        """The end of the recipient's quiet hours, unless this cannot wait."""
        if self.spec.essential or self.priority == Priority.URGENT:
            return None
        return preferences.quiet_until(prefs, now=self.now, timezone=self.settings.hotel_timezone)


def _render(
    overrides: dict[tuple[str, str], TemplateParts],
    event_type: str,
    channel: DeliveryChannel,
    locale: str,
    context: dict[str, Any],
) -> Rendered | None:
    """Render the admin's template, falling back to the built-in one when it fails: a broken
    template must not undo the booking (or payment...) whose transaction we are in."""
    parts = templates.pick(overrides, event_type, channel.name, locale)
    if parts is None:
        return None
    try:
        return render_template(parts, context)
    except InvalidInput:
        log.warning("template_failed_using_builtin", event_type=event_type, channel=channel.name)
        fallback = builtin_parts(event_type, channel.name, locale) or builtin_parts(
            event_type, channel.name, "en"
        )
        return render_template(fallback, context) if fallback else None
