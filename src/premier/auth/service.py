"""Signing in, refreshing and signing out.

Passwords are checked with no database connection held: the check takes tens of
milliseconds on a worker thread, and on SQLite the one write connection would otherwise be
held by it. The throttle is read first, the failure or the new session written after.
"""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import sessions, throttle
from premier.auth.actor import Actor
from premier.auth.actor_cache import ActorCache
from premier.auth.passwords import hash_password, verify_password
from premier.auth.schemas import RegisterRequest
from premier.auth.sessions import Client
from premier.auth.tokens import decode_token, issue_token
from premier.config import Settings
from premier.db import Database
from premier.kit.errors import NotAuthenticated
from premier.users import service as users
from premier.users.models import Role, User


@dataclass(frozen=True, slots=True)
class SignedIn:
    """What a sign-in or refresh hands out; the router decides where each part travels."""

    access_token: str
    refresh_token: str
    expires_in: int


def _signed_in(*, settings: Settings, user: User, refresh_token: str) -> SignedIn:
    access = issue_token(
        settings=settings, user_id=user.id, role=user.role,
        token_version=user.token_version, kind="access",
    )  # fmt: skip
    return SignedIn(access, refresh_token, settings.access_token_minutes * 60)


async def register_guest(
    *, database: Database, settings: Settings, data: RegisterRequest, client: Client
) -> SignedIn:
    """Create a guest account and sign it in.

    Limited per client address: the 409 for a taken email tells whether an address has an
    account, so the limit keeps that to a few questions an hour from one address. The
    password is hashed before the email is looked up, so a taken email answers as slowly as
    a new one.
    """
    async with database.writing() as session:
        await throttle.check_and_count_request(
            session=session, settings=settings, action=throttle.REGISTER,
            address=client.address, limit=settings.register_per_address_per_hour,
        )  # fmt: skip
        await session.commit()
    password_hash = await hash_password(data.password)
    async with database.writing() as session:
        user = await users.create_user(
            session=session, email=data.email, password_hash=password_hash,
            full_name=data.full_name, phone=data.phone, role=Role.GUEST,
        )  # fmt: skip
        token = await sessions.start(
            session=session, settings=settings, user_id=user.id, client=client
        )
        await events.commit(session)
    return _signed_in(settings=settings, user=user, refresh_token=token)


async def login(
    *, database: Database, settings: Settings, email: str, password: str, client: Client
) -> SignedIn:
    """Check the password, after the throttle (premier.auth.throttle) lets the attempt in."""
    async with database.reading() as session:
        await throttle.check_login(
            session=session, settings=settings, email=email, address=client.address
        )
        user = await users.get_by_email(session=session, email=email)
    if not await verify_password(user.password_hash if user else None, password):
        async with database.writing() as session:
            await throttle.record_login_failure(
                session=session, settings=settings, email=email, address=client.address
            )
            await session.commit()
        raise NotAuthenticated("wrong email or password", code="invalid_credentials")
    if user is None or not user.is_active:
        raise NotAuthenticated("this account is disabled", code="account_disabled")
    async with database.writing() as session:
        await throttle.forget_login_failures(session=session, email=email, address=client.address)
        token = await sessions.start(
            session=session, settings=settings, user_id=user.id, client=client
        )
        await session.commit()
    return _signed_in(settings=settings, user=user, refresh_token=token)


async def refresh(
    *, database: Database, settings: Settings, refresh_token: str, client: Client
) -> SignedIn:
    async with database.writing() as session:
        user, token = await sessions.rotate(
            session=session, settings=settings, token=refresh_token, client=client
        )
    return _signed_in(settings=settings, user=user, refresh_token=token)


async def logout(*, database: Database, refresh_token: str | None) -> None:
    if refresh_token:
        async with database.writing() as session:
            await sessions.end(session=session, token=refresh_token)


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
