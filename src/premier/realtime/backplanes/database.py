"""Numbering in this process, history in the `realtime_events` table (one API instance)."""

import asyncio
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import aliased

from premier.db import Database, core_table
from premier.kit.time import as_utc, utcnow
from premier.realtime.backplanes.base import Deliver, Delivery, Entry, Head, Interrupted, Outgoing
from premier.realtime.models import RealtimeEvent
from premier.realtime.protocol import event_head

log = structlog.get_logger(__name__)


# Channels whose newest event this process remembers. Every booking, order and payment has
# a channel of its own, so remembering them all would grow with the hotel's whole history;
# a channel forgotten is read back from `realtime_events` when it is next published to.
MAX_REMEMBERED_CHANNELS = 10_000
REALTIME_EVENTS = core_table(RealtimeEvent)


class DatabaseBackplane:
    def __init__(
        self,
        *,
        database: Database,
        history_seconds: int,
        max_channels: int = MAX_REMEMBERED_CHANNELS,
    ) -> None:
        self.database = database
        self.history_seconds = history_seconds
        self.max_channels = max_channels
        self._newest: OrderedDict[str, Head] = OrderedDict()
        self._deliver: Deliver | None = None
        self._writing: asyncio.Future[None] | None = None

    async def start(self, deliver: Deliver, interrupted: Interrupted | None = None) -> None:
        # Delivery is a call within this process: it is never interrupted.
        self._deliver = deliver

    async def stop(self) -> None:
        await self._settled()
        self._deliver = None

    async def publish(self, batch: list[Outgoing]) -> None:
        """Number the events (this process alone numbers them), send them, record them.

        Sending comes first so that live delivery never waits for the database. A resume
        reads the history only once the batch being recorded is in (see `_settled`); the
        publisher records one batch at a time, so nothing older can still be missing.
        """
        unseen = {c for event in batch for c in event.channels if c not in self._newest}
        if unseen:
            await self._load_newest(unseen)
        deliveries: list[Delivery] = []
        rows: list[dict[str, object]] = []
        newest = self._newest
        for event in batch:
            frames = []
            created_at = datetime.fromtimestamp(event.ts, UTC)
            for channel in event.channels:
                seq = newest[channel].seq + 1
                newest[channel] = Head(seq, event.event_id)
                newest.move_to_end(channel)
                frame = event_head(channel) + str(seq) + event.tail
                frames.append((channel, seq, frame))
                rows.append({"channel": channel, "seq": seq, "event_id": event.event_id,
                             "frame": frame, "created_at": created_at})  # fmt: skip
            deliveries.append(Delivery(event.event_id, tuple(frames), event.span))
        while len(newest) > self.max_channels:
            # The least recently published; this batch's channels were just moved last.
            newest.popitem(last=False)
        writing = self._writing = asyncio.get_running_loop().create_future()
        try:
            if self._deliver is not None:
                for delivery in deliveries:
                    self._deliver(delivery)
                    # Let the loop flush sockets and read between events of a burst, as it
                    # does when events arrive one by one from Redis.
                    await asyncio.sleep(0)
            async with self.database.writing() as session:
                await session.execute(insert(REALTIME_EVENTS), rows)
                await session.commit()
        except Exception:
            # Delivered live but not recorded: a resume across this gap gets a resync.
            log.exception("realtime_history_write_failed", events=len(batch))
        finally:
            writing.set_result(None)
            if self._writing is writing:
                self._writing = None

    async def _settled(self) -> None:
        if self._writing is not None:
            await asyncio.shield(self._writing)

    async def _load_newest(self, channels: set[str]) -> None:
        async with self.database.reading() as session:
            rows = await session.execute(
                select(RealtimeEvent.channel, func.max(RealtimeEvent.seq))
                .where(RealtimeEvent.channel.in_(channels))
                .group_by(RealtimeEvent.channel)
            )
            found: dict[str, int] = {channel: seq for channel, seq in rows.tuples()}
            for channel in channels:
                seq = found.get(channel)
                event_id = None
                if seq is not None:
                    event_id = await session.scalar(
                        select(RealtimeEvent.event_id).where(
                            RealtimeEvent.channel == channel, RealtimeEvent.seq == seq
                        )
                    )
                # Never overwrite: the publisher may have numbered events meanwhile.
                self._newest.setdefault(channel, Head(seq or 0, event_id))

    async def head(self, channel: str) -> Head:
        if channel not in self._newest:
            await self._load_newest({channel})
        return self._newest[channel]

    async def seq_of(self, channel: str, event_id: str) -> int | None:
        await self._settled()
        async with self.database.reading() as session:
            seq: int | None = await session.scalar(
                select(RealtimeEvent.seq).where(
                    RealtimeEvent.channel == channel, RealtimeEvent.event_id == event_id
                )
            )
        return seq

    async def event_id_at(self, channel: str, seq: int) -> str | None:
        await self._settled()
        async with self.database.reading() as session:
            event_id: str | None = await session.scalar(
                select(RealtimeEvent.event_id).where(
                    RealtimeEvent.channel == channel, RealtimeEvent.seq == seq
                )
            )
        return event_id

    async def entries_after(self, channel: str, seq: int, *, limit: int) -> list[Entry]:
        await self._settled()
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
