"""Turning rendered content into an email_queue row: headers, Message-ID, unsubscribe,
suppressions. Header fields never carry CR or LF (no header injection)."""

from collections.abc import Sequence
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.db.bulk import insert_rows
from premier.delivery.attachment import Attachment
from premier.delivery.queue import QueueStatus
from premier.email.models import EmailQueue
from premier.kit.errors import InvalidInput
from premier.kit.time import utcnow
from premier.notifications import suppressions
from premier.notifications.models import Channel

EMAIL_QUEUE: Table = EmailQueue.__table__  # type: ignore[assignment]


def check_header(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise InvalidInput(
            f"{name} must be one line", details={"field": name}, code="header_injection"
        )
    return value


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: mail clients POST to the URL without any login."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def new_email(
    *,
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
) -> dict[str, Any]:
    """One email_queue row's values, its headers checked; not yet written. Plain values, not
    an EmailQueue: a fan-out writes one per recipient, and the columns left out take their
    defaults."""
    for name, value in (("to", to_address), ("subject", subject), ("to_name", to_name or "")):
        check_header(name, value)
    for name, value in (headers or {}).items():
        check_header(name, name)
        check_header(name, value)
    domain = settings.email_from_address.rpartition("@")[2] or "premier.local"
    return {
        "message_id": make_msgid(domain=domain),
        "to_address": to_address,
        "to_name": to_name,
        "from_address": settings.email_from_address,
        "from_name": settings.email_from_name,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html,
        "headers": dict(headers or {}),
        "attachments": [a.stored() for a in attachments],
        "template": template,
        "category": category,
        "locale": locale,
        "priority": priority,
        "user_id": user_id,
        "notification_id": notification_id,
        "created_by": created_by,
        "max_attempts": settings.email_max_attempts,
        "next_attempt_at": not_before or utcnow(),
        "status": QueueStatus.QUEUED,
        "last_error": None,
    }


async def add_emails(
    *, session: AsyncSession, rows: Sequence[dict[str, Any]], essential: Sequence[bool]
) -> list[int]:
    """Write rows in the caller's transaction (the caller commits), those to a suppressed
    address marked so: they are kept, to show why nothing was sent. Returns their ids."""
    checked = [row for row, needed in zip(rows, essential, strict=True) if not needed]
    found = await suppressions.blocking(
        session=session, channel=Channel.EMAIL, addresses=[row["to_address"] for row in checked]
    )
    for row in checked:
        blocked = suppressions.first_blocking(
            found, channel=Channel.EMAIL, address=row["to_address"], category=row["category"]
        )
        if blocked is not None:
            row["status"] = QueueStatus.SUPPRESSED
            row["last_error"] = f"suppressed: {blocked.reason}"
    return await insert_rows(session, EMAIL_QUEUE, rows)
