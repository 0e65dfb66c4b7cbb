"""Unsubscribing from a category by a signed link, without signing in (RFC 8058)."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.email.compose import UNSUBSCRIBE_PURPOSE
from premier.kit.errors import InvalidInput
from premier.kit.signing import unsign
from premier.notifications import preferences
from premier.notifications.catalog import CATEGORIES
from premier.notifications.models import Channel, Suppression
from premier.users.models import User


def read_token(*, settings: Settings, token: str) -> tuple[str, str]:
    payload = unsign(token, secret=settings.secret_key, purpose=UNSUBSCRIBE_PURPOSE)
    if payload is None or payload.get("c") not in CATEGORIES or not payload.get("e"):
        raise InvalidInput("this unsubscribe link is not valid", code="invalid_token")
    return str(payload["e"]), str(payload["c"])


async def suppress(
    *,
    session: AsyncSession,
    channel: Channel,
    address: str,
    category: str,
    reason: str,
    source: str | None,
) -> bool:
    """Add a suppression (idempotent); the caller commits. True when it is new."""
    address = address.lower()
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


async def unsubscribe(*, session: AsyncSession, settings: Settings, token: str) -> str:
    """Stop emails of the link's category to its address; returns the category."""
    address, category = read_token(settings=settings, token=token)
    await suppress(
        session=session,
        channel=Channel.EMAIL,
        address=address,
        category=category,
        reason="unsubscribe",
        source="link",
    )
    user = await session.scalar(select(User).where(User.email == address))
    if user is not None:
        await preferences.update(
            session=session,
            user_id=user.id,
            channels={category: {"email": False}},
            quiet_hours=None,
            locale=None,
            set_locale=False,
        )
    await session.commit()
    return category
