"""Turning rendered content into an email_queue row: headers, Message-ID, unsubscribe,
suppressions. Header fields never carry CR or LF (no header injection)."""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import make_msgid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.delivery.queue import QueueStatus
from premier.email.models import EmailQueue
from premier.kit.errors import InvalidInput
from premier.kit.signing import sign
from premier.kit.time import utcnow
from premier.notifications.models import Channel, Suppression

UNSUBSCRIBE_PURPOSE = "unsubscribe"


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes

    def stored(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "content_b64": base64.b64encode(self.content).decode(),
        }


def check_header(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise InvalidInput(
            f"{name} must be one line", details={"field": name}, code="header_injection"
        )
    return value


def unsubscribe_url(*, settings: Settings, address: str, category: str) -> str:
    token = sign(
        {"e": address.lower(), "c": category},
        secret=settings.secret_key,
        purpose=UNSUBSCRIBE_PURPOSE,
    )
    return f"{settings.public_base_url}/api/v1/notifications/unsubscribe?token={token}"


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: mail clients POST to the URL without any login."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


async def is_suppressed(
    *, session: AsyncSession, channel: Channel, address: str, category: str
) -> Suppression | None:
    return await session.scalar(
        select(Suppression)
        .where(
            Suppression.channel == channel,
            Suppression.address == address.lower(),
            or_(Suppression.category == "*", Suppression.category == category),
        )
        .limit(1)
    )


async def queue_email(
    *,
    session: AsyncSession,
    settings: Settings,
    to_address: str,
    to_name: str | None,
    subject: str,
    body_text: str,
    body_html: str,
    category: str,
    template: str | None,
    locale: str = "en",
    headers: dict[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
    priority: int = 5,
    user_id: int | None = None,
    notification_id: int | None = None,
    created_by: int | None = None,
    not_before: datetime | None = None,
    essential: bool = False,
) -> EmailQueue:
    """Add one email to the outbox in the caller's transaction (the caller commits)."""
    for name, value in (("to", to_address), ("subject", subject), ("to_name", to_name or "")):
        check_header(name, value)
    for name, value in (headers or {}).items():
        check_header(name, name)
        check_header(name, value)
    domain = settings.email_from_address.rpartition("@")[2] or "premier.local"
    row = EmailQueue(
        message_id=make_msgid(domain=domain),
        to_address=to_address,
        to_name=to_name,
        from_address=settings.email_from_address,
        from_name=settings.email_from_name,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=dict(headers or {}),
        attachments=[a.stored() for a in attachments],
        template=template,
        category=category,
        locale=locale,
        priority=priority,
        user_id=user_id,
        notification_id=notification_id,
        created_by=created_by,
        max_attempts=settings.email_max_attempts,
        next_attempt_at=not_before or utcnow(),
    )
    if not essential:
        suppressed = await is_suppressed(
            session=session, channel=Channel.EMAIL, address=to_address, category=category
        )
        if suppressed is not None:
            row.status = QueueStatus.SUPPRESSED
            row.last_error = f"suppressed: {suppressed.reason}"
    session.add(row)
    return row


def booking_calendar(
    *, uid: str, summary: str, start: date, end: date, location: str, description: str
) -> Attachment:
    """An iCalendar (RFC 5545) all-day event from check-in to check-out."""

    def esc(text: str) -> str:
        return (
            text.replace("\\", "\\\\")
            .replace(";", "\\;")
            .replace(",", "\\,")
            .replace("\r", "")
            .replace("\n", "\\n")
        )

    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Premier Hotel//Bookings//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{esc(uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{esc(summary)}",
        f"LOCATION:{esc(location)}",
        f"DESCRIPTION:{esc(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return Attachment(
        "booking.ics", "text/calendar; method=PUBLISH", ("\r\n".join(lines) + "\r\n").encode()
    )


def stored_attachments(row: EmailQueue) -> list[Attachment]:
    return [
        Attachment(a["filename"], a["content_type"], base64.b64decode(a["content_b64"]))
        for a in row.attachments
    ]
