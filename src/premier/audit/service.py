"""Recording changes as they are answered, and reading them back for managers."""

import re
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.audit.models import AuditEntry
from premier.audit.schemas import AuditEntryOut, AuditFilters
from premier.db import Database
from premier.db.group_commit import GroupCommit
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
    # A create names its new thing's id in its answer, also through a named collection
    # route (`POST /payments/cash` records payment 31).
    if resource_id is None and method == "POST":
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


class Recorder:
    """Writes entries in groups: every change answered while the previous group was being
    written shares one transaction and one commit with the others. An entry of its own
    transaction per change would cost a change as much again as the change itself."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._queue: GroupCommit[AuditEntry, None] = GroupCommit(database, _write)

    async def record(self, new: AuditEntry) -> None:
        """Return once `new` is committed."""
        await self._queue.submit(new)


async def _write(session: AsyncSession, entries: Sequence[AuditEntry]) -> list[None]:
    session.add_all(entries)
    return [None] * len(entries)


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
    await _name_actors(session, found.items)
    return found


async def entries_about(
    *, session: AsyncSession, targets: Mapping[str, Collection[int]], limit: int
) -> list[AuditEntryOut]:
    """The latest `limit` entries about any of these things (resource -> ids), newest
    first: one booking's history is its own entries and those of its payments and
    requests."""
    about = [
        and_(AuditEntry.resource == resource, AuditEntry.resource_id.in_(list(ids)))
        for resource, ids in targets.items()
        if ids
    ]
    if not about:
        return []
    rows = await session.scalars(
        select(AuditEntry)
        .where(or_(*about))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    items = [AuditEntryOut.model_validate(row) for row in rows]
    await _name_actors(session, items)
    return items


async def _name_actors(session: AsyncSession, items: list[AuditEntryOut]) -> None:
    actors = {item.actor_id for item in items}
    if not actors:
        return
    names = dict(
        (await session.execute(select(User.id, User.full_name).where(User.id.in_(actors))))
        .tuples()
        .all()
    )
    for item in items:
        item.actor_name = names.get(item.actor_id)
