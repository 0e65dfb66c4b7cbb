"""Availability answered from memory.

A search needs every room, every room type, every seasonal rate and the nights every
booking holds: a query that grows with the hotel, run on every page view. Instead each
process keeps a snapshot of them, with each room's booked nights as a bitmask, and checks
one number before trusting it: `inventory_version`, which database triggers bump in the
same transaction as any change that matters, whichever process or tool made it. A search
then costs one single-row read and a few integer ANDs.
"""

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncConnection

from premier.bookings.models import HOLDS_ROOM, Booking
from premier.db import Database
from premier.rooms.models import (
    InventoryVersion,
    Room,
    RoomRate,
    RoomStatus,
    RoomType,
    RoomTypeImage,
)
from premier.rooms.schemas import NightlyRate, RoomTypeOut

# Nights before this many days ago can no longer be searched or booked in any time zone.
HORIZON_BEHIND_DAYS = 2

VERSION_QUERY = select(InventoryVersion.version).where(InventoryVersion.id == 1)
# In the order price_nights wants them: the latest-starting rate last.
SEASONAL_RATES = select(
    RoomRate.room_type_id, RoomRate.start_date, RoomRate.end_date, RoomRate.nightly_rate
).order_by(RoomRate.start_date, RoomRate.id)

GALLERIES = select(RoomTypeImage.room_type_id, RoomTypeImage.upload_id).order_by(
    RoomTypeImage.room_type_id, RoomTypeImage.position
)


@dataclass(frozen=True)
class SeasonalRate:
    start: date
    end: date
    amount: int


def price_nights(
    *, base_rate: int, rates: list[SeasonalRate], check_in: date, check_out: date
) -> list[NightlyRate]:
    """Each night's price: the latest-starting seasonal rate covering it, else the base."""
    nights = [check_in + timedelta(days=i) for i in range((check_out - check_in).days)]
    return [
        NightlyRate(
            date=night,
            amount=next((r.amount for r in reversed(rates) if r.start <= night < r.end), base_rate),
        )
        for night in nights
    ]


@dataclass
class InventorySnapshot:
    version: int
    origin: date  # bit 0 of every mask is this night
    room_types: list[RoomTypeOut]  # active types, cheapest first
    rooms_by_type: dict[int, list[int]]
    booked_nights: dict[int, int]  # room id -> bitmask of held nights
    rates: dict[int, list[SeasonalRate]] = field(default_factory=dict)
    galleries: dict[int, list[int]] = field(default_factory=dict)  # type id -> upload ids

    def stay_mask(self, check_in: date, check_out: date) -> int:
        start = max((check_in - self.origin).days, 0)
        end = (check_out - self.origin).days
        return ((1 << (end - start)) - 1) << start if end > start else 0

    def free_room_count(self, room_type_id: int, check_in: date, check_out: date) -> int:
        mask = self.stay_mask(check_in, check_out)
        booked = self.booked_nights
        return sum(
            1 for room in self.rooms_by_type.get(room_type_id, ()) if not booked.get(room, 0) & mask
        )


async def _current_version(connection: AsyncConnection) -> int:
    return int(await connection.scalar(VERSION_QUERY) or 0)


async def load_snapshot(connection: AsyncConnection, *, today: date) -> InventorySnapshot:
    # The version is read first: a change committed while we load makes the snapshot
    # look older than it is, which costs one extra reload and never a stale answer.
    version = await _current_version(connection)
    origin = today - timedelta(days=HORIZON_BEHIND_DAYS)
    types = (
        await connection.execute(
            select(RoomType.__table__)
            .where(RoomType.is_active)
            .order_by(RoomType.base_rate, RoomType.id)
        )
    ).all()
    room_types = [RoomTypeOut.model_validate(row._mapping) for row in types]
    active = {t.id for t in room_types}
    rooms_by_type: dict[int, list[int]] = defaultdict(list)
    for room_id, room_type_id in await connection.execute(
        select(Room.id, Room.room_type_id).where(Room.status == RoomStatus.IN_SERVICE)
    ):
        if room_type_id in active:
            rooms_by_type[room_type_id].append(room_id)
    booked: dict[int, int] = defaultdict(int)
    held = select(Booking.room_id, Booking.check_in, Booking.check_out).where(
        Booking.status.in_(HOLDS_ROOM), Booking.check_out > origin
    )
    for room_id, check_in, check_out in await connection.execute(held):
        first = max((check_in - origin).days, 0)
        booked[room_id] |= ((1 << ((check_out - origin).days - first)) - 1) << first
    rates = await seasonal_rates(connection)
    galleries: dict[int, list[int]] = defaultdict(list)
    for room_type_id, upload_id in await connection.execute(GALLERIES):
        galleries[room_type_id].append(upload_id)
    return InventorySnapshot(
        version, origin, room_types, dict(rooms_by_type), dict(booked), rates, dict(galleries)
    )


async def seasonal_rates(
    connection: AsyncConnection,
    query: Select[int, date, date, int] = SEASONAL_RATES,
    params: dict[str, Any] | None = None,
) -> dict[int, list[SeasonalRate]]:
    """Seasonal rates by room type (all of them, or those `query` narrows to)."""
    rates: dict[int, list[SeasonalRate]] = defaultdict(list)
    for room_type_id, starts, ends, amount in await connection.execute(query, params):
        rates[room_type_id].append(SeasonalRate(starts, ends, amount))
    return dict(rates)


class InventoryCache:
    """One snapshot per process, reloaded when the database's version moves on."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._snapshot: InventorySnapshot | None = None
        self._reloading: asyncio.Task[InventorySnapshot] | None = None
        self._checks_started = 0
        self._check: asyncio.Task[int] | None = None  # always the latest started

    async def snapshot(self, *, today: date) -> InventorySnapshot:
        version = await self.database_version()
        while True:
            current = self._snapshot
            if current is not None and current.version >= version:
                return current
            # Searches arriving during a reload share it rather than each running their
            # own. One that began before our version was read may be too old for us: then
            # the next one, which begins after, is not.
            if self._reloading is None:
                self._reloading = asyncio.create_task(self._reload(today))
            await asyncio.shield(self._reloading)

    async def database_version(self) -> int:
        """The version as committed when this call began (or later).

        Concurrent callers share one read, but only a read that started after they
        arrived: one already in flight may have missed a commit the caller has seen.
        """
        needed = self._checks_started + 1
        while True:
            check = self._check
            if check is None or check.done():
                self._checks_started += 1
                check = self._check = asyncio.create_task(self._read_version())
            if self._checks_started >= needed:
                return await asyncio.shield(check)
            await asyncio.shield(check)  # too early for us: wait, then start or join the next

    async def _read_version(self) -> int:
        async with self._database.read_engine.connect() as connection:
            return await _current_version(connection)

    async def _reload(self, today: date) -> InventorySnapshot:
        try:
            async with self._database.read_engine.connect() as connection:
                snapshot = await load_snapshot(connection, today=today)
            self._snapshot = snapshot
            return snapshot
        finally:
            self._reloading = None
