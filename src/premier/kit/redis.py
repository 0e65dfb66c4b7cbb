"""A Redis client whose commands wait their turn for a connection.

redis-py's default pool refuses a command outright ("Too many connections") once 100
connections are in use. A shift starting opens thousands of sockets at once, each
subscribing (one command apiece) and each counted present: past the hundredth, those
subscriptions failed and the browsers had to try again. A blocking pool queues them
instead, for up to `WAIT_SECONDS`, on the same number of connections.
"""

from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis

POOL_SIZE = 100
WAIT_SECONDS = 10.0


def pooled(url: str, *, max_connections: int = POOL_SIZE, **options: Any) -> Redis:
    """A client for `url` (options as `Redis.from_url` takes them) on a blocking pool of
    `max_connections`, closed with the client."""
    pool = BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=WAIT_SECONDS, **options
    )
    return Redis.from_pool(pool)
