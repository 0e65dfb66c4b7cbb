"""Unsubscribing from a category by a signed link, without signing in (RFC 8058)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.kit.errors import InvalidInput
from premier.kit.signing import sign, unsign
from premier.notifications import preferences
from premier.notifications.catalog import CATEGORIES
from premier.notifications.models import Channel
from premier.notifications.suppressions import suppress
from premier.users.models import User

UNSUBSCRIBE_PURPOSE = "unsubscribe"


def unsubscribe_url(*, settings: Settings, address: str, category: str) -> str:
    """A link that stops this category's email to this address, without signing in."""
    token = sign(
        {"e": address.lower(), "c": category},
        secret=settings.secret_key,
        purpose=UNSUBSCRIBE_PURPOSE,
    )
    return f"{settings.public_base_url}/api/v1/notifications/unsubscribe?token={token}"


def read_token(*, settings: Settings, token: str) -> tuple[str, str]:
    payload = unsign(token, secret=settings.secret_key, purpose=UNSUBSCRIBE_PURPOSE)
    if payload is None or payload.get("c") not in CATEGORIES or not payload.get("e"):
        raise InvalidInput("this unsubscribe link is not valid", code="invalid_token")
    return str(payload["e"]), str(payload["c"])


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
