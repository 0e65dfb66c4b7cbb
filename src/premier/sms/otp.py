"""Phone verification with one-time codes.

Codes are six random digits, kept only as an HMAC keyed with the app secret (a leaked table
does not reveal them), valid for `otp_ttl_seconds`, checked at most `otp_max_attempts` times,
resent no sooner than `otp_resend_seconds` and at most `otp_max_per_hour` times an hour.

A code is essential (it skips opt-outs, quiet hours and the per-number SMS rate limit), so
it is an SMS anyone signed in can make the hotel pay for. Three caps bound that, each an hour
long and counted in `otp_sends`: `otp_max_per_number_per_hour` codes to one number (whoever
asks), `otp_max_per_address_per_hour` asked from one client address, `otp_max_per_hour` asked
by one account. Codes go only to numbers of `otp_countries`. And they count against the SMS
budgets like any message (their rows are in the spend); a code that would exceed a budget
is refused (503 `sms_budget_reached`) rather than held: a held code would expire before an
admin released it, and the budget is the last bound on what many accounts and addresses
could spend together.

Opt-out rule: a code goes out even to a number that replied STOP, because the user asked for
it this moment on our site (a one-time message in direct response to the subscriber's own
request). Nothing else does; and when the provider itself refuses the number (Twilio 21610,
Africa's Talking 406) the code fails with that reason, telling the user to text START.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.config import Settings
from premier.kit.errors import InvalidInput, ProviderUnavailable, RateLimited
from premier.kit.time import as_utc, utcnow
from premier.sms.models import OtpSend, PhoneVerification
from premier.sms.phone import country_of, normalise_or_422
from premier.sms.pricing import budget_exceeded, estimate_cost
from premier.sms.queueing import URGENT_PRIORITY, SmsRequest, current_spend, queue_sms
from premier.sms.settings import SmsSettings
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


def _check_country(sms: SmsSettings, phone: str) -> None:
    country = country_of(phone)
    if country not in sms.otp_countries:
        raise InvalidInput(
            "verification codes are not sent to numbers of this country",
            details={"country": country, "allowed": sms.otp_countries},
            code="otp_country_not_allowed",
        )


async def _check_caps(
    session: AsyncSession,
    sms: SmsSettings,
    *,
    user_id: int,
    phone: str,
    client_address: str | None,
    now: datetime,
) -> None:
    """Refuse a code beyond any of the hourly caps, saying which and when to come back."""
    hour_ago = now - timedelta(hours=1)
    caps = [
        ("number", OtpSend.phone == phone, sms.otp_max_per_number_per_hour),
        ("account", OtpSend.user_id == user_id, sms.otp_max_per_hour),
    ]
    if client_address:
        caps.append(
            ("address", OtpSend.client_address == client_address, sms.otp_max_per_address_per_hour)
        )
    for name, who, limit in caps:
        count, oldest = (
            await session.execute(
                select(func.count(), func.min(OtpSend.sent_at)).where(
                    who, OtpSend.sent_at >= hour_ago
                )
            )
        ).one()
        if count >= limit:
            wait = as_utc(oldest) + timedelta(hours=1) - now if oldest else timedelta(hours=1)
            raise RateLimited(
                "too many codes requested; try again later",
                retry_after_seconds=max(1, int(wait.total_seconds()) + 1),
                details={"limit": name, "per_hour": limit},
            )


async def _check_budget(
    session: AsyncSession, settings: Settings, *, phone: str, body: str
) -> None:
    cost = estimate_cost(settings=settings.sms, to=phone, body=body)
    spend = await current_spend(session=session, settings=settings, phone=phone)
    broken = budget_exceeded(settings=settings.sms, spend=spend, amount=cost.amount)
    if broken is not None:
        raise ProviderUnavailable(
            f"the {broken} SMS budget is reached; no code can be sent now",
            details={"budget": broken},
            code="sms_budget_reached",
        )


async def start(
    *,
    session: AsyncSession,
    settings: Settings,
    user_id: int,
    phone: str,
    client_address: str | None = None,
) -> tuple[int, int]:
    """Send a code; returns (seconds the code is valid, seconds before another may be sent).

    `client_address` is the requesting client's IP address, for the per-address cap."""
    sms = settings.sms
    phone = normalise_or_422(phone, region=sms.default_region)
    _check_country(sms, phone)
    now = utcnow()
    current = await _open_verification(session, user_id, phone)
    if current is not None:
        wait = as_utc(current.last_sent_at) + timedelta(seconds=sms.otp_resend_seconds) - now
        if wait.total_seconds() > 0:
            raise RateLimited(
                "a code was just sent; wait before asking for another",
                retry_after_seconds=int(wait.total_seconds()) + 1,
            )
    await _check_caps(
        session, sms, user_id=user_id, phone=phone, client_address=client_address, now=now
    )
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = max(1, sms.otp_ttl_seconds // 60)
    body = (
        f"{code} is your {settings.hotel_name} verification code. "
        f"It expires in {minutes} min. Never share it."
    )
    await _check_budget(session, settings, phone=phone, body=body)
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
    session.add(OtpSend(user_id=user_id, phone=phone, client_address=client_address, sent_at=now))
    await queue_sms(
        session=session,
        settings=settings,
        request=SmsRequest(
            to=phone,
            category="account",
            template="auth.phone_otp",
            user_id=user_id,
            priority=URGENT_PRIORITY,
            essential=True,
            body=body,
        ),
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
