"""Who of a department's staff is online: they have a WebSocket open, on any instance.

A staff member is online from their first open socket to their last closed one, across
tabs, devices and (with Redis) API instances: two tabs open means offline only once both
have closed. Each instance counts its own sockets per user and tells the store only when a
user's count here goes from 0 to 1 (`arrive`) or back to 0 (`leave`); the store answers
whether that changed the user's state over all instances. A socket that closes is counted
out after a short grace, so a reload does not flash "offline" to colleagues.

Two events come of it, each on the channel of those allowed to hear it (the access table's
("presence", "list_staff") and ("presence", "read") rules, checked where channels are
authorized). Neither goes on the department's own channel, so comings and goings never
crowd its resume history:
- `presence.changed` on `presence:<d>` (its staff and managers): who came or went, and
  how many are online now;
- `presence.available` on `online:<d>` (anyone signed in, guests too): whether anyone of
  the department is online, sent when that flips; never who.

Only staff with a department are counted: a guest's or a manager's sockets tell nobody
anything.

With Redis each instance writes `<user>:<instance>` fields into one hash per department
and keeps its own entry in a sorted set of live instances, scored by when it lapses (it
refreshes it every few seconds). An instance that stops without saying so lapses: readers
skip its fields at once, and the first live instance to notice removes them and announces
who went offline with it.
"""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import structlog

from premier.auth.actor import Actor
from premier.events import DepartmentAvailable, DomainEvent, PresenceChanged
from premier.users.models import Department, Role

log = structlog.get_logger(__name__)

LEAVE_GRACE_SECONDS = 3.0
INSTANCE_TTL_SECONDS = 15.0
HEARTBEAT_SECONDS = 5.0

Publish = Callable[[DomainEvent], Awaitable[None]]


class PresenceStore(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def arrive(self, user_id: int, department: str) -> tuple[bool, int]:
        """The user opened their first socket here: (online anywhere newly, online count
        of the department now)."""

    async def leave(self, user_id: int, department: str) -> tuple[bool, int]:
        """The user closed their last socket here: (offline everywhere now, online count)."""

    async def online(self, department: str) -> set[int]: ...

    async def lapsed(self) -> list[tuple[str, int, int]]:
        """Users who went offline with an instance that stopped without saying so:
        (department, user id, department's online count after)."""


class LocalStore:
    """One instance: its own counts are the whole truth."""

    def __init__(self) -> None:
        self._online: dict[str, set[int]] = {}

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def arrive(self, user_id: int, department: str) -> tuple[bool, int]:
        users = self._online.setdefault(department, set())
        new = user_id not in users
        users.add(user_id)
        return new, len(users)

    async def leave(self, user_id: int, department: str) -> tuple[bool, int]:
        users = self._online.setdefault(department, set())
        gone = user_id in users
        users.discard(user_id)
        return gone, len(users)

    async def online(self, department: str) -> set[int]:
        return set(self._online.get(department, ()))

    async def lapsed(self) -> list[tuple[str, int, int]]:
        return []


# The users of a department hash with a live instance: a Lua helper shared by the scripts.
# KEYS[1] department hash, KEYS[2] live instances; ARGV[1] now.
_LIVE_USERS = """
local function live_users(hash, alive, now)
  local users, count = {}, 0
  for _, field in ipairs(redis.call('HKEYS', hash)) do
    local user, instance = string.match(field, '^(%d+):(.+)$')
    local lapses = redis.call('ZSCORE', alive, instance)
    if user and lapses and tonumber(lapses) > now and not users[user] then
      users[user] = true
      count = count + 1
    end
  end
  return users, count
end
"""

# ARGV: now, user, instance, 1 to arrive or 0 to leave. Returns {changed, count}.
_MOVE = (
    _LIVE_USERS
    + """
local now, user, field = tonumber(ARGV[1]), ARGV[2], ARGV[2] .. ':' .. ARGV[3]
local before = live_users(KEYS[1], KEYS[2], now)[user] == true
if ARGV[4] == '1' then
  redis.call('HSET', KEYS[1], field, 1)
else
  redis.call('HDEL', KEYS[1], field)
end
local users, count = live_users(KEYS[1], KEYS[2], now)
local after = users[user] == true
return {before ~= after and 1 or 0, count}
"""
)

_ONLINE = (
    _LIVE_USERS
    + """
local users = live_users(KEYS[1], KEYS[2], tonumber(ARGV[1]))
local out = {}
for user in pairs(users) do out[#out + 1] = user end
return out
"""
)

# Remove a lapsed instance's fields from one department hash. ARGV: now, instance.
# Returns the users who are offline now, then the department's count, last.
_SWEEP = (
    _LIVE_USERS
    + """
local now, instance = tonumber(ARGV[1]), ARGV[2]
local gone = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  local user, owner = string.match(field, '^(%d+):(.+)$')
  if owner == instance then
    redis.call('HDEL', KEYS[1], field)
    gone[#gone + 1] = user
  end
end
local users, count = live_users(KEYS[1], KEYS[2], now)
local out = {}
for _, user in ipairs(gone) do
  if not users[user] then out[#out + 1] = user end
end
out[#out + 1] = count
return out
"""
)


class RedisStore:
    """Presence over every instance sharing a Redis (see the module's doc)."""

    def __init__(self, *, url: str, prefix: str) -> None:
        from premier.kit.redis import pooled

        self.redis: Any = pooled(url, decode_responses=True, socket_connect_timeout=2)
        self.prefix = prefix
        self.instance = uuid.uuid4().hex[:12]
        self.alive_key = f"{prefix}:rt:presence:alive"
        self._move = self.redis.register_script(_MOVE)
        self._online = self.redis.register_script(_ONLINE)
        self._sweep = self.redis.register_script(_SWEEP)

    def _hash(self, department: str) -> str:
        return f"{self.prefix}:rt:presence:{department}"

    async def start(self) -> None:
        await self.heartbeat()

    async def heartbeat(self) -> None:
        await self.redis.zadd(self.alive_key, {self.instance: time.time() + INSTANCE_TTL_SECONDS})

    async def stop(self) -> None:
        """Lapse now: the next live instance to look sweeps our users out, and says so."""
        try:
            await self.redis.zadd(self.alive_key, {self.instance: 0})
        finally:
            await self.redis.aclose()

    async def arrive(self, user_id: int, department: str) -> tuple[bool, int]:
        return await self._moved(user_id, department, arrive=True)

    async def leave(self, user_id: int, department: str) -> tuple[bool, int]:
        return await self._moved(user_id, department, arrive=False)

    async def _moved(self, user_id: int, department: str, *, arrive: bool) -> tuple[bool, int]:
        changed, count = await self._move(
            keys=[self._hash(department), self.alive_key],
            args=[time.time(), user_id, self.instance, 1 if arrive else 0],
        )
        return bool(changed), int(count)

    async def online(self, department: str) -> set[int]:
        users = await self._online(keys=[self._hash(department), self.alive_key],
                                   args=[time.time()])  # fmt: skip
        return {int(u) for u in users}

    async def lapsed(self) -> list[tuple[str, int, int]]:
        await self.heartbeat()
        now = time.time()
        dead: list[str] = await self.redis.zrangebyscore(self.alive_key, "-inf", now)
        found: list[tuple[str, int, int]] = []
        for instance in dead:
            if not await self.redis.zrem(self.alive_key, instance):
                continue  # another instance claimed it first
            for department in Department:
                out = await self._sweep(keys=[self._hash(department.value), self.alive_key],
                                        args=[now, instance])  # fmt: skip
                *users, count = out
                found += [(department.value, int(u), int(count)) for u in users]
        return found


def counted(actor: Actor) -> str | None:
    """The department whose presence this user's sockets count towards, if any."""
    if actor.role == Role.STAFF and actor.department is not None:
        return actor.department.value
    return None


class Presence:
    """This instance's sockets per user, and the events when a user comes or goes."""

    def __init__(
        self, *, store: PresenceStore, publish: Publish, grace_seconds: float = LEAVE_GRACE_SECONDS
    ) -> None:
        self.store = store
        self.publish = publish
        self.grace_seconds = grace_seconds
        self._sockets: dict[int, int] = {}
        self._department_of: dict[int, str] = {}
        self._leaving: dict[int, asyncio.TimerHandle] = {}
        # Store calls in order, one at a time: an arrival never overtakes a departure.
        self._changes: asyncio.Queue[tuple[int, str, bool]] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        try:
            await self.store.start()
        except Exception:
            # An unreachable Redis must not keep the API from starting: the heartbeat keeps
            # trying, and arrivals are told to the store as it answers again.
            log.warning("presence_store_unavailable", exc_info=True)
        self._tasks = [asyncio.create_task(self._apply_forever(), name="presence")]
        if isinstance(self.store, RedisStore):
            self._tasks.append(asyncio.create_task(self._sweep_forever(), name="presence-sweep"))

    async def stop(self) -> None:
        for handle in self._leaving.values():
            handle.cancel()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        try:
            await self.store.stop()
        except Exception:
            log.warning("presence_stop_failed", exc_info=True)

    def opened(self, actor: Actor) -> None:
        department = counted(actor)
        if department is None:
            return
        user_id = actor.id
        self._sockets[user_id] = self._sockets.get(user_id, 0) + 1
        self._department_of[user_id] = department
        waiting = self._leaving.pop(user_id, None)
        if waiting is not None:
            waiting.cancel()  # back within the grace: never gone
        elif self._sockets[user_id] == 1:
            self._changes.put_nowait((user_id, department, True))

    def closed(self, actor: Actor) -> None:
        department = counted(actor)
        if department is None or actor.id not in self._sockets:
            return
        user_id = actor.id
        self._sockets[user_id] -= 1
        if self._sockets[user_id] > 0:
            return
        del self._sockets[user_id]
        del self._department_of[user_id]

        def gone() -> None:
            self._leaving.pop(user_id, None)
            self._changes.put_nowait((user_id, department, False))

        if self.grace_seconds > 0:
            loop = asyncio.get_running_loop()
            self._leaving[user_id] = loop.call_later(self.grace_seconds, gone)
        else:
            gone()

    async def online(self, department: str) -> set[int]:
        return await self.store.online(department)

    async def settled(self) -> None:
        """Return once every change so far reached the store (and its event the hub)."""
        await self._changes.join()

    async def _apply_forever(self) -> None:
        while True:
            user_id, department, arrived = await self._changes.get()
            try:
                await self._apply(user_id, department, arrived)
            except Exception:
                log.warning("presence_update_failed", user_id=user_id, exc_info=True)
            finally:
                self._changes.task_done()

    async def _apply(self, user_id: int, department: str, arrived: bool) -> None:
        if arrived:
            changed, count = await self.store.arrive(user_id, department)
        else:
            changed, count = await self.store.leave(user_id, department)
        if changed:
            await self._announce(department, user_id, arrived, count)

    async def _announce(self, department: str, user_id: int, online: bool, count: int) -> None:
        await self.publish(PresenceChanged(department=department, user_id=user_id,
                                           online=online, online_count=count))  # fmt: skip
        # The first one in, or the last one out: the department's availability flipped.
        if count == (1 if online else 0):
            await self.publish(DepartmentAvailable(department=department, available=online))

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                await self.heartbeat()
            except Exception:
                log.warning("presence_heartbeat_failed", exc_info=True)

    async def heartbeat(self) -> None:
        """Say this instance is alive, take lapsed instances' users offline, and put back
        this instance's users the store lost."""
        for department, user_id, count in await self.store.lapsed():
            await self._announce(department, user_id, False, count)
        await self._reassert()

    async def _reassert(self) -> None:
        """Users with a socket here whom the store does not know as online (it was down when
        they came, or this instance lapsed meanwhile and was swept out) arrive again."""
        departments: dict[str, set[int]] = {}
        for user_id, department in self._department_of.items():
            departments.setdefault(department, set()).add(user_id)
        for department, users in departments.items():
            for user_id in users - await self.store.online(department):
                self._changes.put_nowait((user_id, department, True))
