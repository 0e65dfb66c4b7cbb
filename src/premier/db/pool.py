"""A connection pool that serves its waiters in the order they came.

SQLAlchemy's asyncio pool keeps idle connections in an `asyncio.Queue`. When a connection is
returned, the queue wakes its oldest waiter, but any request that asks before that waiter
runs takes the connection first, and the waiter goes back to the end of the line. Under
load a few requests lose that race again and again, and the slowest answers take many times
the median. Here a returned connection is handed straight to the oldest waiter, and a
newcomer queues behind everyone already waiting.
"""

import asyncio
from collections import deque
from contextlib import suppress
from typing import Any

from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.util import queue as sqla_queue
from sqlalchemy.util.concurrency import await_


class FairQueue(sqla_queue.AsyncAdaptedQueue[Any]):
    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        super().__init__(maxsize, use_lifo)
        self._waiters: deque[asyncio.Future[Any]] = deque()

    def put_nowait(self, item: Any) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(item)
                return
        super().put_nowait(item)

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        self.put_nowait(item)

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if not self._waiters and not self.empty():
            return self.get_nowait()
        if not block:
            raise sqla_queue.Empty()
        waiter: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await_(asyncio.wait_for(waiter, timeout))
        except BaseException as err:
            if waiter.done() and not waiter.cancelled():
                self.put_nowait(waiter.result())  # handed over as we gave up: pass it on
            else:
                waiter.cancel()
            with suppress(ValueError):
                self._waiters.remove(waiter)
            if isinstance(err, TimeoutError):
                raise sqla_queue.Empty() from err
            raise


class FairAsyncPool(AsyncAdaptedQueuePool):
    _queue_class = FairQueue
