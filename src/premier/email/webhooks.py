"""What email's tracking webhooks need beyond a provider's own verification: a Mailgun
signature's token is accepted once, across every instance.

Each provider verifies and parses its own webhook (`premier.email.providers.<name>`)."""

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from premier.email.models import WebhookToken
from premier.kit.errors import PermissionDenied
from premier.kit.time import utcnow


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
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    added = await session.execute(
        insert(WebhookToken)
        .values(provider=provider, token=token, seen_at=now)
        .on_conflict_do_nothing()
        .returning(WebhookToken.token)
    )
    if added.scalar_one_or_none() is None:
        raise PermissionDenied("this webhook signature was already used", code="replayed")
