"""Refresh tokens: opaque, single-use, rotated, and revoked as a family.

A sign-in starts a family and hands out its first token (random, only its SHA-256 kept).
Each refresh marks the presented token used and hands out the next one in the same family,
so a token works once. A used token presented again means someone else holds a copy (the
legitimate client and a thief cannot both have the newest one): the whole family is revoked
and both must sign in again. Signing out revokes the family; a password reset or a disabled
account revokes every family of the user.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth.models import RefreshToken
from premier.config import Settings
from premier.kit.errors import NotAuthenticated
from premier.kit.time import as_utc, utcnow
from premier.users.models import User


@dataclass(frozen=True, slots=True)
class Client:
    """Where a request came from, as the router saw it."""

    address: str
    user_agent: str | None = None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start(*, session: AsyncSession, settings: Settings, user_id: int, client: Client) -> str:
    """A new family's first token, for a sign-in; expired tokens of anyone go. The caller
    commits."""
    now = utcnow()
    await session.execute(delete(RefreshToken).where(RefreshToken.expires_at < now))
    return _issue(
        session=session, settings=settings, user_id=user_id,
        family_id=secrets.token_hex(16), client=client,
    )  # fmt: skip


async def rotate(
    *, session: AsyncSession, settings: Settings, token: str, client: Client
) -> tuple[User, str]:
    """Spend a refresh token: its user and the next token of its family. Commits."""
    row = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == digest(token)))
    if row is None:
        raise NotAuthenticated("invalid refresh token", code="invalid_token")
    if row.revoked_at is not None:
        raise NotAuthenticated("this session has ended; sign in again", code="session_revoked")
    now = utcnow()
    if as_utc(row.expires_at) <= now:
        raise NotAuthenticated("refresh token expired; sign in again", code="token_expired")
    # Claimed only if still unused: of two requests spending one token, one wins.
    claimed = await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.id == row.id,
            RefreshToken.used_at.is_(None),
            RefreshToken.revoked_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        await revoke_family(session=session, family_id=row.family_id)
        await session.commit()
        raise NotAuthenticated(
            "this refresh token was already used, so the session it belongs to has been "
            "signed out everywhere; sign in again",
            code="refresh_token_reused",
        )
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        await revoke_family(session=session, family_id=row.family_id)
        await session.commit()
        raise NotAuthenticated("this account is disabled", code="account_disabled")
    fresh = _issue(session=session, settings=settings, user_id=user.id,
                   family_id=row.family_id, client=client)  # fmt: skip
    await session.commit()
    return user, fresh


async def end(*, session: AsyncSession, token: str) -> None:
    """Sign out the family of this token, whatever its state; unknown tokens are ignored.
    Commits."""
    family_id = await session.scalar(
        select(RefreshToken.family_id).where(RefreshToken.token_hash == digest(token))
    )
    if family_id is not None:
        await revoke_family(session=session, family_id=family_id)
    await session.commit()


async def revoke_family(*, session: AsyncSession, family_id: str) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def revoke_all(*, session: AsyncSession, user_id: int) -> None:
    """Every session of the user ends (password reset, account disabled). The caller
    commits."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _issue(
    *, session: AsyncSession, settings: Settings, user_id: int, family_id: str, client: Client
) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        RefreshToken(
            user_id=user_id,
            family_id=family_id,
            token_hash=digest(token),
            expires_at=now + timedelta(days=settings.refresh_token_days),
            created_at=now,
            user_agent=(client.user_agent or "")[:200] or None,
            ip=client.address[:64],
        )
    )
    return token
