"""What staff may send by hand, by email (`POST /emails/send`) or SMS (`POST /sms/send`).

A message from the hotel's own address is trusted by whoever gets it, so a hand-written one
must not be a way to phish. The rules:

- Templated mail is for managers and admins, and never with an account template (a password
  reset, a phone verification...): those are essential (they skip unsubscribes) and look
  exactly like the real thing; only the system sends them.
- A caller never supplies a link the system makes (`reset_url`, `unsubscribe_url`, the
  `*_url` variables of account events, see `catalog.system_links`), nor a variable the
  template does not have: 422 naming the field.
- Nobody picks the `account` category for a hand-written message: it would skip
  suppressions like a real account message.
- Other staff (front desk, kitchen...) write plain messages only to guests with a current or
  upcoming booking that is not cancelled: the guests they serve. Managers and admins may
  write to anyone.
- Each sender is rate limited (`email_send_rate_per_hour`, `sms.sender_per_minute`).

Who may call the endpoints, send a template or write to anyone is the access table's
(premier.auth.access); these functions apply it with the finer rules.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import HOLDS_ROOM, Booking
from premier.config import Settings
from premier.kit.errors import InvalidInput, PermissionDenied
from premier.kit.time import hotel_today
from premier.notifications.catalog import (
    ACCOUNT_CATEGORY,
    CATEGORIES,
    EventSpec,
    system_links,
)
from premier.notifications.templates import require_spec
from premier.users.models import Role, User


def writes_to_anyone(sender: Actor) -> bool:
    return access.allows(sender, "message", "write_to_anyone")


def check_category(category: str) -> None:
    """A hand-written message's category: a known one, never `account`."""
    if category not in CATEGORIES:
        raise InvalidInput(
            f"unknown category {category!r}",
            details={"field": "category", "known": CATEGORIES},
        )
    if category == ACCOUNT_CATEGORY:
        raise InvalidInput(
            "account messages are sent only by the system",
            details={"field": "category"},
            code="account_category",
        )


def check_template(
    *, sender: Actor, event_type: str, context: Mapping[str, Any] | None
) -> EventSpec:
    """The event a manager may send by hand, with the variables they may give it."""
    if not access.allows(sender, "email", "send_template"):
        raise PermissionDenied(
            "only managers and admins send templated mail", code="template_not_allowed"
        )
    spec = require_spec(event_type)
    if spec.essential or spec.category == ACCOUNT_CATEGORY:
        raise PermissionDenied(
            f"{event_type} is an account message; only the system sends it",
            details={"template": event_type},
            code="account_template",
        )
    made = system_links()
    for name in context or {}:
        if name in made:
            raise InvalidInput(
                f"context.{name} is a link the system makes; it cannot be given",
                details={"field": f"context.{name}"},
                code="system_link",
            )
        if name not in spec.variables:
            raise InvalidInput(
                f"context.{name} is not a variable of {event_type}",
                details={"field": f"context.{name}", "allowed": sorted(spec.variables)},
                code="unknown_variable",
            )
    return spec


async def booked_guests(
    *,
    session: AsyncSession,
    settings: Settings,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    user_ids: Iterable[int] = (),
) -> list[User]:
    """Guests among these addresses, numbers or accounts whose booking is current or
    upcoming and not cancelled."""
    who = []
    if emails := [e.lower() for e in emails]:
        who.append(User.email.in_(emails))
    if phones := list(phones):
        who.append(User.phone.in_(phones))
    if user_ids := list(user_ids):
        who.append(User.id.in_(user_ids))
    if not who:
        return []
    staying = select(Booking.guest_id).where(
        Booking.status.in_([s.value for s in HOLDS_ROOM]),
        Booking.check_out >= hotel_today(settings.hotel_timezone),
    )
    query = select(User).where(
        or_(*who), User.role == Role.GUEST, User.is_active, User.id.in_(staying)
    )
    return list(await session.scalars(query))


def refuse_unbooked(missing: list[str]) -> None:
    if missing:
        raise PermissionDenied(
            "staff may write only to guests with a current or upcoming booking",
            details={"recipients": missing},
            code="recipient_not_a_guest",
        )
