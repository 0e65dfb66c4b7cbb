"""Throttling of sign-in, registration and reset requests that no stranger can turn into a
lock-out of the account's owner.

Every failed sign-in is a row: the digest of the email as typed, the client address, when.
Before a password is checked, three counts over the last `login_throttle_window_minutes`
decide whether the attempt must first wait:

- this account from this address: after `login_free_failures` each further failure doubles
  the wait (1 s, 2 s, 4 s … up to `login_max_delay_seconds`). Someone guessing from their
  own address slows only themselves, never the owner signing in from theirs.
- this address over every account: the same curve after `login_address_free_failures`, so
  one address cannot try a common password on many accounts.
- this account from every address: a much looser bound (`login_account_free_failures`)
  whose wait never exceeds `login_account_max_delay_seconds`, against guessing spread over
  many addresses. It spares addresses the account signed in from during the refresh-token
  lifetime, so strangers can never hold the owner's own devices, and can hold a new device
  only for that short wait per attempt.

An attempt that must wait is answered 429 with Retry-After before its password is checked
and is not counted, so waiting does not lengthen the wait. Everything is keyed by the email
as typed, never by whether an account has it: an unknown address gets the same answers,
Retry-After and work as a real one. The rows live in the database so that every API
instance sees the same counts; rows older than the longest window go as new ones are written.

Registration and reset requests are counted per client address over an hour, every request
alike, and refused with 429 past their limit.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth.models import AuthAttempt, RefreshToken
from premier.config import Settings
from premier.kit.errors import RateLimited
from premier.kit.time import as_utc, utcnow
from premier.users.models import User

LOGIN = "login"
REGISTER = "register"
FORGOT = "forgot"
HOURLY = timedelta(hours=1)


def account_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Failures:
    """Failures within the window, and the latest of them, for one scope."""

    count: int
    latest: datetime | None


def wait_seconds(failures: Failures, *, free: int, cap: int, now: datetime) -> int:
    """Whole seconds still to wait: none for the first `free` failures, then 1, 2, 4 … up to
    `cap` after the latest one."""
    if failures.count < free or failures.latest is None:
        return 0
    delay = min(cap, 2 ** min(failures.count - free, 30))
    remaining = (as_utc(failures.latest) + timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(remaining))


async def check_login(
    *, session: AsyncSession, settings: Settings, email: str, address: str
) -> None:
    """Raise RateLimited when this attempt must wait; the same for known and unknown emails."""
    now = utcnow()
    account = account_key(email)
    pair, by_address, by_account = await _login_failures(
        session=session, settings=settings, account=account, address=address, now=now
    )
    wait = max(
        wait_seconds(pair, free=settings.login_free_failures,
                     cap=settings.login_max_delay_seconds, now=now),
        wait_seconds(by_address, free=settings.login_address_free_failures,
                     cap=settings.login_max_delay_seconds, now=now),
    )  # fmt: skip
    account_wait = wait_seconds(
        by_account,
        free=settings.login_account_free_failures,
        cap=settings.login_account_max_delay_seconds,
        now=now,
    )
    if account_wait > wait and not await _signed_in_from(
        session=session, settings=settings, email=email, address=address, now=now
    ):
        wait = account_wait
    if wait > 0:
        raise RateLimited(
            "too many failed sign-ins; wait a moment and try again", retry_after_seconds=wait
        )


async def _login_failures(
    *, session: AsyncSession, settings: Settings, account: str, address: str, now: datetime
) -> tuple[Failures, Failures, Failures]:
    """One read for the three scopes: (account, address), address, account."""
    same_pair = and_(AuthAttempt.account == account, AuthAttempt.address == address)
    same_address = AuthAttempt.address == address
    same_account = AuthAttempt.account == account
    row = (
        await session.execute(
            select(
                func.count().filter(same_pair),
                func.max(AuthAttempt.created_at).filter(same_pair),
                func.count().filter(same_address),
                func.max(AuthAttempt.created_at).filter(same_address),
                func.count().filter(same_account),
                func.max(AuthAttempt.created_at).filter(same_account),
            ).where(
                AuthAttempt.action == LOGIN,
                AuthAttempt.created_at
                > now - timedelta(minutes=settings.login_throttle_window_minutes),
                or_(same_account, same_address),
            )
        )
    ).one()
    return (
        Failures(row[0], _as_datetime(row[1])),
        Failures(row[2], _as_datetime(row[3])),
        Failures(row[4], _as_datetime(row[5])),
    )


def _as_datetime(value: object) -> datetime | None:
    """An aggregate's datetime: SQLite hands a filtered MAX back as text."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    return as_utc(datetime.fromisoformat(str(value)))


async def _signed_in_from(
    *, session: AsyncSession, settings: Settings, email: str, address: str, now: datetime
) -> bool:
    """Whether this email's account was given a session at this address lately. Asked the
    same way for an unknown email (which never was), so the work does not tell them apart."""
    since = now - timedelta(days=settings.refresh_token_days)
    found = await session.scalar(
        select(
            exists().where(
                RefreshToken.user_id == User.id,
                User.email == email.strip().lower(),
                RefreshToken.ip == address,
                RefreshToken.created_at > since,
            )
        )
    )
    return bool(found)


async def record_login_failure(
    *, session: AsyncSession, settings: Settings, email: str, address: str
) -> None:
    """Count a failed sign-in and drop rows too old to count; the caller commits."""
    await _record(session=session, settings=settings, action=LOGIN,
                  account=account_key(email), address=address)  # fmt: skip


async def forget_login_failures(*, session: AsyncSession, email: str, address: str) -> None:
    """After a correct password from this address, its earlier slips there no longer count;
    those from other addresses and the per-address count over other accounts stay."""
    await session.execute(
        delete(AuthAttempt).where(
            AuthAttempt.action == LOGIN,
            AuthAttempt.account == account_key(email),
            AuthAttempt.address == address,
        )
    )


async def check_and_count_request(
    *, session: AsyncSession, settings: Settings, action: str, address: str, limit: int
) -> None:
    """Count a registration or reset request from this address; past `limit` in the last
    hour, refuse it until the oldest of them is an hour old. The caller commits."""
    now = utcnow()
    count, oldest = (
        await session.execute(
            select(func.count(), func.min(AuthAttempt.created_at)).where(
                AuthAttempt.action == action,
                AuthAttempt.address == address,
                AuthAttempt.created_at > now - HOURLY,
            )
        )
    ).one()
    if count >= limit:
        first = _as_datetime(oldest) or now
        retry = max(1, math.ceil((first + HOURLY - now).total_seconds()))
        raise RateLimited("too many requests from this address; try again later",
                          retry_after_seconds=retry)  # fmt: skip
    await _record(session=session, settings=settings, action=action, account=None,
                  address=address)  # fmt: skip


async def _record(
    *, session: AsyncSession, settings: Settings, action: str, account: str | None, address: str
) -> None:
    now = utcnow()
    longest = max(HOURLY, timedelta(minutes=settings.login_throttle_window_minutes))
    await session.execute(delete(AuthAttempt).where(AuthAttempt.created_at < now - longest))
    session.add(AuthAttempt(action=action, account=account, address=address[:64], created_at=now))
