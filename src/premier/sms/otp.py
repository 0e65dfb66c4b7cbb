"""Phone verification with one-time codes.

Codes are six random digits, kept only as an HMAC keyed with the app secret (a leaked table
does not reveal them), valid for `otp_ttl_seconds`, checked at most `otp_max_attempts` times,
resent no sooner than `otp_resend_seconds` and at most `otp_max_per_hour` times an hour.

Opt-out rule: a code goes out even to a number that replied STOP, because the user asked for
it this moment on our site (a one-time message in direct response to the subscriber's own
request). Nothing else does; and when the provider itself refuses the number (Twilio 21610,
Africa's Talking 406) the code fails with that reason, telling the user to text START.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.config import Settings
from premier.kit.errors import InvalidInput, RateLimited
from premier.kit.time import as_utc, utcnow
from premier.sms.models import PhoneVerification
from premier.sms.phone import normalise_or_422
from premier.sms.service import URGENT_PRIORITY, queue_sms
from premier.users.models import User


def _hash(settings: Settings, verification_phone: str, user_id: int, code: str) -> str:
    message = f"{user_id}:{verification_phone}:{code}".encode()
    return hmac.new(settings.secret_key.encode(), message, hashlib.sha256).hexdigest()


async def _open_verification(
    session: AsyncSession, user_id: int, phone: str
) -> PhoneVerification | None:
    return await session.scalar(
        select(PhoneVerification)
        .where(
            PhoneVerification.user_id == user_id,
            PhoneVerification.phone == phone,
            PhoneVerification.verified_at.is_(None),
        )
        .order_by(PhoneVerification.id.desc())
        .limit(1)
    )


async def start(
    *, session: AsyncSession, settings: Settings, user_id: int, phone: str
) -> tuple[int, int]:
    """Send a code; returns (seconds the code is valid, seconds before another may be sent)."""
    sms = settings.sms
    phone = normalise_or_422(phone, region=sms.default_region)
    now = utcnow()
    current = await _open_verification(session, user_id, phone)
    if current is not None:
        wait = as_utc(current.last_sent_at) + timedelta(seconds=sms.otp_resend_seconds) - now
        if wait.total_seconds() > 0:
            raise RateLimited(
                "a code was just sent; wait before asking for another",
                retry_after_seconds=int(wait.total_seconds()) + 1,
            )
    hour_ago = now - timedelta(hours=1)
    sent_last_hour = await session.scalar(
        select(func.coalesce(func.sum(PhoneVerification.sends), 0)).where(
            PhoneVerification.user_id == user_id, PhoneVerification.last_sent_at >= hour_ago
        )
    )
    if int(sent_last_hour or 0) >= sms.otp_max_per_hour:
        raise RateLimited("too many codes requested; try again later", retry_after_seconds=3600)
    code = f"{secrets.randbelow(10**6):06d}"
    expires = now + timedelta(seconds=sms.otp_ttl_seconds)
    if current is None or as_utc(current.expires_at) <= now:
        current = PhoneVerification(
            user_id=user_id,
            phone=phone,
            code_hash="",
            expires_at=expires,
            last_sent_at=now,
            sends=0,
        )
        session.add(current)
    current.code_hash = _hash(settings, phone, user_id, code)
    current.expires_at = expires
    current.last_sent_at = now
    current.sends += 1
    minutes = max(1, sms.otp_ttl_seconds // 60)
    await queue_sms(
        session=session,
        settings=settings,
        to=phone,
        category="account",
        template="auth.phone_otp",
        user_id=user_id,
        priority=URGENT_PRIORITY,
        essential=True,
        body=f"{code} is your {settings.hotel_name} verification code. "
        f"It expires in {minutes} min. Never share it.",
    )
    await events.commit(session)
    return sms.otp_ttl_seconds, sms.otp_resend_seconds


async def check(
    *, session: AsyncSession, settings: Settings, user_id: int, phone: str, code: str
) -> str:
    """Verify the code; on success the number becomes the user's phone. Returns it."""
    sms = settings.sms
    phone = normalise_or_422(phone, region=sms.default_region)
    now = utcnow()
    current = await _open_verification(session, user_id, phone)
    if current is None or as_utc(current.expires_at) <= now:
        raise InvalidInput("no valid code for this number; ask for a new one", code="otp_expired")
    if current.attempts >= sms.otp_max_attempts:
        raise RateLimited(
            "too many wrong codes; ask for a new one later",
            retry_after_seconds=sms.otp_resend_seconds or 60,
        )
    current.attempts += 1
    expected = _hash(settings, phone, user_id, code.strip())
    if not hmac.compare_digest(expected, current.code_hash):
        await session.commit()
        left = sms.otp_max_attempts - current.attempts
        raise InvalidInput("wrong code", details={"attempts_left": left}, code="otp_mismatch")
    current.verified_at = now
    user = await session.get(User, user_id)
    if user is not None:
        user.phone = phone
    await events.commit(session)
    return phone


async def is_verified(*, session: AsyncSession, user_id: int, phone: str) -> bool:
    found = await session.scalar(
        select(PhoneVerification.id)
        .where(
            PhoneVerification.user_id == user_id,
            PhoneVerification.phone == phone,
            PhoneVerification.verified_at.is_not(None),
        )
        .limit(1)
    )
    return found is not None
