"""Announcements: written by the management, sent to a target now or at `scheduled_for`.

Each due announcement is sent exactly once, whatever the number of workers and restarts:
one transaction claims it with a conditional UPDATE (`status` scheduled → sent, only where
it is still scheduled and due), writes every recipient's messages through `notify()` and
the recipient rows, and commits. A second worker's UPDATE finds nothing to change (on
PostgreSQL it waits for the first one's row lock and re-reads the row; SQLite has a single
writer), and a crash before the commit leaves the announcement scheduled for the next one.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, null, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.announcements import templates
from premier.announcements.models import (
    Announcement,
    AnnouncementPriority,
    AnnouncementRecipient,
    AnnouncementStatus,
)
from premier.announcements.targets import Target, recipients
from premier.config import Settings
from premier.db import Database
from premier.db.bulk import insert_rows
from premier.kit.errors import Conflict, InvalidInput, NotFound
from premier.kit.time import utcnow
from premier.notifications.models import Priority
from premier.notifications.service import Notice, notify_many

EDITABLE = (AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED)
PRIORITY = {
    AnnouncementPriority.NORMAL: Priority.NORMAL,
    AnnouncementPriority.IMPORTANT: Priority.HIGH,
    AnnouncementPriority.EMERGENCY: Priority.URGENT,
}


def in_utc(value: datetime | None, *, timezone: str) -> datetime | None:
    """A time without a zone is the hotel's local time."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value.astimezone(ZoneInfo("UTC"))


def local_text(value: datetime | None, *, timezone: str) -> str | None:
    return value.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M") if value else None


def texts(
    *, template: str | None, variables: dict[str, str], given: dict[str, str]
) -> dict[str, str]:
    """The title and body in both languages: the template's, filled in, unless given."""
    filled = templates.fill(template, variables) if template else {}
    return {part: given.get(part) or filled.get(part, "") for part in given}


async def create(
    *, session: AsyncSession, settings: Settings, actor_id: int, data: Any
) -> Announcement:
    if data.client_key:
        earlier = await session.scalar(
            select(Announcement).where(
                Announcement.created_by == actor_id, Announcement.client_key == data.client_key
            )
        )
        if earlier is not None:
            return earlier
    template = templates.TEMPLATES.get(data.template) if data.template else None
    written = texts(
        template=data.template,
        variables=data.variables,
        given={p: getattr(data, p) for p in ("title", "body", "title_sw", "body_sw")},
    )
    scheduled = in_utc(data.scheduled_for, timezone=settings.hotel_timezone)
    row = Announcement(
        **written,
        template=data.template,
        priority=data.priority or (template.priority if template else AnnouncementPriority.NORMAL),
        target=data.target.model_dump(mode="json", exclude_none=True),
        status=AnnouncementStatus.SCHEDULED if scheduled else AnnouncementStatus.DRAFT,
        scheduled_for=scheduled,
        created_by=actor_id,
        client_key=data.client_key,
    )
    session.add(row)
    try:
        await session.commit()
    except IntegrityError as exc:  # the same key, at the same instant
        await session.rollback()
        raise Conflict("this announcement was just created; reload to see it") from exc
    return row


async def get(*, session: AsyncSession, announcement_id: int) -> Announcement:
    row = await session.get(Announcement, announcement_id)
    if row is None:
        raise NotFound(f"announcement {announcement_id} not found")
    return row


async def update_draft(
    *, session: AsyncSession, settings: Settings, announcement_id: int, data: Any
) -> Announcement:
    row = await get(session=session, announcement_id=announcement_id)
    if row.status not in EDITABLE:
        raise Conflict(f"a {row.status} announcement cannot be changed")
    fields = data.model_fields_set
    for name in ("title", "body", "title_sw", "body_sw", "priority"):
        if name in fields and getattr(data, name) is not None:
            setattr(row, name, getattr(data, name))
    if "target" in fields and data.target is not None:
        row.target = data.target.model_dump(mode="json", exclude_none=True)
    if "scheduled_for" in fields:
        row.scheduled_for = in_utc(data.scheduled_for, timezone=settings.hotel_timezone)
        row.status = AnnouncementStatus.SCHEDULED if row.scheduled_for else AnnouncementStatus.DRAFT
    if not (row.title.strip() and row.body.strip()):
        raise InvalidInput("an announcement needs a title and a body", code="empty")
    await session.commit()
    return row


async def remove(*, session: AsyncSession, announcement_id: int) -> None:
    row = await get(session=session, announcement_id=announcement_id)
    if row.status == AnnouncementStatus.SENT:
        raise Conflict("a sent announcement stays on record; it cannot be deleted")
    await session.delete(row)
    await session.commit()


async def cancel(*, session: AsyncSession, announcement_id: int) -> Announcement:
    """Stop a draft or scheduled announcement from going out (a sent one cannot be)."""
    await get(session=session, announcement_id=announcement_id)
    result = await session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.status.in_(EDITABLE))
        .values(status=AnnouncementStatus.CANCELLED, updated_at=utcnow())
    )
    await session.commit()
    row = await get(session=session, announcement_id=announcement_id)
    await session.refresh(row)
    if not getattr(result, "rowcount", 0) and row.status != AnnouncementStatus.CANCELLED:
        raise Conflict(f"a {row.status} announcement cannot be cancelled")
    return row


async def count(*, session: AsyncSession, settings: Settings, target: Target) -> int:
    return len(await recipients(session=session, target=target, timezone=settings.hotel_timezone))


async def send_now(
    *, database: Database, settings: Settings, announcement_id: int, worker_id: str
) -> Announcement:
    """Send a draft or scheduled announcement at once (again: nothing more happens)."""
    async with database.writing() as session:
        row = await get(session=session, announcement_id=announcement_id)
        if row.status == AnnouncementStatus.CANCELLED:
            raise Conflict("a cancelled announcement cannot be sent")
        await session.execute(
            update(Announcement)
            .where(Announcement.id == announcement_id, Announcement.status.in_(EDITABLE))
            .values(status=AnnouncementStatus.SCHEDULED, scheduled_for=utcnow())
        )
        await session.commit()
    await send_if_due(
        database=database, settings=settings, announcement_id=announcement_id, worker_id=worker_id
    )
    async with database.reading() as session:
        return await get(session=session, announcement_id=announcement_id)


async def send_due(*, database: Database, settings: Settings, worker_id: str) -> int:
    """Send every announcement now due; returns how many this worker sent."""
    async with database.reading() as session:
        due = list(
            await session.scalars(
                select(Announcement.id)
                .where(
                    Announcement.status == AnnouncementStatus.SCHEDULED,
                    Announcement.scheduled_for <= utcnow(),
                )
                .order_by(Announcement.scheduled_for, Announcement.id)
                .limit(20)
            )
        )
    sent = 0
    for announcement_id in due:
        sent += await send_if_due(
            database=database,
            settings=settings,
            announcement_id=announcement_id,
            worker_id=worker_id,
        )
    return sent


async def send_if_due(
    *, database: Database, settings: Settings, announcement_id: int, worker_id: str
) -> bool:
    """Claim and send one announcement in one transaction; False when it was not (or no
    longer) this worker's to send."""
    now = utcnow()
    async with database.writing() as session:
        claimed = await session.execute(
            update(Announcement)
            .where(
                Announcement.id == announcement_id,
                Announcement.status == AnnouncementStatus.SCHEDULED,
                Announcement.scheduled_for <= now,
            )
            .values(status=AnnouncementStatus.SENT, sent_at=now, sent_by_worker=worker_id)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            await session.rollback()
            return False
        row = await get(session=session, announcement_id=announcement_id)
        target = Target.model_validate(row.target)
        people = await recipients(session=session, target=target, timezone=settings.hotel_timezone)
        await _fan_out(session, settings, row, people)
        row.recipient_count = len(people)
        await events.emit(
            session,
            events.AnnouncementSent(
                announcement_id=row.id, priority=row.priority, recipients=len(people)
            ),
        )
        await events.commit(session)
    return True


async def _fan_out(
    session: AsyncSession, settings: Settings, row: Announcement, people: Sequence[int]
) -> None:
    emergency = row.priority == AnnouncementPriority.EMERGENCY
    notice = Notice(
        recipients=people,
        event_type="announcement.emergency" if emergency else "announcement",
        context={
            "title": row.title,
            "message": row.body,
            "sw": {"title": row.title_sw, "message": row.body_sw},
        },
        priority=PRIORITY[AnnouncementPriority(row.priority)],
        data={"announcement_id": row.id, "priority": row.priority},
        created_by=row.created_by,
    )
    written = await notify_many(session=session, settings=settings, notices=[notice])
    inbox = {n.user_id: n.id for n in written}
    await insert_rows(
        session,
        AnnouncementRecipient.__table__,  # type: ignore[arg-type]
        [
            {"announcement_id": row.id, "user_id": user_id, "notification_id": inbox.get(user_id)}
            for user_id in people
        ],
    )


async def list_for(
    *, session: AsyncSession, user_id: int, everything: bool, offset: int, limit: int
) -> tuple[list[tuple[Announcement, datetime | None]], int]:
    """The management sees every announcement; anyone else those sent to them."""
    query: Any
    if everything:
        query = select(Announcement, null().label("acknowledged_at"))
        total_query = select(func.count()).select_from(Announcement)
    else:
        query = select(Announcement, AnnouncementRecipient.acknowledged_at).join(
            AnnouncementRecipient,
            (AnnouncementRecipient.announcement_id == Announcement.id)
            & (AnnouncementRecipient.user_id == user_id),
        )
        total_query = select(func.count()).where(AnnouncementRecipient.user_id == user_id)
    rows = await session.execute(query.order_by(Announcement.id.desc()).offset(offset).limit(limit))
    total = await session.scalar(total_query) or 0
    return [(a, ack) for a, ack in rows], total


async def addressed(
    *, session: AsyncSession, user_id: int, announcement_id: int
) -> tuple[Announcement, datetime | None]:
    """One announcement sent to this user (NotFound for one that was not)."""
    found = (
        await session.execute(
            select(Announcement, AnnouncementRecipient.acknowledged_at)
            .join(AnnouncementRecipient, AnnouncementRecipient.announcement_id == Announcement.id)
            .where(Announcement.id == announcement_id, AnnouncementRecipient.user_id == user_id)
        )
    ).first()
    if found is None:
        raise NotFound(f"announcement {announcement_id} not found")
    return found[0], found[1]


async def emergencies_for(*, session: AsyncSession, user_id: int) -> list[Announcement]:
    """Sent emergencies this user has not acknowledged yet: the banner."""
    return list(
        await session.scalars(
            select(Announcement)
            .join(AnnouncementRecipient, AnnouncementRecipient.announcement_id == Announcement.id)
            .where(
                AnnouncementRecipient.user_id == user_id,
                AnnouncementRecipient.acknowledged_at.is_(None),
                Announcement.priority == AnnouncementPriority.EMERGENCY,
                Announcement.status == AnnouncementStatus.SENT,
            )
            .order_by(Announcement.id.desc())
        )
    )


async def acknowledge(
    *, session: AsyncSession, user_id: int, announcement_id: int
) -> tuple[Announcement, datetime | None]:
    """Note that this user has read it (again: the first time stays)."""
    row, acknowledged = await addressed(
        session=session, user_id=user_id, announcement_id=announcement_id
    )
    if acknowledged is None:
        acknowledged = utcnow()
        await session.execute(
            update(AnnouncementRecipient)
            .where(
                AnnouncementRecipient.announcement_id == announcement_id,
                AnnouncementRecipient.user_id == user_id,
                AnnouncementRecipient.acknowledged_at.is_(None),
            )
            .values(acknowledged_at=acknowledged)
        )
        await events.emit(
            session,
            events.AnnouncementAcknowledged(announcement_id=announcement_id, user_id=user_id),
        )
        await events.commit(session)
    return row, acknowledged
