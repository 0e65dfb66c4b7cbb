"""The messaging figures, defined once for email and text messages alike.

The stats page shows both side by side, so a figure must mean the same on each:

- period: whole days on the hotel's calendar, the last `days` of them up to today, so a
  message sent at 01:00 Nairobi time counts on the day the staff saw it go.
- total: every message queued in the period, whatever became of it.
- sent: accepted by the provider (queue status `sent`). A day's `sent` in `by_day` adds
  up to the period's `sent`, and the charts plot exactly that.
- reported: sent, and the provider has said how it ended (reached the recipient or not).
- delivered: sent, and the provider said it reached the recipient.
- delivery rate: delivered / reported. None (shown as "—") while no report has come back:
  a provider that reports nothing, or the development capture, is not a 0% delivery.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from premier.delivery.queue import QueueStatus
from premier.kit.time import as_utc, hotel_today

# Queue statuses as a day's bar splits them: still waiting, sent, or never sent.
WAITING = frozenset({QueueStatus.QUEUED.value, QueueStatus.SENDING.value})
NOT_SENT = frozenset(
    {QueueStatus.FAILED.value, QueueStatus.CANCELLED.value, QueueStatus.SUPPRESSED.value}
)
DEFAULT_DAYS = 30


@dataclass(frozen=True, slots=True)
class Period:
    """Whole hotel days `since`..`until` (both included), and the UTC instants bounding them."""

    since: date
    until: date
    start: datetime
    end: datetime
    zone: ZoneInfo

    def day_of(self, instant: datetime) -> date:
        """The hotel's calendar day of a stored instant."""
        return as_utc(instant).astimezone(self.zone).date()


def period(
    timezone: str, *, days: int | None = None, since: date | None = None, until: date | None = None
) -> Period:
    """`days` days up to `until` (today by default); `since` overrides `days`."""
    zone = ZoneInfo(timezone)
    until = until or hotel_today(timezone)
    since = since or until - timedelta(days=(days or DEFAULT_DAYS) - 1)
    start = datetime.combine(since, time.min, zone).astimezone(UTC)
    end = datetime.combine(until + timedelta(days=1), time.min, zone).astimezone(UTC)
    return Period(since=since, until=until, start=start, end=end, zone=zone)


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def count(counts: dict[str, int], statuses: Iterable[str]) -> int:
    return sum(counts.get(s, 0) for s in statuses)
