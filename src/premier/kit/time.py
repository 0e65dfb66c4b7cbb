"""Time helpers: the database holds aware UTC; the hotel's zone is applied at the edges."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def hotel_today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()
