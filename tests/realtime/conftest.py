"""Fixtures of the scale-out tests: a Redis key prefix of their own, two instances."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from premier.db import Database
from tests.realtime.instances import REDIS_URL, Instance


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"premier-test-{uuid.uuid4().hex[:12]}"
    yield name

    async def _clean() -> None:
        redis = Redis.from_url(REDIS_URL or "")
        keys = [key async for key in redis.scan_iter(f"{name}:*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()

    asyncio.run(_clean())


@pytest.fixture
async def instances(
    database: Database, database_url: str, prefix: str, tmp_path: Path
) -> AsyncIterator[list[Instance]]:
    pair = [Instance(database_url=database_url, prefix=prefix, folder=tmp_path) for _ in "AB"]
    try:
        await asyncio.gather(*(instance.wait_ready() for instance in pair))
        yield pair
    finally:
        for instance in pair:
            instance.stop()
