"""Reading and changing a user's notification preferences, and quiet hours."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from premier.notifications.catalog import CATEGORIES, DEFAULT_PREFERENCES
from premier.notifications.models import NotificationPreference

# Account mail (password reset) cannot be switched off: it is how people get back in.
LOCKED = {("account", "email")}


@dataclass(frozen=True, slots=True)
class Resolved:
    channels: dict[str, dict[str, bool]]
    quiet_hours_start: str | None
    quiet_hours_end: str | None
    locale: str | None

    def allows(self, category: str, channel: str) -> bool:
        if (category, channel) in LOCKED:
            return True
        return bool(self.channels.get(category, {}).get(channel, False))


def resolve(row: NotificationPreference | None) -> Resolved:
    channels = {category: dict(defaults) for category, defaults in DEFAULT_PREFERENCES.items()}
    if row is not None:
        for category, switches in (row.channels or {}).items():
            if category in channels and isinstance(switches, dict):
                channels[category].update(
                    {k: bool(v) for k, v in switches.items() if k in channels[category]}
                )
    for category, channel in LOCKED:
        channels[category][channel] = True
    if row is None:
        return Resolved(channels, None, None, None)
    return Resolved(channels, row.quiet_hours_start, row.quiet_hours_end, row.locale)


async def get_row(*, session: AsyncSession, user_id: int) -> NotificationPreference | None:
    from sqlalchemy import select

    return await session.scalar(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id)
    )


async def update(
    *,
    session: AsyncSession,
    user_id: int,
    channels: dict[str, dict[str, bool]] | None,
    quiet_hours: tuple[str | None, str | None] | None,
    locale: str | None,
    set_locale: bool,
) -> Resolved:
    row = await get_row(session=session, user_id=user_id)
    if row is None:
        row = NotificationPreference(user_id=user_id, channels={})
        session.add(row)
    if channels:
        merged = {k: dict(v) for k, v in (row.channels or {}).items()}
        for category, switches in channels.items():
            if category in CATEGORIES:
                merged.setdefault(category, {}).update(switches)
        row.channels = merged
    if quiet_hours is not None:
        row.quiet_hours_start, row.quiet_hours_end = quiet_hours
    if set_locale:
        row.locale = locale
    await session.commit()
    return resolve(row)


def quiet_until(prefs: Resolved, *, now: datetime, timezone: str) -> datetime | None:
    """When quiet hours are on right now, the moment they end (UTC); otherwise None."""
    if not prefs.quiet_hours_start or not prefs.quiet_hours_end:
        return None
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    start = time.fromisoformat(prefs.quiet_hours_start)
    end = time.fromisoformat(prefs.quiet_hours_end)
    current = local.time()
    if start == end:
        return None
    inside = start <= current < end if start < end else current >= start or current < end
    if not inside:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends.astimezone(now.tzinfo)
