"""Numbering and history in Redis, events carried to every instance over pub/sub.

One Lua script per event numbers it on each of its channels (INCR), appends the frame to
the channel's stream with the sequence number as the entry id, and publishes it, all
atomically: so every instance sees the events of a channel in the order of their numbers,
and a stream entry exists before anybody can hear of it. The script first marks the event
as published (a key that lives as long as the history): an event published again, after
a failure left unknown how far its batch got, is not numbered twice.

Pub/sub forgets what it carried while an instance was cut off: when the listener is back
it calls `interrupted`, and the hub reads what it missed from the streams. A command on a
pooled connection that broke meanwhile is sent once more on a fresh one; a Redis that is
really down fails the command at once, for the caller to retry later.
"""

import asyncio
import contextlib
import json
from datetime import date
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError, RedisError, TimeoutError

from premier.kit.redis import POOL_SIZE, pooled
from premier.realtime.backplanes.base import Deliver, Delivery, Entry, Head, Interrupted, Outgoing

log = structlog.get_logger(__name__)

CONNECT_TIMEOUT_SECONDS = 2.0

# KEYS: the event's published mark, then seq key, stream key for each channel. ARGV: meta
# line, frame tail, maxlen, ttl seconds, pub/sub channel, event id, ts, the channel names.
PUBLISH_SCRIPT = """
if not redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[4]) then
  return 0
end
local parts = {ARGV[1]}
for i = 1, (#KEYS - 1) / 2 do
  local channel = ARGV[7 + i]
  local seq = redis.call('INCR', KEYS[2 * i])
  local frame = '{"type":"event","channel":"' .. channel .. '","seq":' .. seq .. ARGV[2]
  redis.call('XADD', KEYS[2 * i + 1], 'MAXLEN', '~', ARGV[3], seq .. '-0',
             'f', frame, 'e', ARGV[6], 't', ARGV[7])
  redis.call('EXPIRE', KEYS[2 * i + 1], ARGV[4])
  parts[#parts + 1] = channel .. '\\t' .. seq .. '\\t' .. frame
end
redis.call('PUBLISH', ARGV[5], table.concat(parts, '\\n'))
return 1
"""


class RedisBackplane:
    def __init__(
        self,
        *,
        url: str,
        prefix: str,
        history_seconds: int,
        history_max_events: int,
        max_connections: int = POOL_SIZE,
    ) -> None:
        self.redis: Redis = pooled(
            url, max_connections=max_connections, decode_responses=True,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            # Once, straight away: a broken pooled connection is replaced and the command
            # goes through; a Redis that is down fails fast (the default retries with
            # back-off hold a subscribe or the publisher for seconds, and older clients do
            # not retry at all).
            retry=Retry(NoBackoff(), 1), retry_on_error=[ConnectionError, TimeoutError],
        )  # fmt: skip
        self.prefix = prefix
        self.history_seconds = history_seconds
        self.history_max_events = history_max_events
        self.topic = f"{prefix}:rt:events"
        self._script = self.redis.register_script(PUBLISH_SCRIPT)
        self._listener: asyncio.Task[None] | None = None
        self._tried = asyncio.Event()

    def _seq_key(self, channel: str) -> str:
        return f"{self.prefix}:rt:seq:{channel}"

    def _stream_key(self, channel: str) -> str:
        return f"{self.prefix}:rt:stream:{channel}"

    def _published_key(self, event_id: str) -> str:
        return f"{self.prefix}:rt:published:{event_id}"

    async def start(self, deliver: Deliver, interrupted: Interrupted | None = None) -> None:
        self._listener = asyncio.create_task(
            self._listen(deliver, interrupted), name="realtime-redis"
        )
        # Listen before serving, so that no event passes us by; but an unreachable Redis
        # must not keep the API from starting (the listener keeps trying).
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._tried.wait(), timeout=5)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
        await self.redis.aclose()

    async def _listen(self, deliver: Deliver, interrupted: Interrupted | None) -> None:
        delay = 0.1
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.topic)
                self._tried.set()
                delay = 0.1
                if interrupted is not None:
                    # Listening again (or at last): what was published while we were not
                    # is in the streams only. On the first start nobody is subscribed yet.
                    interrupted()
                while True:
                    message = await pubsub.get_message(timeout=None)
                    if message is not None and message["type"] == "message":
                        deliver(parse_delivery(message["data"]))
            except asyncio.CancelledError:
                await pubsub.aclose()  # type: ignore[no-untyped-call]
                raise
            except (RedisError, OSError):
                self._tried.set()
                log.warning("realtime_redis_listener_reconnecting", exc_info=True)
                await pubsub.aclose()  # type: ignore[no-untyped-call]
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def publish(self, batch: list[Outgoing]) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            for event in batch:
                keys: list[str] = [self._published_key(event.event_id)]
                for channel in event.channels:
                    keys += [self._seq_key(channel), self._stream_key(channel)]
                meta = json.dumps(
                    {"id": event.event_id, "span": [d.isoformat() for d in event.span]}
                    if event.span
                    else {"id": event.event_id}
                )
                args: list[Any] = [meta, event.tail, self.history_max_events,
                                   self.history_seconds, self.topic, event.event_id,
                                   f"{event.ts:.6f}", *event.channels]  # fmt: skip
                await self._script(keys=keys, args=args, client=pipe)
            await pipe.execute()

    async def _range(self, channel: str, low: str, high: str, **kw: Any) -> list[Entry]:
        found: Any = await self.redis.xrange(self._stream_key(channel), low, high, **kw)
        return [_entry(entry_id, fields) for entry_id, fields in found]

    async def _newest(self, channel: str, count: int) -> list[Entry]:
        found: Any = await self.redis.xrevrange(self._stream_key(channel), count=count)
        return [_entry(entry_id, fields) for entry_id, fields in found]

    async def head(self, channel: str) -> Head:
        newest = await self._newest(channel, 1)
        if newest:
            return Head(newest[0].seq, newest[0].event_id)
        seq: Any = await self.redis.get(self._seq_key(channel))
        return Head(int(seq) if seq else 0, None)

    async def seq_of(self, channel: str, event_id: str) -> int | None:
        for entry in await self._newest(channel, self.history_max_events * 2):
            if entry.event_id == event_id:
                return entry.seq
        return None

    async def event_id_at(self, channel: str, seq: int) -> str | None:
        found = await self._range(channel, f"{seq}-0", f"{seq}-0")
        return found[0].event_id if found else None

    async def entries_after(self, channel: str, seq: int, *, limit: int) -> list[Entry]:
        return await self._range(channel, f"{seq + 1}-0", "+", count=limit)

    async def trim(self) -> None:
        """Streams are capped by length when written and expire when idle."""


def _entry(entry_id: str, fields: dict[str, str]) -> Entry:
    return Entry(int(entry_id.split("-")[0]), fields["e"], float(fields["t"]), fields["f"])


def parse_delivery(message: str) -> Delivery:
    meta_line, *lines = message.split("\n")
    meta = json.loads(meta_line)
    frames = []
    for line in lines:
        channel, seq, frame = line.split("\t", 2)
        frames.append((channel, int(seq), frame))
    span = meta.get("span")
    return Delivery(
        meta["id"],
        tuple(frames),
        (date.fromisoformat(span[0]), date.fromisoformat(span[1])) if span else None,
    )
