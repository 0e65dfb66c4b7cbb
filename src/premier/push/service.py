"""People's push subscriptions: one per user and device. Subscribing again from a device
replaces its subscription (browsers renew endpoints), and an endpoint belongs to whoever
subscribed it last (a shared browser signed in as someone else)."""

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.kit.errors import InvalidInput
from premier.push.encryption import EncryptionError, b64url_decode, public_key_of
from premier.push.models import PushSubscription


def _check_keys(p256dh: str, auth: str) -> None:
    try:
        public_key_of(b64url_decode(p256dh))
    except (EncryptionError, ValueError) as exc:
        raise InvalidInput(f"keys.p256dh: {exc}", code="invalid_subscription") from exc
    if len(b64url_decode(auth)) != 16:
        raise InvalidInput("keys.auth must be 16 bytes (base64url)", code="invalid_subscription")


def check_endpoint(settings: Settings, endpoint: str) -> None:
    """In production, only the browsers' push services: the worker POSTs to this URL, so
    it must not be a way to make the hotel's servers call anywhere else."""
    parts = urlsplit(endpoint)
    if settings.environment != "production":
        if parts.scheme in ("http", "https") and parts.hostname:
            return
        raise InvalidInput("endpoint must be an http(s) URL", code="invalid_subscription")
    host = (parts.hostname or "").lower()
    allowed = any(host == name or host.endswith("." + name) for name in settings.push_service_hosts)
    if parts.scheme != "https" or not allowed or parts.port not in (None, 443):
        raise InvalidInput(
            "endpoint must be an https URL of a browser's push service",
            code="invalid_subscription",
        )


async def subscribe(
    *,
    session: AsyncSession,
    settings: Settings,
    user_id: int,
    device_id: str,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str,
) -> PushSubscription:
    """Keep this device's subscription (the same request twice keeps one row)."""
    _check_keys(p256dh, auth)
    check_endpoint(settings, endpoint)
    await session.execute(
        delete(PushSubscription).where(
            PushSubscription.endpoint == endpoint,
            (PushSubscription.user_id != user_id) | (PushSubscription.device_id != device_id),
        )
    )
    row = await session.scalar(
        select(PushSubscription).where(
            PushSubscription.user_id == user_id, PushSubscription.device_id == device_id
        )
    )
    if row is None:
        row = PushSubscription(user_id=user_id, device_id=device_id)
        session.add(row)
    row.endpoint, row.p256dh, row.auth, row.user_agent = endpoint, p256dh, auth, user_agent
    await session.commit()
    return row


async def unsubscribe(*, session: AsyncSession, user_id: int, device_id: str) -> bool:
    """Forget this device's subscription; False when there was none (not an error)."""
    result = await session.execute(
        delete(PushSubscription).where(
            PushSubscription.user_id == user_id, PushSubscription.device_id == device_id
        )
    )
    await session.commit()
    return bool(getattr(result, "rowcount", 0))


async def list_devices(*, session: AsyncSession, user_id: int) -> Sequence[PushSubscription]:
    return (
        await session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user_id)
            .order_by(PushSubscription.id)
        )
    ).all()


async def of_users(
    *, session: AsyncSession, user_ids: Iterable[int]
) -> dict[int, list[PushSubscription]]:
    """Every device of these users, in one query."""
    found: dict[int, list[PushSubscription]] = {}
    ids = sorted(set(user_ids))
    if not ids:
        return found
    for row in await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id.in_(ids))
        .order_by(PushSubscription.id)
    ):
        found.setdefault(row.user_id, []).append(row)
    return found


async def forget_expired(*, session: AsyncSession, subscription_ids: Iterable[int]) -> None:
    """The push service said these endpoints are gone (404/410): never try them again."""
    ids = sorted(set(subscription_ids))
    if ids:
        await session.execute(delete(PushSubscription).where(PushSubscription.id.in_(ids)))
