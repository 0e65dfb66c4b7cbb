"""`notify()`: the one entry point every domain uses to tell people something.

For each recipient it resolves preferences (category and channel, quiet hours, language)
and renders each channel's template once, then hands every message to the channel that
delivers it (`notifications.channels`), all in the caller's transaction: a rollback sends
nothing, a crash after commit loses nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
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
from premier.notifications.render import (
    Rendered,
    Shared,
    TemplateParts,
    branding,
    builtin_parts,
)
from premier.notifications.render import render_parts as render_template
from premier.notifications.unsubscribe import unsubscribe_url
from premier.users.models import User

log = structlog.get_logger(__name__)
# Written together at the end of notify(): one INSERT, where the ORM would run one a row.
DELIVERY_LOG = core_table(DeliveryLog)


# Which notice a message came from, and to whom: its in-app row is the one it links to.
_Key = tuple[int, int | None]


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell some people: an event type of the catalog and its variables."""

    recipients: Sequence[int]
    event_type: str
    context: dict[str, Any]
    priority: Priority = Priority.NORMAL
    attachments: Sequence[Attachment] = ()
    data: dict[str, Any] | None = None
    created_by: int | None = None


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
    notice = Notice(recipients, event_type, context, priority, attachments, data, created_by)
    return await notify_many(session=session, settings=settings, notices=[notice])


async def notify_many(
    *, session: AsyncSession, settings: Settings, notices: Sequence[Notice]
) -> list[Notification]:
    """Several notices at once (a batch of events): the recipients, their preferences and
    every channel's rows are read and written once for all of them."""
    specs = [templates.require_spec(notice.event_type) for notice in notices]
    ids = sorted({user for notice in notices for user in notice.recipients})
    if not ids:
        return []
    users = {
        user.id: user
        for user in await session.scalars(select(User).where(User.id.in_(ids), User.is_active))
    }
    pref_rows = {
        row.user_id: row
        for row in await session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id.in_(ids))
        )
    }
    outgoing: dict[DeliveryChannel, list[tuple[_Key, Message]]] = {}
    for number, (notice, spec) in enumerate(zip(notices, specs, strict=True)):
        composer = _Composer(
            spec=spec,
            settings=settings,
            overrides=await templates.overrides_for(session=session, event_type=spec.event_type),
            notice=notice,
        )
        targets = channels.for_event(spec.channels)
        for user_id in sorted(set(notice.recipients)):
            if (user := users.get(user_id)) is None:
                continue
            for channel, message in composer.messages(user, pref_rows.get(user_id), targets):
                outgoing.setdefault(channel, []).append(((number, user_id), message))
    return await _deliver(session, settings, outgoing)


async def _deliver(
    session: AsyncSession,
    settings: Settings,
    outgoing: dict[DeliveryChannel, list[tuple[_Key, Message]]],
) -> list[Notification]:
    """Each channel takes its messages at once, the in-app one first so the others can
    point at its rows; then one INSERT logs what every channel did."""
    written: list[Notification] = []
    inbox: dict[_Key, int] = {}
    logs: list[dict[str, Any]] = []
    for channel in channels.in_app_first(outgoing):
        keyed = outgoing[channel]
        linked = [replace(m, notification_id=inbox.get(key)) for key, m in keyed]
        deliveries = await channel.deliver(session=session, settings=settings, messages=linked)
        for (key, _), message, delivery in zip(keyed, linked, deliveries, strict=True):
            if delivery.notification is not None:
                written.append(delivery.notification)
                inbox[key] = delivery.notification.id
            logs.append(_log_line(channel, message, delivery, inbox.get(key)))
    if logs:
        await session.execute(insert(DELIVERY_LOG), logs)
    return written


def _log_line(
    channel: DeliveryChannel, message: Message, delivery: Delivery, notification_id: int | None
) -> dict[str, Any]:
    return {
        "notification_id": notification_id,
        "user_id": message.user_id,
        "event_type": message.event_type,
        "channel": channel.name,
        "recipient": delivery.recipient,
        "status": delivery.status,
        "queue_id": delivery.queue_id,
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
        notice: Notice,
    ) -> None:
        self.spec = spec
        self.settings = settings
        self.overrides = overrides
        self.context = notice.context
        self.priority = notice.priority
        self.attachments = tuple(notice.attachments)
        self.data = notice.data or {}
        self.created_by = notice.created_by
        self.hotel = branding(settings)
        self.now = utcnow()
        self.shared: Shared = {}

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
            "locale": locale,
        }
        not_before = self._not_before(prefs)
        found = []
        for channel in targets:
            if not (spec.essential or prefs.allows(spec.category, channel.name.value)):
                continue
            address = channel.address_of(user)
            if not address:
                continue
            rendered = _render(
                self.overrides, spec.event_type, channel, locale, context, self.shared
            )
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
    shared: Shared,
) -> Rendered | None:
    """Render the admin's template, falling back to the built-in one when it fails: a broken
    template must not undo the booking (or payment...) whose transaction we are in."""
    parts = templates.pick(overrides, event_type, channel.name, locale)
    if parts is None:
        return None
    try:
        return render_template(parts, context, shared)
    except InvalidInput:
        log.warning("template_failed_using_builtin", event_type=event_type, channel=channel.name)
        fallback = builtin_parts(event_type, channel.name, locale) or builtin_parts(
            event_type, channel.name, "en"
        )
        return render_template(fallback, context, shared) if fallback else None
