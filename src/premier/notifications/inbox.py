"""The signed-in user's in-app notifications. Every query is scoped to the owner, so
another user's notification is simply not found."""

from typing import Any, Literal

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.kit.errors import NotFound
from premier.kit.time import utcnow
from premier.notifications.models import Notification

ReadFilter = Literal["all", "read", "unread"]


def _filtered(query: Select[Any], state: ReadFilter, category: str | None) -> Select[Any]:
    if state == "read":
        query = query.where(Notification.read_at.is_not(None))
    elif state == "unread":
        query = query.where(Notification.read_at.is_(None))
    if category:
        query = query.where(Notification.category == category)
    return query


async def list_page(
    *,
    session: AsyncSession,
    user_id: int,
    state: ReadFilter,
    category: str | None,
    cursor: int | None,
    limit: int,
) -> tuple[list[Notification], int | None]:
    """Newest first; the cursor is the id of the last item of the previous page."""
    query = _filtered(select(Notification).where(Notification.user_id == user_id), state, category)
    if cursor is not None:
        query = query.where(Notification.id < cursor)
    rows: list[Notification] = list(
        await session.scalars(query.order_by(Notification.id.desc()).limit(limit + 1))
    )
    next_cursor = rows[limit - 1].id if len(rows) > limit else None
    return rows[:limit], next_cursor


async def unread_count(*, session: AsyncSession, user_id: int) -> int:
    return (
        await session.scalar(
            select(func.count()).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


async def _own(*, session: AsyncSession, user_id: int, notification_id: int) -> Notification:
    row = await session.get(Notification, notification_id)
    if row is None or row.user_id != user_id:
        raise NotFound(f"notification {notification_id} not found")
    return row


async def mark(
    *, session: AsyncSession, user_id: int, notification_id: int, read: bool
) -> Notification:
    row = await _own(session=session, user_id=user_id, notification_id=notification_id)
    row.read_at = (row.read_at or utcnow()) if read else None
    await _changed(session, user_id, "read" if read else "unread", [notification_id])
    return row


async def _changed(
    session: AsyncSession, user_id: int, change: str, ids: list[int] | None = None
) -> None:
    """Commit, and tell the person's other tabs and devices."""
    await events.emit(
        session,
        events.NotificationsChanged(user_id=user_id, change=change, notification_ids=ids or []),
    )
    await events.commit(session)


async def mark_all_read(*, session: AsyncSession, user_id: int) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    await _changed(session, user_id, "read")
    return int(getattr(result, "rowcount", 0) or 0)


async def remove(*, session: AsyncSession, user_id: int, notification_id: int) -> None:
    row = await _own(session=session, user_id=user_id, notification_id=notification_id)
    await session.delete(row)
    await _changed(session, user_id, "removed", [notification_id])


async def clear_all(*, session: AsyncSession, user_id: int) -> int:
    result = await session.execute(delete(Notification).where(Notification.user_id == user_id))
    await _changed(session, user_id, "removed")
    return int(getattr(result, "rowcount", 0) or 0)
