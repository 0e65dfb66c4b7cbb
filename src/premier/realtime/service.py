"""Who may listen on which channel, by the access table (premier.auth.access).

A guest hears about their own things only (someone else's booking is "not found", as over
REST) and whether a department is online (`online:<department>`); staff hear their
department's channels (`department:`, and `presence:` for who is online) and the things
their department may read; managers and admins hear everything.

Whose a booking, an order or a payment is, only its domain knows: each registers a check
for its channel kind at start-up (`register_owner_check`), so the realtime layer names no
domain's table. A kind nobody registered has nothing to listen to.
"""

from collections.abc import Awaitable, Callable

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth import access
from premier.auth.actor import Actor
from premier.kit.errors import NotFound, PermissionDenied
from premier.users.models import Department

# The id of the user who owns thing `id` of a kind, or None if there is no such thing.
OwnerCheck = Callable[[AsyncSession, int], Awaitable[int | None]]

_OWNER_CHECKS: dict[str, OwnerCheck] = {}


def register_owner_check(kind: str, owner_of: OwnerCheck) -> None:
    """Answer who owns `<kind>:<id>` with `owner_of`; the kind is also the thing's resource
    in the access table, which decides who else may listen."""
    _OWNER_CHECKS[kind] = owner_of


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
    if kind in ("presence", "online"):
        try:
            department = Department(key)
        except ValueError as exc:
            raise NotFound(f"no department {key!r}") from exc
        if kind == "online":  # whether anyone is: anyone signed in may know
            if not access.allows(actor, "presence", "read"):
                raise PermissionDenied("sign in to see whether a department is online")
        elif not access.reaches(actor, "presence", "list_staff", departments=(department,)):
            raise PermissionDenied(f"only {department.value} staff and managers see who is online")
        return
    if kind == "role":
        if not access.allows(actor, "role_channel", "listen"):
            raise PermissionDenied("only managers may listen here")
        return
    owner = await _owner_of(session=session, kind=kind, row_id=int(key))
    if owner is not None and access.reaches(actor, kind, "read", owner_id=owner):
        return
    if owner is None or access.allows(actor, kind, "read"):
        raise NotFound(f"{kind} {key} not found")
    raise PermissionDenied(f"this {kind} is handled by another department")


async def _owner_of(*, session: AsyncSession, kind: str, row_id: int) -> int | None:
    owner_of = _OWNER_CHECKS.get(kind)
    if owner_of is None:
        return None
    try:
        return await owner_of(session, row_id)
    except DBAPIError:
        # An id the database cannot hold (the protocol allows 18 digits) names nothing.
        await session.rollback()
        return None
