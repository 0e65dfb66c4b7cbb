from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.auth.actor_cache import ActorCache
from premier.auth.passwords import verify_password
from premier.auth.schemas import RegisterRequest, TokenPair
from premier.auth.tokens import decode_token, issue_token
from premier.config import Settings
from premier.db import Database
from premier.kit.errors import NotAuthenticated, RateLimited
from premier.kit.time import as_utc, utcnow
from premier.users import service as users
from premier.users.models import Role, User


def token_pair(*, settings: Settings, user: User) -> TokenPair:
    common = {"settings": settings, "user_id": user.id, "role": user.role,
              "token_version": user.token_version}  # fmt: skip
    return TokenPair(
        access_token=issue_token(**common, kind="access"),  # type: ignore[arg-type]
        refresh_token=issue_token(**common, kind="refresh"),  # type: ignore[arg-type]
        expires_in=settings.access_token_minutes * 60,
    )


async def register_guest(
    *, session: AsyncSession, settings: Settings, data: RegisterRequest
) -> TokenPair:
    user = await users.create_user(
        session=session,
        email=data.email,
        password=data.password,
        full_name=data.full_name,
        phone=data.phone,
        role=Role.GUEST,
    )
    await events.commit(session)
    return token_pair(settings=settings, user=user)


async def login(
    *, session: AsyncSession, settings: Settings, email: str, password: str
) -> TokenPair:
    """Check the password; lock the account for a while after repeated failures."""
    user = await users.get_by_email(session=session, email=email)
    now = utcnow()
    if user is not None and user.locked_until is not None and as_utc(user.locked_until) > now:
        retry = int((as_utc(user.locked_until) - now).total_seconds()) + 1
        raise RateLimited("too many failed logins; try again later", retry_after_seconds=retry)
    if not verify_password(user.password_hash if user else None, password):
        if user is not None:
            user.failed_login_count += 1
            if user.failed_login_count >= settings.login_max_failures:
                user.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
                user.failed_login_count = 0
            await session.commit()
        raise NotAuthenticated("wrong email or password", code="invalid_credentials")
    if user is None or not user.is_active:
        raise NotAuthenticated("this account is disabled", code="account_disabled")
    if user.failed_login_count or user.locked_until:
        user.failed_login_count = 0
        user.locked_until = None
        await session.commit()
    return token_pair(settings=settings, user=user)


async def refresh(*, session: AsyncSession, settings: Settings, refresh_token: str) -> TokenPair:
    claims = decode_token(settings=settings, token=refresh_token, kind="refresh")
    user = await _live_user(session=session, claims_sub=claims["sub"], version=claims.get("ver"))
    return token_pair(settings=settings, user=user)


async def actor_from_token(
    *,
    database: Database,
    settings: Settings,
    token: str,
    cache: ActorCache | None = None,
) -> Actor:
    claims = decode_token(settings=settings, token=token, kind="access")
    version = claims.get("ver")
    if cache is not None and isinstance(version, int) and claims["sub"].isdigit():
        cached = cache.get(int(claims["sub"]), version)
        if cached is not None:
            return cached
    # A session of its own, returned to the pool at once: were it held for the whole
    # request, every writer would hold two connections and a busy pool could deadlock.
    async with database.reading() as session:
        user = await _live_user(session=session, claims_sub=claims["sub"], version=version)
    actor = Actor.of(user)
    if cache is not None:
        cache.put(user.token_version, actor)
    return actor


async def _live_user(*, session: AsyncSession, claims_sub: str, version: object) -> User:
    try:
        user_id = int(claims_sub)
    except ValueError as exc:
        raise NotAuthenticated("invalid token", code="invalid_token") from exc
    user = await session.get(User, user_id)
    if user is None or not user.is_active or user.token_version != version:
        raise NotAuthenticated("token no longer valid", code="invalid_token")
    return user
