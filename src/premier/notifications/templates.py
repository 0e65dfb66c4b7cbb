"""Template lookup (admin version first, built-in otherwise) and the admin's CRUD."""

import asyncio
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.kit.errors import Conflict, InvalidInput, NotFound
from premier.notifications.builtin import LOCALES
from premier.notifications.catalog import EVENTS, EventSpec, spec_for
from premier.notifications.models import Channel, NotificationTemplate
from premier.notifications.render import (
    Rendered,
    TemplateParts,
    branding,
    builtin_parts,
    render_parts,
    validate,
    wrap_email_html,
)

OVERRIDES_KEY = "premier.template_overrides"
SAMPLE_RECIPIENT = {"name": "Grace Guest", "email": "grace@example.com"}
SAMPLE_HOTEL = {
    "name": "Premier Hotel", "logo_url": None, "brand_color": "#1f4e79",
    "address": "1 Lakeside Drive", "support_email": "frontdesk@premier.test",
    "base_url": "https://hotel.example",
}  # fmt: skip


async def refuse_expensive(spec: EventSpec, parts: TemplateParts) -> None:
    """Render once with the event's sample data, off the event loop: a template too costly
    to render is refused when it is saved, not when a guest's notification is sent (where
    the sandbox's limits would stop it too). Other render errors depend on the data and are
    left to preview."""
    context = {**spec.sample, "hotel": SAMPLE_HOTEL, "unsubscribe_url": None,
               "recipient": SAMPLE_RECIPIENT}  # fmt: skip
    try:
        await asyncio.to_thread(render_parts, parts, context)
    except InvalidInput as exc:
        if exc.code == "template_too_expensive":
            raise


def require_spec(event_type: str) -> EventSpec:
    spec = spec_for(event_type)
    if spec is None:
        raise InvalidInput(
            f"unknown event type {event_type!r}",
            details={"known": sorted(EVENTS)},
            code="unknown_event_type",
        )
    return spec


async def overrides_for(
    *, session: AsyncSession, event_type: str
) -> dict[tuple[str, str], TemplateParts]:
    """The admin's templates for an event, read once a session (a request, or one batch of
    the fan-out, which notifies for many events of a few types in one session)."""
    known: dict[str, dict[tuple[str, str], TemplateParts]] = session.info.setdefault(
        OVERRIDES_KEY, {}
    )
    if event_type not in known:
        rows = await session.scalars(
            select(NotificationTemplate).where(
                NotificationTemplate.event_type == event_type, NotificationTemplate.is_active
            )
        )
        known[event_type] = {
            (r.channel, r.locale): TemplateParts(r.subject, r.body_text, r.body_html) for r in rows
        }
    return known[event_type]


def pick(
    overrides: dict[tuple[str, str], TemplateParts], event_type: str, channel: Channel, locale: str
) -> TemplateParts | None:
    for candidate in (locale, "en"):
        if (channel.value, candidate) in overrides:
            return overrides[(channel.value, candidate)]
        parts = builtin_parts(event_type, channel, candidate)
        if parts is not None:
            return parts
    return None


async def list_templates(*, session: AsyncSession) -> list[NotificationTemplate]:
    rows = await session.scalars(
        select(NotificationTemplate).order_by(
            NotificationTemplate.event_type,
            NotificationTemplate.channel,
            NotificationTemplate.locale,
        )
    )
    return list(rows)


async def get(*, session: AsyncSession, template_id: int) -> NotificationTemplate:
    row = await session.get(NotificationTemplate, template_id)
    if row is None:
        raise NotFound(f"template {template_id} not found")
    return row


def check_locale(locale: str) -> None:
    if locale not in LOCALES:
        raise InvalidInput(f"unsupported locale {locale!r}", details={"supported": LOCALES})


async def create(
    *,
    session: AsyncSession,
    actor_id: int,
    event_type: str,
    channel: Channel,
    locale: str,
    parts: TemplateParts,
    is_active: bool,
) -> NotificationTemplate:
    spec = require_spec(event_type)
    check_locale(locale)
    validate(spec, parts)
    await refuse_expensive(spec, parts)
    row = NotificationTemplate(
        event_type=event_type,
        channel=channel,
        locale=locale,
        subject=parts.subject,
        body_text=parts.text,
        body_html=parts.html,
        is_active=is_active,
        updated_by=actor_id,
    )
    session.add(row)
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict(
            f"a {channel} template for {event_type} in {locale} exists; edit it instead"
        ) from exc
    return row


async def update(
    *,
    session: AsyncSession,
    actor_id: int,
    template_id: int,
    parts: TemplateParts,
    is_active: bool,
) -> NotificationTemplate:
    row = await get(session=session, template_id=template_id)
    spec = require_spec(row.event_type)
    validate(spec, parts)
    await refuse_expensive(spec, parts)
    row.subject, row.body_text, row.body_html = parts.subject, parts.text, parts.html
    row.is_active = is_active
    row.updated_by = actor_id
    await session.commit()
    return row


async def delete(*, session: AsyncSession, template_id: int) -> None:
    row = await get(session=session, template_id=template_id)
    await session.delete(row)
    await session.commit()


async def preview(
    *,
    session: AsyncSession,
    settings: Settings,
    event_type: str,
    channel: Channel,
    locale: str,
    parts: TemplateParts | None,
    context: dict[str, Any] | None,
) -> Rendered:
    """Render with the event's sample data (or the given context) as a recipient would see it."""
    spec = require_spec(event_type)
    check_locale(locale)
    if parts is None:
        overrides = await overrides_for(session=session, event_type=event_type)
        parts = pick(overrides, event_type, channel, locale)
        if parts is None:
            raise NotFound(f"no {channel} template for {event_type}")
    else:
        validate(spec, parts)
    hotel = branding(settings)
    sample_unsubscribe = None if spec.essential else f"{settings.public_base_url}/unsubscribe"
    ctx = {
        **spec.sample,
        **(context or {}),
        "hotel": hotel,
        "unsubscribe_url": sample_unsubscribe,
        "recipient": SAMPLE_RECIPIENT,
    }

    def render() -> Rendered:
        rendered = render_parts(parts, ctx)
        if channel != Channel.EMAIL:
            return rendered
        html = wrap_email_html(
            body_html=rendered.html,
            subject=rendered.subject,
            locale=locale,
            hotel=hotel,
            unsubscribe_url=sample_unsubscribe,
        )
        return Rendered(rendered.subject, rendered.text, html)

    # In a worker thread: while the sandbox's limits run their course, others are served.
    return await asyncio.to_thread(render)


def catalog() -> list[dict[str, Any]]:
    entries = []
    for spec in EVENTS.values():
        builtins: dict[str, dict[str, dict[str, str]]] = {}
        for locale in LOCALES:
            builtins[locale] = {}
            for channel in spec.channels:
                parts = builtin_parts(spec.event_type, channel, locale)
                if parts is not None:
                    builtins[locale][channel.value] = {
                        "subject": parts.subject,
                        "body_text": parts.text,
                        "body_html": parts.html,
                    }
        entries.append(
            {
                "event_type": spec.event_type,
                "category": spec.category,
                "channels": [c.value for c in spec.channels],
                "variables": sorted(spec.allowed_variables),
                "essential": spec.essential,
                "sample": spec.sample,
                "builtin": builtins,
            }
        )
    return entries
