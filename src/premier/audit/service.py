"""Recording changes as they are answered, and reading them back for managers."""

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.audit.models import AuditEntry
from premier.audit.schemas import AuditEntryOut, AuditFilters
from premier.kit.pagination import Page, PageParams, paginate
from premier.users.models import User

_ID = re.compile(r"^[0-9]{1,18}$")
ACTIONS = {"POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}


def describe(method: str, path: str, created_id: int | None) -> tuple[str, int | None, str]:
    """`POST /api/v1/bookings/12/check-in` → (`bookings`, 12, `check-in`); a create's id is
    the one its answer names."""
    parts = [part for part in path.removeprefix("/api/v1/").split("/") if part]
    resource = parts[0] if parts else "api"
    resource_id: int | None = None
    action = ACTIONS.get(method, method.lower())
    rest = parts[1:]
    if rest and _ID.match(rest[0]):
        resource_id = int(rest[0])
        rest = rest[1:]
    if rest:
        action = "/".join(rest)
    if resource_id is None and method == "POST" and not rest:
        resource_id = created_id
    return resource[:40], resource_id, action[:40]


def entry(
    *, actor_id: int, method: str, path: str, status: int, created_id: int | None
) -> AuditEntry:
    resource, resource_id, action = describe(method, path, created_id)
    return AuditEntry(
        actor_id=actor_id, method=method, path=path[:255], resource=resource,
        resource_id=resource_id, action=action, status=status,
    )  # fmt: skip


async def list_entries(
    *, session: AsyncSession, filters: AuditFilters, page: PageParams
) -> Page[AuditEntryOut]:
    query = select(AuditEntry)
    if filters.resource:
        query = query.where(AuditEntry.resource == filters.resource)
    if filters.resource_id is not None:
        query = query.where(AuditEntry.resource_id == filters.resource_id)
    if filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    found = await paginate(
        session,
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
        page,
        AuditEntryOut.model_validate,
    )
    actors = {item.actor_id for item in found.items}
    if actors:
        names = dict(
            (await session.execute(select(User.id, User.full_name).where(User.id.in_(actors))))
            .tuples()
            .all()
        )
        for item in found.items:
            item.actor_name = names.get(item.actor_id)
    return found
