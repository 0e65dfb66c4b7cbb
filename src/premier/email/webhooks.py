"""What email's tracking webhooks need beyond a provider's own verification: a Mailgun
signature's token is accepted once, across every instance.

Each provider verifies and parses its own webhook (`premier.email.providers.<name>`)."""

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from premier.db import core_table
from premier.db.bulk import insert_new
from premier.email.models import WebhookToken
from premier.kit.errors import PermissionDenied
from premier.kit.time import utcnow

TOKENS = core_table(WebhookToken)


async def spend_token(
    *, session: AsyncSession, provider: str, token: str, max_age_seconds: int
) -> None:
    """Accept a signature's token once. Tokens older than the accepted age are forgotten:
    their timestamps are refused anyway. Kept in the database, so every instance agrees."""
    now = utcnow()
    await session.execute(
        delete(WebhookToken).where(
            WebhookToken.seen_at < now - timedelta(seconds=max_age_seconds * 2)
        )
    )
    added = await insert_new(
        session, TOKENS, [{"provider": provider, "token": token, "seen_at": now}], ("token",)
    )
    if not added:
        raise PermissionDenied("this webhook signature was already used", code="replayed")
