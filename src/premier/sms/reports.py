"""Reading the SMS queue: filtered pages and the numbers behind the admin charts."""

from datetime import UTC, date

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.delivery import stats as figures
from premier.delivery.queue import QueueStatus
from premier.kit.pagination import Page, PageParams, paginate
from premier.notifications import disclosure
from premier.sms.models import SmsQueue
from premier.sms.schemas import DayStats, SmsOut, SmsQueueFilter, SmsStats
from premier.sms.tracking import SmsStatus

# A text's delivery report: reached the handset, or did not.
REPORTED = (SmsStatus.DELIVERED, SmsStatus.UNDELIVERED, SmsStatus.FAILED)


def _filtered(query: Select[tuple[SmsQueue]], where: SmsQueueFilter) -> Select[tuple[SmsQueue]]:
    if where.status:
        query = query.where(SmsQueue.status == where.status)
    if where.delivery_status:
        query = query.where(SmsQueue.delivery_status == where.delivery_status)
    if where.to:
        query = query.where(SmsQueue.to_phone == where.to)
    if where.provider:
        query = query.where(SmsQueue.provider == where.provider)
    if where.template:
        query = query.where(SmsQueue.template == where.template)
    if where.since:
        query = query.where(SmsQueue.created_at >= where.since.astimezone(UTC))
    if where.until:
        query = query.where(SmsQueue.created_at < where.until.astimezone(UTC))
    return query


async def list_queue(
    *, session: AsyncSession, where: SmsQueueFilter, page: PageParams, reveal: bool = False
) -> Page[SmsOut]:
    """One page of the queue; verification codes withheld unless `reveal` (the development
    outbox viewer, see premier.notifications.disclosure)."""
    query = _filtered(select(SmsQueue), where).order_by(SmsQueue.id.desc())
    context = {disclosure.REVEAL: reveal}
    return await paginate(
        session, query, page, lambda row: SmsOut.model_validate(row, context=context)
    )


async def stats(
    *,
    session: AsyncSession,
    settings: Settings,
    days: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> SmsStats:
    """The figures of premier.delivery.stats, for text messages, with segments and cost of
    what was sent, by hotel day and provider."""
    window = figures.period(settings.hotel_timezone, days=days, since=since, until=until)
    in_window = (SmsQueue.created_at >= window.start, SmsQueue.created_at < window.end)

    async def counts(column: object) -> dict[str, int]:
        result = await session.execute(
            select(column, func.count()).where(*in_window).group_by(column)  # type: ignore[call-overload]
        )
        return {str(key): int(n) for key, n in result.all() if key is not None}

    by_status = await counts(SmsQueue.status)
    by_delivery = await counts(SmsQueue.delivery_status)
    by_provider = await counts(SmsQueue.provider)
    per_day: dict[tuple[date, str], DayStats] = {}
    rows = await session.execute(
        select(
            SmsQueue.created_at, SmsQueue.provider, SmsQueue.segments,
            SmsQueue.estimated_cost, SmsQueue.price,
        ).where(*in_window, SmsQueue.status == QueueStatus.SENT)
    )  # fmt: skip
    for created, provider, segments, estimated, price in rows.all():
        key = (window.day_of(created), provider or "none")
        day = per_day.setdefault(
            key, DayStats(day=key[0], provider=key[1], messages=0, segments=0,
                          estimated_cost=0, reported_cost=0)
        )  # fmt: skip
        day.messages += 1
        day.segments += int(segments or 0)
        day.estimated_cost += int(estimated or 0)
        day.reported_cost += int(price or 0)
    by_day = [per_day[key] for key in sorted(per_day)]
    delivered = by_delivery.get(SmsStatus.DELIVERED, 0)
    reported = figures.count(by_delivery, REPORTED)
    return SmsStats(
        since=window.since,
        until=window.until,
        currency=settings.sms.price_currency,
        total=sum(by_status.values()),
        by_status=by_status,
        by_delivery_status=by_delivery,
        by_provider=by_provider,
        sent=by_status.get(QueueStatus.SENT, 0),
        reported=reported,
        delivered=delivered,
        delivery_rate=figures.rate(delivered, reported),
        segments=sum(d.segments for d in by_day),
        estimated_cost=sum(d.estimated_cost for d in by_day),
        by_day=by_day,
    )
