"""Notification groups: named sets of users (e.g. "night shift", "VIP guests") that a
notification or announcement can target."""

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier.kit.errors import Conflict, InvalidInput, NotFound
from premier.notifications.models import NotificationGroup, NotificationGroupMember
from premier.users.models import User


async def list_groups(*, session: AsyncSession) -> list[tuple[NotificationGroup, list[int]]]:
    groups = list(await session.scalars(select(NotificationGroup).order_by(NotificationGroup.name)))
    members: dict[int, list[int]] = {g.id: [] for g in groups}
    for group_id, user_id in await session.execute(
        select(NotificationGroupMember.group_id, NotificationGroupMember.user_id).order_by(
            NotificationGroupMember.user_id
        )
    ):
        members.setdefault(group_id, []).append(user_id)
    return [(g, members[g.id]) for g in groups]


async def member_ids(*, session: AsyncSession, group_id: int) -> list[int]:
    if await session.get(NotificationGroup, group_id) is None:
        raise NotFound(f"group {group_id} not found")
    rows = await session.scalars(
        select(NotificationGroupMember.user_id).where(NotificationGroupMember.group_id == group_id)
    )
    return sorted(rows)


async def create(
    *, session: AsyncSession, name: str, description: str, user_ids: Sequence[int]
) -> NotificationGroup:
    group = NotificationGroup(name=name, description=description)
    session.add(group)
    try:
        await session.flush()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict(f"a group named {name!r} exists") from exc
    await _set_members(session=session, group_id=group.id, user_ids=user_ids)
    await session.commit()
    return group


async def replace_members(
    *, session: AsyncSession, group_id: int, user_ids: Sequence[int]
) -> NotificationGroup:
    group = await session.get(NotificationGroup, group_id)
    if group is None:
        raise NotFound(f"group {group_id} not found")
    await session.execute(
        delete(NotificationGroupMember).where(NotificationGroupMember.group_id == group_id)
    )
    await _set_members(session=session, group_id=group_id, user_ids=user_ids)
    await session.commit()
    return group


async def remove(*, session: AsyncSession, group_id: int) -> None:
    group = await session.get(NotificationGroup, group_id)
    if group is None:
        raise NotFound(f"group {group_id} not found")
    await session.delete(group)
    await session.commit()


async def _set_members(*, session: AsyncSession, group_id: int, user_ids: Sequence[int]) -> None:
    wanted = sorted(set(user_ids))
    found = set(await session.scalars(select(User.id).where(User.id.in_(wanted))))
    missing = [u for u in wanted if u not in found]
    if missing:
        raise InvalidInput("unknown users", details={"user_ids": missing})
    session.add_all(NotificationGroupMember(group_id=group_id, user_id=u) for u in wanted)
