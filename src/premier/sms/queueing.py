"""Queueing SMS: every row is validated, priced and checked against opt-outs, rate limits and
budgets before it is written, in the caller's transaction.

Rules, in order:
- the number must parse and be valid; it is stored as E.164;
- opted-out numbers are `suppressed` (except a one-time code the user asked for: see
  `essential` and docs/sms.md);
- more than `recipient_per_hour` messages to one number wait for the next hour (nothing is
  dropped);
- a message that would exceed a budget is `held` for an admin to release or cancel, and
  admins are told once per day;
- emergencies skip quiet hours, rate limits and budgets and go to the front of the queue.

`queue_many` applies them to many messages at once, as if they were queued one after the
other: a message counts against the rate limit and budgets of those after it. It reads
what it needs for all of them in a handful of queries, whatever their number.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.config import Settings
from premier.db.bulk import insert_objects
from premier.delivery.queue import QueueStatus
from premier.kit.errors import InvalidInput
from premier.kit.time import as_utc, utcnow
from premier.notifications import suppressions
from premier.notifications.models import Channel
from premier.sms.models import SmsQueue
from premier.sms.phone import normalise_or_422
from premier.sms.pricing import Spend, budget_exceeded, estimate_cost
from premier.sms.segments import count_segments
from premier.sms.tracking import SmsStatus

HELD = SmsStatus.HELD.value
MAX_BODY = 1600  # Twilio's limit for a concatenated message; about ten segments
EMERGENCY_PRIORITY = 0
URGENT_PRIORITY = 1
# Rows that cost (or will cost) money, for budgets.
SPENDING = (QueueStatus.QUEUED, QueueStatus.SENDING, QueueStatus.SENT)


@dataclass(frozen=True, slots=True)
class SmsRequest:
    to: str
    body: str
    category: str
    template: str | None = None
    locale: str = "en"
    priority: int = 5
    user_id: int | None = None
    notification_id: int | None = None
    created_by: int | None = None
    not_before: datetime | None = None
    essential: bool = False
    emergency: bool = False
    reference: str | None = None


def window_starts(settings: Settings, now: datetime) -> tuple[datetime, datetime]:
    """The start of the hotel's current day and month, as UTC instants."""
    local = now.astimezone(ZoneInfo(settings.hotel_timezone))
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return day.astimezone(UTC), day.replace(day=1).astimezone(UTC)


async def _spent(session: AsyncSession, since: datetime, phone: str | None = None) -> int:
    query = select(func.coalesce(func.sum(SmsQueue.estimated_cost), 0)).where(
        SmsQueue.created_at >= since, SmsQueue.status.in_(SPENDING)
    )
    if phone is not None:
        query = query.where(SmsQueue.to_phone == phone)
    return int(await session.scalar(query) or 0)


async def _spent_by_phone(
    session: AsyncSession, since: datetime, phones: set[str]
) -> dict[str, int]:
    rows = await session.execute(
        select(SmsQueue.to_phone, func.sum(SmsQueue.estimated_cost))
        .where(
            SmsQueue.created_at >= since,
            SmsQueue.status.in_(SPENDING),
            SmsQueue.to_phone.in_(phones),
        )
        .group_by(SmsQueue.to_phone)
    )
    return {phone: int(total or 0) for phone, total in rows}


async def current_spend(*, session: AsyncSession, settings: Settings, phone: str) -> Spend:
    """Spend in each budget window; windows without a configured budget are not queried."""
    sms = settings.sms
    day, month = window_starts(settings, utcnow())

    async def spent(limit: int | None, since: datetime, to: str | None = None) -> int:
        return 0 if limit is None else await _spent(session, since, to)

    return Spend(
        hotel_day=await spent(sms.budget_daily, day),
        hotel_month=await spent(sms.budget_monthly, month),
        recipient_day=await spent(sms.recipient_budget_daily, day, phone),
        recipient_month=await spent(sms.recipient_budget_monthly, month, phone),
    )


async def queue_sms(*, session: AsyncSession, settings: Settings, request: SmsRequest) -> SmsQueue:
    """Add one SMS to the queue in the caller's transaction (the caller commits).

    Raises InvalidInput (422) for a number that is not valid or an empty/too long body."""
    [result] = await queue_many(session=session, settings=settings, requests=[request])
    if isinstance(result, InvalidInput):
        raise result
    return result


async def queue_many(
    *, session: AsyncSession, settings: Settings, requests: Sequence[SmsRequest]
) -> list[SmsQueue | InvalidInput]:
    """Queue each request, in order; one result each: its row, or why it was refused."""
    now = utcnow()
    results = [_new_row(settings, request, now) for request in requests]
    rows = [(row, request) for row, request in zip(results, requests, strict=True)
            if isinstance(row, SmsQueue)]  # fmt: skip
    if not rows:
        return results
    found = await suppressions.blocking(
        session=session,
        channel=Channel.SMS,
        addresses=[row.to_phone for row, request in rows if not request.essential],
    )
    limits = _Limits(settings, now)
    await limits.load(
        session, [row.to_phone for row, r in rows if not (r.essential or r.emergency)]
    )
    for row, request in rows:
        blocked = (
            None
            if request.essential
            else suppressions.first_blocking(
                found, channel=Channel.SMS, address=row.to_phone, category=request.category
            )
        )
        if blocked is not None:
            row.status = QueueStatus.SUPPRESSED
            row.delivery_status = None
            row.last_error = f"suppressed: the recipient opted out ({blocked.reason})"
        elif not (request.essential or request.emergency):
            limits.apply(row)
        limits.count(row)
    if limits.broken_first is not None:
        await _tell_admins_once(session, settings, limits.broken_first, now)
    await insert_objects(session, [row for row, _ in rows])
    return results


def _new_row(settings: Settings, request: SmsRequest, now: datetime) -> SmsQueue | InvalidInput:
    sms = settings.sms
    try:
        phone = normalise_or_422(request.to, region=sms.default_region)
    except InvalidInput as exc:
        return exc
    body = request.body.strip()
    if not body:
        return InvalidInput("the message is empty", code="empty_message")
    if len(body) > MAX_BODY:
        return InvalidInput(
            f"the message is longer than {MAX_BODY} characters",
            details={"length": len(body)},
            code="message_too_long",
        )
    info = count_segments(body)
    cost = estimate_cost(settings=sms, to=phone, body=body)
    emergency = request.emergency
    return SmsQueue(
        to_phone=phone,
        body=body,
        template=request.template,
        category=request.category,
        locale=request.locale,
        priority=EMERGENCY_PRIORITY if emergency else request.priority,
        user_id=request.user_id,
        notification_id=request.notification_id,
        created_by=request.created_by,
        status=QueueStatus.QUEUED,
        next_attempt_at=now if emergency else (request.not_before or now),
        created_at=now,
        country=cost.country,
        encoding=info.encoding.value,
        segments=info.segments,
        estimated_cost=cost.amount,
        cost_currency=cost.currency,
        emergency=emergency,
        reference=request.reference,
        delivery_status=SmsStatus.QUEUED.value,
        max_attempts=sms.max_attempts,
    )


class _Limits:
    """Each number's send slots in the last hour and the spend of each budget window, read
    once for a batch and kept up to date as its messages are queued."""

    def __init__(self, settings: Settings, now: datetime) -> None:
        self.settings = settings
        self.now = now
        self.per_hour = settings.sms.recipient_per_hour
        self.slots: dict[str, list[datetime]] = defaultdict(list)
        self.budgeted = any(
            limit is not None
            for limit in (
                settings.sms.budget_daily,
                settings.sms.budget_monthly,
                settings.sms.recipient_budget_daily,
                settings.sms.recipient_budget_monthly,
            )
        )
        # Spent so far in the hotel's day and month, in all and by number.
        self.hotel_day = self.hotel_month = 0
        self.day_by_phone: dict[str, int] = defaultdict(int)
        self.month_by_phone: dict[str, int] = defaultdict(int)
        self.broken_first: str | None = None

    async def load(self, session: AsyncSession, phones: Sequence[str]) -> None:
        if not phones:
            return
        since = self.now - timedelta(hours=1)
        # Only each number's `per_hour` latest slots matter, however many it has.
        latest = (
            select(
                SmsQueue.to_phone,
                SmsQueue.next_attempt_at,
                func.row_number()
                .over(partition_by=SmsQueue.to_phone, order_by=SmsQueue.next_attempt_at.desc())
                .label("rank"),
            )
            .where(
                SmsQueue.to_phone.in_(set(phones)),
                SmsQueue.next_attempt_at >= since,
                SmsQueue.emergency.is_(False),
                SmsQueue.status.in_(SPENDING),
            )
            .subquery()
        )
        recent = await session.execute(
            select(latest.c.to_phone, latest.c.next_attempt_at).where(
                latest.c.rank <= self.per_hour
            )
        )
        for phone, slot in recent:
            self.slots[phone].append(as_utc(slot))
        if self.budgeted:
            await self._load_spend(session, set(phones))

    async def _load_spend(self, session: AsyncSession, phones: set[str]) -> None:
        """What each budget window has spent, in all and for these numbers; windows
        without a configured budget are not queried."""
        sms = self.settings.sms
        day, month = window_starts(self.settings, self.now)
        if sms.budget_daily is not None:
            self.hotel_day = await _spent(session, day)
        if sms.budget_monthly is not None:
            self.hotel_month = await _spent(session, month)
        if sms.recipient_budget_daily is not None:
            self.day_by_phone.update(await _spent_by_phone(session, day, phones))
        if sms.recipient_budget_monthly is not None:
            self.month_by_phone.update(await _spent_by_phone(session, month, phones))

    def apply(self, row: SmsQueue) -> None:
        """Delay the row past its number's hourly limit; hold it if it breaks a budget."""
        slots = sorted(self.slots[row.to_phone], reverse=True)[: self.per_hour]
        if len(slots) >= self.per_hour:
            # The limit-th most recent send slot opens the window again one hour after it.
            earliest = slots[-1] + timedelta(hours=1)
            if earliest > as_utc(row.next_attempt_at):
                row.next_attempt_at = earliest
                row.last_error = (
                    f"rate limited: more than {self.per_hour} SMS an hour to this number"
                )
        if not self.budgeted:
            return
        spend = Spend(
            hotel_day=self.hotel_day,
            hotel_month=self.hotel_month,
            recipient_day=self.day_by_phone[row.to_phone],
            recipient_month=self.month_by_phone[row.to_phone],
        )
        broken = budget_exceeded(settings=self.settings.sms, spend=spend, amount=row.estimated_cost)
        if broken is not None:
            row.status = HELD
            row.delivery_status = HELD
            row.last_error = f"held: the {broken} SMS budget would be exceeded"
            self.broken_first = self.broken_first or broken

    def count(self, row: SmsQueue) -> None:
        """A queued row takes a send slot and counts against every budget."""
        if row.status not in SPENDING or row.emergency:
            return
        self.slots[row.to_phone].append(as_utc(row.next_attempt_at))
        cost = row.estimated_cost
        self.hotel_day += cost
        self.hotel_month += cost
        self.day_by_phone[row.to_phone] += cost
        self.month_by_phone[row.to_phone] += cost


async def _tell_admins_once(
    session: AsyncSession, settings: Settings, budget: str, now: datetime
) -> None:
    """Tell management when the first message of the day is held (before it is added)."""
    day, _ = window_starts(settings, now)
    already = await session.scalar(
        select(func.count())
        .select_from(SmsQueue)
        .where(SmsQueue.status == HELD, SmsQueue.created_at >= day)
    )
    if not already:
        await events.emit(session, events.SmsBudgetExceeded(budget=budget))
