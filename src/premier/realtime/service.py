"""Who may listen on which channel, by the access table (premier.auth.access).

A guest hears about their own things only (someone else's booking is "not found", as over
REST); staff hear their department's channel and the things their department may read;
managers and admins hear everything.
"""

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth import access
from premier.auth.actor import Actor
from premier.kit.errors import NotFound, PermissionDenied
from premier.users.models import Department

# Where each kind of thing's owner is recorded; the kind is also its resource in the table.
PARTICIPANTS = {
    "booking": ("bookings", "guest_id"),
    "order": ("orders", "guest_id"),
    "payment": ("payments", "payer_id"),
}


async def authorize_channel(*, session: AsyncSession, actor: Actor, channel: str) -> None:
    """Raise NotFound or PermissionDenied unless `actor` may subscribe to `channel`.

    `channel` has already been checked against the protocol's channel pattern.
    """
    kind, _, key = channel.partition(":")
    if kind == "availability":
        return
    if kind == "user":
        if int(key) != actor.id:
            raise PermissionDenied("you may only subscribe to your own user channel")
        return
    if kind == "department":
        try:
            department = Department(key)
        except ValueError as exc:
            raise NotFound(f"no department {key!r}") from exc
        if not access.reaches(actor, "department_channel", "listen", departments=(department,)):
            raise PermissionDenied(f"only {department.value} staff and managers may listen here")
        return
    if kind == "role":
        if not access.allows(actor, "role_channel", "listen"):
            raise PermissionDenied("only managers may listen here")
        return
    if kind == "conversation":
        if not await _is_participant(session=session, conversation_id=int(key), actor=actor):
            raise NotFound(f"conversation {key} not found")
        return
    table, owner_column = PARTICIPANTS[kind]
    owner = await _owner_of(session=session, table=table, column=owner_column, row_id=int(key))
    if owner is not None and access.reaches(actor, kind, "read", owner_id=owner):
        return
    if owner is None or access.allows(actor, kind, "read"):
        raise NotFound(f"{kind} {key} not found")
    raise PermissionDenied(f"this {kind} is handled by another department")


async def _owner_of(*, session: AsyncSession, table: str, column: str, row_id: int) -> int | None:
    # Plain SQL so that the hub does not depend on every domain's models; a table that does
    # not exist yet simply has no rows.
    try:
        owner = await session.scalar(
            text(f"SELECT {column} FROM {table} WHERE id = :id"),  # noqa: S608 - constants
            {"id": row_id},
        )
    except DBAPIError:
        await session.rollback()
        return None
    return int(owner) if owner is not None else None


async def _is_participant(*, session: AsyncSession, conversation_id: int, actor: Actor) -> bool:
    try:
        found = await session.scalar(
            text(
                "SELECT 1 FROM conversation_participants "
                "WHERE conversation_id = :conversation AND user_id = :user"
            ),
            {"conversation": conversation_id, "user": actor.id},
        )
    except DBAPIError:
        await session.rollback()
        return False
    return found is not None
