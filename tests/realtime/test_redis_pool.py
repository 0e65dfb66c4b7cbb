"""A burst of subscriptions larger than the Redis pool waits for connections, not fails."""

import asyncio
import uuid

import pytest

from premier.realtime.backplanes.redis import RedisBackplane
from tests.realtime.instances import REDIS_URL

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs PREMIER_TEST_REDIS_URL")


async def test_a_burst_of_subscriptions_beyond_the_pool_all_get_their_heads() -> None:
    """A shift starting: many sockets subscribe at once, each asking Redis for its
    channel's head; with 3 connections, 60 at once all get an answer."""
    backplane = RedisBackplane(
        url=REDIS_URL or "", prefix=f"test-{uuid.uuid4().hex[:8]}", history_seconds=60,
        history_max_events=100, max_connections=3,
    )  # fmt: skip
    try:
        heads = await asyncio.gather(*(backplane.head(f"user:{n}") for n in range(60)))
    finally:
        await backplane.stop()
    assert len(heads) == 60
    assert all(head.seq == 0 for head in heads), heads[:3]
