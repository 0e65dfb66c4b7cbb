"""Numbering in this process, history in the `realtime_events` table (one API instance)."""

from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import aliased

from premier.db import Database
from premier.kit.time import as_utc, utcnow
from premier.realtime.backplanes.base import Deliver, Delivery, Entry, Head, Outgoing
from premier.realtime.models import RealtimeEvent
from premier.realtime.protocol import event_head

log = structlog.get_logger(__name__)


class DatabaseBackplane:
    def __init__(self, *, database: Database, history_seconds: int) -> None:
        self.database = database
        self.history_seconds = history_seconds
        self._last_seq: dict[str, int] = {}
        self._deliver: Deliver | None = None

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver

    async def stop(self) -> None:
        self._deliver = None

    async def publish(self, batch: list[Outgoing]) -> None:
        # Numbers are handed out by this process alone, so they never collide; the history
        # is written before anyone hears of the events, so a resume never misses one.
        unseen = {c for event in batch for c in event.channels if c not in self._last_seq}
        if unseen:
            await self._load_last_seqs(unseen)
        deliveries: list[Delivery] = []
        rows: list[dict[str, object]] = []
        for event in batch:
            frames = []
            created_at = datetime.fromtimestamp(event.ts, UTC)
            for channel in event.channels:
                seq = self._last_seq[channel] + 1
                self._last_seq[channel] = seq
                frame = event_head(channel) + str(seq) + event.tail
                frames.append((channel, seq, frame))
                rows.append({"channel": channel, "seq": seq, "event_id": event.event_id,
                             "frame": frame, "created_at": created_at})  # fmt: skip
            deliveries.append(Delivery(event.event_id, tuple(frames), event.span))
        try:
            async with self.database.writing() as session:
                await session.execute(insert(RealtimeEvent), rows)
                await session.commit()
        except Exception:
            # Without its history a resume could skip these events; renumber from the table
            # so the next ones still line up, and send these live anyway.
            log.exception("realtime_history_write_failed", events=len(batch))
            self._last_seq.clear()
        if self._deliver is not None:
            for delivery in deliveries:
                self._deliver(delivery)

    async def _load_last_seqs(self, channels: set[str]) -> None:
        async with self.database.reading() as session:
            rows = await session.execute(
                select(RealtimeEvent.channel, func.max(RealtimeEvent.seq))
                .where(RealtimeEvent.channel.in_(channels))
                .group_by(RealtimeEvent.channel)
            )
            found: dict[str, int] = {channel: seq for channel, seq in rows.tuples()}
        for channel in channels:
            self._last_seq.setdefault(channel, found.get(channel) or 0)

    async def head(self, channel: str) -> Head:
        async with self.database.reading() as session:
            row = (
                await session.execute(
                    select(RealtimeEvent.seq, RealtimeEvent.event_id)
                    .where(RealtimeEvent.channel == channel)
                    .order_by(RealtimeEvent.seq.desc())
                    .limit(1)
                )
            ).first()
        return Head(row.seq, row.event_id) if row else Head(0, None)

    async def seq_of(self, channel: str, event_id: str) -> int | None:
        async with self.database.reading() as session:
            seq: int | None = await session.scalar(
                select(RealtimeEvent.seq).where(
                    RealtimeEvent.channel == channel, RealtimeEvent.event_id == event_id
                )
            )
        return seq

    async def event_id_at(self, channel: str, seq: int) -> str | None:
        async with self.database.reading() as session:
            event_id: str | None = await session.scalar(
                select(RealtimeEvent.event_id).where(
                    RealtimeEvent.channel == channel, RealtimeEvent.seq == seq
                )
            )
        return event_id

    async def entries_after(self, channel: str, seq: int, *, limit: int) -> list[Entry]:
        async with self.database.reading() as session:
            rows = await session.execute(
                select(RealtimeEvent)
                .where(RealtimeEvent.channel == channel, RealtimeEvent.seq > seq)
                .order_by(RealtimeEvent.seq)
                .limit(limit)
            )
            return [
                Entry(r.seq, r.event_id, as_utc(r.created_at).timestamp(), r.frame)
                for r in rows.scalars()
            ]

    async def trim(self) -> None:
        """Delete what is older than the window, but keep each channel's newest event so
        that its numbering carries on after a restart."""
        cutoff = utcnow() - timedelta(seconds=self.history_seconds)
        newer = aliased(RealtimeEvent)
        has_newer = (
            select(newer.id)
            .where(newer.channel == RealtimeEvent.channel, newer.seq > RealtimeEvent.seq)
            .exists()
        )
        async with self.database.writing() as session:
            await session.execute(
                delete(RealtimeEvent).where(RealtimeEvent.created_at < cutoff, has_newer)
            )
            await session.commit()
