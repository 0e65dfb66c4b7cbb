"""Who of a department is online, as the asker may know it (premier.realtime.presence
keeps the count; the access table decides who sees names)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth import access
from premier.auth.actor import Actor
from premier.messaging.schemas import DepartmentPresence, OnlineColleague
from premier.realtime.presence import Presence
from premier.users.models import Department, User


async def department_presence(
    *, session: AsyncSession, actor: Actor, presence: Presence | None, department: Department
) -> DepartmentPresence:
    online = await presence.online(department.value) if presence is not None else set()
    if not access.reaches(actor, "presence", "list_staff", departments=(department,)):
        return DepartmentPresence(department=department, available=bool(online), online=None)
    users = (
        await session.execute(
            select(User.id, User.full_name)
            .where(User.id.in_(online), User.is_active)
            .order_by(User.full_name, User.id)
        )
    ).all()
    return DepartmentPresence(
        department=department,
        available=bool(online),
        online=[OnlineColleague(user_id=i, full_name=name) for i, name in users],
    )
