"""Who an announcement is for: a target named by its kind, resolved to user ids when it is
sent (and counted before, for the preview)."""

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from pydantic import ConfigDict, Field, model_validator
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.bookings.models import Booking, BookingStatus
from premier.kit.input import Input
from premier.kit.schema_rules import all_of, equals, given, one_of_shapes
from premier.kit.time import hotel_today
from premier.notifications import groups
from premier.users.models import Department, Role, User

Kind = Literal["all", "guests", "staff", "vips", "department", "in_house", "arriving", "group"]
# What a kind needs besides itself.
NEEDS: dict[str, str] = {"department": "department", "arriving": "date", "group": "group_id"}


class Target(Input):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=one_of_shapes(
            equals("kind", *(kind for kind in get_args(Kind) if kind not in NEEDS)),
            *(all_of(equals("kind", kind), given(field)) for kind, field in NEEDS.items()),
        ),
    )

    kind: Kind
    department: Department | None = None  # kind "department"
    date: Annotated[dt.date | None, Field(description="kind arriving: the check-in day")] = None
    group_id: Annotated[int | None, Field(ge=1)] = None  # kind "group"

    @model_validator(mode="after")
    def _needs(self) -> "Target":
        name = NEEDS.get(self.kind)
        if name and getattr(self, name) is None:
            raise ValueError(f"a {self.kind!r} target needs {name!r}")
        return self


def _users(target: Target, *, timezone: str) -> Select[Any]:
    active = select(User.id).where(User.is_active)
    match target.kind:
        case "all":
            return active
        case "guests":
            return active.where(User.role == Role.GUEST)
        case "staff":
            return active.where(User.role.in_([Role.STAFF, Role.MANAGER, Role.ADMIN]))
        case "vips":
            return active.where(User.role == Role.GUEST, User.is_vip)
        case "department":
            return active.where(User.role == Role.STAFF, User.department == target.department)
        case "in_house":
            today = hotel_today(timezone)
            staying = select(Booking.guest_id).where(
                Booking.status == BookingStatus.CHECKED_IN,
                Booking.check_in <= today,
                Booking.check_out >= today,
            )
            return active.where(User.id.in_(staying))
        case "arriving":
            arriving = select(Booking.guest_id).where(
                Booking.check_in == target.date,
                Booking.status.in_([BookingStatus.PENDING, BookingStatus.CONFIRMED]),
            )
            return active.where(User.id.in_(arriving))
    raise AssertionError(target.kind)


async def recipients(*, session: AsyncSession, target: Target, timezone: str) -> list[int]:
    """The active users this target names now, in id order."""
    if target.kind == "group":
        assert target.group_id is not None
        members = await groups.member_ids(session=session, group_id=target.group_id)
        query: Select[Any] = select(User.id).where(User.is_active, User.id.in_(members))
    else:
        query = _users(target, timezone=timezone)
    return sorted(await session.scalars(query))
