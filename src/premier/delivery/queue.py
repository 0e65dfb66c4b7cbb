"""Queues of messages to send: rows written with the change that caused them, claimed
by workers with a lease, retried with exponential backoff, and given up after a maximum.

Every queue table (email_queue, sms_queue, ...) mixes in `QueueColumns`. A worker:

1. `claim_due_rows` — one short write transaction marks up to `limit` due rows `sending`
   under its lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent claimers never take
   the same row; SQLite: the single write connection with BEGIN IMMEDIATE serialises claims).
2. sends them outside any transaction,
3. records each outcome with `settle` — guarded by the lease owner, so a worker whose lease
   expired (and whose row another worker took over) cannot overwrite the newer result.

A worker killed mid-batch loses nothing: its leases expire and the rows are claimed again.

Failure stays with its row. A send that raises anything at all is that row's transient
failure (`unexpected_failure`), never the batch's: a batch abandoned by an exception would
leave its healthy rows to expire and be sent again, and again. Claiming counts as an
attempt, so a row whose lease keeps expiring is given up like any other once it reaches
`max_attempts` (`claim_due_rows` fails it with the reason) instead of being sent forever.
"""

import functools
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Index, String, Table, Text, Update, and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from premier.db import Database
from premier.kit.time import utcnow


class QueueStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SUPPRESSED = "suppressed"


CLAIMABLE = (QueueStatus.QUEUED.value,)


class QueueColumns:
    """Columns every queue table carries; the claim logic below relies on them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=QueueStatus.QUEUED)
    priority: Mapped[int] = mapped_column(default=5)  # 0 = most urgent
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=6)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    provider: Mapped[str | None] = mapped_column(String(32))
    provider_message_id: Mapped[str | None] = mapped_column(String(255), index=True)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name: str = cls.__tablename__  # type: ignore[attr-defined]
        return (
            Index(f"ix_{name}_due", "status", "next_attempt_at"),
            Index(f"ix_{name}_lease", "status", "lease_expires_at"),
        )


Row = TypeVar("Row", bound=QueueColumns)


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with jitter: base * 2^(attempt-1), capped, then scaled by a random
    factor in [0.5, 1] so that rows failing together do not retry together."""

    base_seconds: float = 30.0
    max_seconds: float = 3600.0

    def delay(self, attempt: int, *, retry_after: float | None = None) -> float:
        exponent = min(max(attempt - 1, 0), 30)
        ceiling = min(self.max_seconds, self.base_seconds * math.pow(2, exponent))
        delay = ceiling * random.uniform(0.5, 1.0)
        if retry_after is not None:
            # The provider told us when; never come back sooner than that.
            delay = max(delay, min(retry_after, self.max_seconds))
        return delay


ABANDONED = "its worker never reported back before the lease ran out"


async def _give_up_abandoned(
    session: AsyncSession,
    database: Database,
    model: type[Row],
    now: datetime,
    given_up: Mapping[str, Any],
) -> None:
    """Fail rows whose last allowed attempt was claimed and never settled.

    Without this an expired lease is simply claimed again, one attempt more each time, so a
    row whose sending keeps killing its batch would be sent for ever."""
    query = select(model).where(
        model.status == QueueStatus.SENDING,
        model.lease_expires_at < now,
        model.attempts >= model.max_attempts,
    )
    if not database.is_sqlite:
        query = query.with_for_update(skip_locked=True)
    for row in await session.scalars(query):
        before = f"; the one before: {row.last_error}" if row.last_error else ""
        row.status = QueueStatus.FAILED
        row.lease_owner = None
        row.lease_expires_at = None
        row.last_error = f"gave up after {row.attempts} attempts: {ABANDONED}{before}"[:4000]
        for name, value in given_up.items():
            setattr(row, name, value)


async def claim_due_rows(
    *,
    database: Database,
    model: type[Row],
    worker_id: str,
    limit: int,
    lease_seconds: float,
    now: datetime | None = None,
    given_up: Mapping[str, Any] | None = None,
) -> list[Row]:
    """Lease up to `limit` due rows to `worker_id` and return them (already committed).

    Rows abandoned at their last attempt are failed first; `given_up` are further column
    values for them (e.g. a delivery status the table keeps beside `status`)."""
    now = now or utcnow()
    due = or_(
        and_(model.status.in_(CLAIMABLE), model.next_attempt_at <= now),
        # A worker died holding these: its lease ran out, take them over.
        and_(model.status == QueueStatus.SENDING, model.lease_expires_at < now),
    )
    order = (model.priority, model.next_attempt_at, model.id)
    chosen = select(model.id).where(due).order_by(*order).limit(limit)
    if not database.is_sqlite:
        chosen = chosen.with_for_update(skip_locked=True)
    # One statement picks and leases the rows and hands them back.
    lease = (
        update(model)
        .where(model.id.in_(chosen.scalar_subquery()))
        .values(
            status=QueueStatus.SENDING,
            lease_owner=worker_id,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            attempts=model.attempts + 1,
        )
        .returning(model)
        .execution_options(synchronize_session=False)
    )
    async with database.writing() as session:
        await _give_up_abandoned(session, database, model, now, given_up or {})
        rows = list((await session.scalars(lease)).all())
        await session.commit()
    rows.sort(key=lambda row: (row.priority, row.next_attempt_at, row.id))
    return rows


@dataclass(slots=True)
class Outcome:
    """What happened to one claimed row."""

    row_id: int
    ok: bool
    provider: str | None = None
    provider_message_id: str | None = None
    error: str | None = None
    permanent: bool = False
    retry_after: float | None = None
    attempts: int = 1
    max_attempts: int = 1
    final_status: str | None = None  # e.g. "suppressed": settle with this status
    receipt: Any = None  # what the provider answered, for the channel to record
    error_code: str | None = None  # the provider's code for the failure


def unexpected_failure(row: QueueColumns, exc: BaseException) -> Outcome:
    """A send that raised what its adapter does not promise: a transient failure of this
    row alone, retried with back-off and failed at `max_attempts` like any other."""
    return Outcome(
        row.id,
        ok=False,
        error=f"unexpected {type(exc).__name__}: {exc}"[:2000],
        attempts=row.attempts,
        max_attempts=row.max_attempts,
    )


async def settle(
    *,
    session: AsyncSession,
    model: type[Row],
    worker_id: str,
    outcomes: list[Outcome],
    backoff: Backoff,
    now: datetime | None = None,
    columns: Callable[[Outcome, str], Mapping[str, Any]] | None = None,
) -> dict[int, str]:
    """Record outcomes for rows this worker still leases; returns row id → new status.

    Rows whose lease was lost are skipped (another worker owns them now). One locking read
    and one executemany per kind of outcome, whatever the batch size. `columns` gives a
    channel's own column values for a row and its new status, set in the same UPDATE. The
    caller commits.
    """
    now = now or utcnow()
    if not outcomes:
        return {}
    owned_query = select(model.id).where(
        model.id.in_([o.row_id for o in outcomes]),
        model.lease_owner == worker_id,
        model.status == QueueStatus.SENDING,
    )
    if session.get_bind().dialect.name != "sqlite":
        owned_query = owned_query.with_for_update()
    owned = set(await session.scalars(owned_query))
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    statuses: dict[int, str] = {}
    for outcome in outcomes:
        if outcome.row_id not in owned:
            continue
        values: dict[str, Any] = {"lease_owner": None, "lease_expires_at": None, "updated_at": now}
        if outcome.final_status is not None:
            values |= {"status": outcome.final_status, "last_error": outcome.error}
        elif outcome.ok:
            values |= {
                "status": QueueStatus.SENT.value,
                "provider": outcome.provider,
                "provider_message_id": outcome.provider_message_id,
                "sent_at": now,
                "last_error": None,
            }
        elif outcome.permanent or outcome.attempts >= outcome.max_attempts:
            values |= {
                "status": QueueStatus.FAILED.value,
                "last_error": outcome.error,
                "provider": outcome.provider,
            }
        else:
            delay = backoff.delay(outcome.attempts, retry_after=outcome.retry_after)
            values |= {
                "status": QueueStatus.QUEUED.value,
                "last_error": outcome.error,
                "next_attempt_at": now + timedelta(seconds=delay),
            }
        status = str(values["status"])
        if columns is not None:
            values |= columns(outcome, status)
        statuses[outcome.row_id] = status
        groups.setdefault(tuple(sorted(values)), []).append({"row_id": outcome.row_id, **values})
    table = model.__table__  # type: ignore[attr-defined]
    for keys, params in groups.items():
        await session.execute(_settling(table, keys), params)
    return statuses


@functools.cache
def _settling(table: Table, keys: tuple[str, ...]) -> Update:
    """The UPDATE setting these columns of one row, built once per table and set of
    columns (building it and its cache key costs more than running it)."""
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({key: bindparam(key) for key in keys})
    )
