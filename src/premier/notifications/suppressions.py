"""Addresses we must not send to, for every channel: bounced, complained, unsubscribed or
opted out by SMS, per category or for all of them ("*").

Essential messages (the catalog's `essential` flag: a password reset, a verification code)
ignore suppressions: someone who unsubscribed from promotions must still be able to sign in.
That is the one rule; `is_essential` says it for a template name."""

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier.notifications.catalog import ACCOUNT_CATEGORY, EVENTS
from premier.notifications.models import Suppression


def is_essential(*, template: str | None, category: str) -> bool:
    """Whether a queued message goes out whatever the recipient unsubscribed from."""
    spec = EVENTS.get(template) if template else None
    if spec is not None:
        return spec.essential
    return category == ACCOUNT_CATEGORY


def normalised(channel: str, address: str) -> str:
    """Email addresses compare case-insensitively; phone numbers are stored in E.164."""
    return address.lower() if channel == "email" else address


async def blocking(
    *, session: AsyncSession, channel: str, addresses: Iterable[str]
) -> dict[str, list[Suppression]]:
    """Every suppression of these addresses on this channel, by address, in one query."""
    wanted = {normalised(channel, address) for address in addresses}
    found: dict[str, list[Suppression]] = {}
    if not wanted:
        return found
    rows = await session.scalars(
        select(Suppression).where(Suppression.channel == channel, Suppression.address.in_(wanted))
    )
    for row in rows:
        found.setdefault(row.address, []).append(row)
    return found


def first_blocking(
    found: dict[str, list[Suppression]], *, channel: str, address: str, category: str
) -> Suppression | None:
    """The suppression that stops a message of `category` to `address`, if any."""
    for row in found.get(normalised(channel, address), ()):
        if row.category in ("*", category):
            return row
    return None


async def find(
    *, session: AsyncSession, channel: str, address: str, category: str
) -> Suppression | None:
    found = await blocking(session=session, channel=channel, addresses=[address])
    return first_blocking(found, channel=channel, address=address, category=category)


async def suppress(
    *,
    session: AsyncSession,
    channel: str,
    address: str,
    category: str,
    reason: str,
    source: str | None,
) -> bool:
    """Add a suppression (idempotent); the caller commits. True when it is new."""
    address = normalised(channel, address)
    exists = await session.scalar(
        select(Suppression.id).where(
            Suppression.channel == channel,
            Suppression.address == address,
            Suppression.category == category,
        )
    )
    if exists is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(
                Suppression(
                    channel=channel,
                    address=address,
                    category=category,
                    reason=reason,
                    source=source,
                )
            )
    except IntegrityError:
        return False
    return True


class Queued(Protocol):
    id: int
    category: str
    template: str | None


Q = TypeVar("Q", bound=Queued)


async def held_back(
    *, session: AsyncSession, channel: str, rows: Sequence[Q], address: Callable[[Q], str]
) -> dict[int, str]:
    """Queued rows that must not go out after all: their address was suppressed since they
    were queued (a bounce, a STOP). Row id → the reason, for the row's record."""
    checked = [
        row for row in rows if not is_essential(template=row.template, category=row.category)
    ]
    found = await blocking(session=session, channel=channel, addresses=map(address, checked))
    held: dict[int, str] = {}
    for row in checked:
        blocked = first_blocking(
            found, channel=channel, address=address(row), category=row.category
        )
        if blocked is not None:
            held[row.id] = f"suppressed: {blocked.reason}"
    return held
