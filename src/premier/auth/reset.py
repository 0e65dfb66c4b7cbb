"""Password reset: request → emailed single-use expiring token → new password.

The answer to a request never says whether the address has an account, nor does its
timing: the router answers at once and the lookup, token and email happen after the
response (`request_reset`). Only the token's SHA-256 is stored; using it bumps the user's
token version and revokes their refresh tokens, so every session signed in before the reset
stops working.
"""

import hashlib
import secrets
from datetime import timedelta

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import sessions
from premier.auth.models import PasswordResetToken
from premier.auth.passwords import hash_password
from premier.config import Settings
from premier.db import Database
from premier.kit.errors import InvalidInput
from premier.kit.time import as_utc, utcnow
from premier.notifications.models import Priority
from premier.notifications.service import notify
from premier.users import service as users
from premier.users.models import User

log = structlog.get_logger(__name__)

MAX_REQUESTS_PER_HOUR = 3


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def request_reset(*, database: Database, settings: Settings, email: str) -> None:
    """Runs after the answer has gone; nothing it does can reach the requester, so failures
    are logged, not raised."""
    try:
        async with database.writing() as session:
            await _send_reset_link(session=session, settings=settings, email=email)
    except Exception:
        log.exception("password_reset_request_failed")


async def _send_reset_link(*, session: AsyncSession, settings: Settings, email: str) -> None:
    user = await users.get_by_email(session=session, email=email)
    if user is None or not user.is_active:
        return
    # Over the hourly limit, quietly: the mails already sent are enough, and nobody learns
    # anything.
    await send_reset_link(session=session, settings=settings, user=user)


async def send_reset_link(*, session: AsyncSession, settings: Settings, user: User) -> bool:
    """Email the user a new reset link and commit; False when MAX_REQUESTS_PER_HOUR links
    went out in the last hour already. The token leaves this function only in the email."""
    now = utcnow()
    recent = await session.scalar(
        select(func.count()).where(
            PasswordResetToken.user_id == user.id,
            PasswordResetToken.created_at > now - timedelta(hours=1),
        )
    )
    if (recent or 0) >= MAX_REQUESTS_PER_HOUR:
        return False
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_digest(token),
            expires_at=now + timedelta(minutes=settings.password_reset_minutes),
            created_at=now,
        )
    )
    await notify(
        session=session,
        settings=settings,
        recipients=[user.id],
        event_type="auth.password_reset",
        priority=Priority.URGENT,
        context={
            "reset_url": f"{settings.public_base_url}/reset-password?token={token}",
            "minutes": settings.password_reset_minutes,
        },
    )
    await events.commit(session)
    return True


async def reset_password(*, session: AsyncSession, token: str, new_password: str) -> None:
    row = await session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _digest(token))
    )
    now = utcnow()
    if row is None or row.used_at is not None:
        raise InvalidInput("this reset link is not valid; ask for a new one", code="invalid_token")
    if as_utc(row.expires_at) <= now:
        raise InvalidInput("this reset link has expired; ask for a new one", code="token_expired")
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise InvalidInput("this reset link is not valid; ask for a new one", code="invalid_token")
    user.password_hash = await hash_password(new_password)
    user.token_version += 1
    await sessions.revoke_all(session=session, user_id=user.id)
    # Every other outstanding link dies with this one.
    await session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    await events.emit(session, events.UserChanged(user_id=user.id))
    await events.commit(session)
