"""The connection pool serves waiting requests in arrival order: a connection returned
while others wait goes to the one that has waited longest, never to a newcomer."""

import asyncio

import pytest
from sqlalchemy.util import queue as sqla_queue
from sqlalchemy.util.concurrency import greenlet_spawn

from premier.db.pool import FairQueue


def checkout(pool: FairQueue, timeout: float) -> "asyncio.Task[object]":
    return asyncio.create_task(greenlet_spawn(pool.get, True, timeout))


async def test_a_returned_connection_goes_to_the_longest_waiting_request() -> None:
    pool = FairQueue(maxsize=2)
    first, second = checkout(pool, 5), checkout(pool, 5)
    await asyncio.sleep(0.01)  # both are waiting, first in line
    pool.put_nowait("connection")
    # A request asking at this very moment would have taken it from the plain queue.
    with pytest.raises(sqla_queue.Empty):
        await greenlet_spawn(pool.get, True, 0.05)
    assert await first == "connection"
    assert not second.done()
    pool.put_nowait("another")
    assert await second == "another"


async def test_a_connection_handed_to_a_request_as_it_is_cancelled_is_not_lost() -> None:
    pool = FairQueue(maxsize=2)
    cancelled, patient = checkout(pool, 5), checkout(pool, 5)
    await asyncio.sleep(0.01)
    pool.put_nowait("connection")  # handed to the first request...
    cancelled.cancel()  # ...which is cancelled before it runs again
    (outcome,) = await asyncio.gather(cancelled, return_exceptions=True)
    if outcome == "connection":  # it kept it after all (Python 3.11): it returns it
        pool.put_nowait(outcome)
    assert await asyncio.wait_for(patient, 1) == "connection"


async def test_with_nobody_waiting_a_connection_is_taken_at_once() -> None:
    pool = FairQueue(maxsize=1)
    pool.put_nowait("idle")
    assert await greenlet_spawn(pool.get, True, 0.05) == "idle"
    with pytest.raises(sqla_queue.Empty):
        await greenlet_spawn(pool.get, True, 0.01)
