"""Reading the SMS queue: filtered pages and the numbers behind the admin charts."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.delivery.queue import QueueStatus
from premier.kit.pagination import Page, PageParams, paginate
from premier.notifications import disclosure
from premier.sms.models import SmsQueue
from premier.sms.schemas import DayStats, SmsOut, SmsQueueFilter, SmsStats
from premier.sms.tracking import SmsStatus


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
    *, session: AsyncSession, settings: Settings, since: date | None, until: date | None
) -> SmsStats:
    until = until or datetime.now(UTC).date()
    since = since or until - timedelta(days=29)
    start = datetime.combine(since, time.min, UTC)
    end = datetime.combine(until + timedelta(days=1), time.min, UTC)
    window = (SmsQueue.created_at >= start, SmsQueue.created_at < end)

    async def counts(column: object) -> dict[str, int]:
        result = await session.execute(
            select(column, func.count()).where(*window).group_by(column)  # type: ignore[call-overload]
        )
        return {str(key): int(n) for key, n in result.all() if key is not None}

    by_status = await counts(SmsQueue.status)
    by_delivery = await counts(SmsQueue.delivery_status)
    by_provider = await counts(SmsQueue.provider)
    day = func.date(SmsQueue.created_at)
    rows = await session.execute(
        select(
            day,
            SmsQueue.provider,
            func.count(),
            func.coalesce(func.sum(SmsQueue.segments), 0),
            func.coalesce(func.sum(SmsQueue.estimated_cost), 0),
            func.coalesce(func.sum(SmsQueue.price), 0),
        )
        .where(*window, SmsQueue.status == QueueStatus.SENT)
        .group_by(day, SmsQueue.provider)
        .order_by(day)
    )
    by_day = [
        DayStats(
            day=d if isinstance(d, date) else date.fromisoformat(str(d)),
            provider=p or "none",
            messages=n,
            segments=int(s),
            estimated_cost=int(c),
            reported_cost=int(r),
        )
        for d, p, n, s, c, r in rows.all()
    ]
    sent = by_status.get(QueueStatus.SENT, 0)
    delivered = by_delivery.get(SmsStatus.DELIVERED, 0)
    # Of the messages whose fate is known: delivered / (delivered + undelivered + failed).
    finished = sum(
        by_delivery.get(s, 0)
        for s in (SmsStatus.DELIVERED, SmsStatus.UNDELIVERED, SmsStatus.FAILED)
    )
    return SmsStats(
        since=since,
        until=until,
        currency=settings.sms.price_currency,
        by_status=by_status,
        by_delivery_status=by_delivery,
        by_provider=by_provider,
        sent=sent,
        delivered=delivered,
        delivery_rate=round(delivered / finished, 4) if finished else None,
        segments=sum(d.segments for d in by_day),
        estimated_cost=sum(d.estimated_cost for d in by_day),
        by_day=by_day,
    )
