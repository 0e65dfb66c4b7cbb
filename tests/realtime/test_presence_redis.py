"""Presence across instances sharing one Redis: a user is online while any instance has a
socket of theirs, and an instance that dies without a word takes its users offline."""

from collections.abc import AsyncIterator

import pytest

from premier.auth.actor import Actor
from premier.events import DepartmentAvailable, DomainEvent, PresenceChanged
from premier.realtime.presence import Presence, RedisStore
from premier.users.models import Department, Role
from tests.realtime.instances import REDIS_URL

pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="presence across instances needs a real Redis: set PREMIER_TEST_REDIS_URL"
)

FAITH = Actor(id=7, email="faith@hotel.test", role=Role.STAFF,
              department=Department.FRONT_DESK, is_vip=False)  # fmt: skip


class Instance:
    def __init__(self, prefix: str) -> None:
        self.heard: list[DomainEvent] = []
        self.store = RedisStore(url=REDIS_URL or "", prefix=prefix)
        self.presence = Presence(store=self.store, publish=self._publish, grace_seconds=0)

    async def _publish(self, event: DomainEvent) -> None:
        self.heard.append(event)

    def said(self) -> list[tuple[str, int, bool]]:
        out = []
        for event in self.heard:
            if isinstance(event, PresenceChanged):
                out.append(("changed", event.user_id, event.online))
            elif isinstance(event, DepartmentAvailable):
                out.append(("available", 0, event.available))
        return out


@pytest.fixture
async def pair(prefix: str) -> AsyncIterator[tuple[Instance, Instance]]:
    a, b = Instance(prefix), Instance(prefix)
    await a.presence.start()
    await b.presence.start()
    yield a, b
    await a.presence.stop()
    await b.presence.stop()


async def test_a_user_open_on_two_instances_is_offline_only_when_both_close(
    pair: tuple[Instance, Instance],
) -> None:
    a, b = pair
    a.presence.opened(FAITH)
    await a.presence.settled()
    assert a.said() == [("changed", 7, True), ("available", 0, True)]
    b.presence.opened(FAITH)
    await b.presence.settled()
    assert b.said() == []  # already online, through A
    assert await b.presence.online("front_desk") == {7}
    a.presence.closed(FAITH)
    await a.presence.settled()
    assert a.said() == [("changed", 7, True), ("available", 0, True)]  # still on B
    assert await a.presence.online("front_desk") == {7}
    b.presence.closed(FAITH)
    await b.presence.settled()
    assert b.said() == [("changed", 7, False), ("available", 0, False)]
    assert await a.presence.online("front_desk") == set()


async def test_an_instance_that_stops_takes_its_users_offline_for_the_others(
    pair: tuple[Instance, Instance],
) -> None:
    a, b = pair
    a.presence.opened(FAITH)
    await a.presence.settled()
    # A lapses without closing its sockets (it stopped, or lost Redis for good).
    await a.store.redis.zadd(a.store.alive_key, {a.store.instance: 0})
    assert await b.presence.online("front_desk") == set()  # readers skip it at once
    for department, user_id, count in await b.store.lapsed():
        assert (department, user_id, count) == ("front_desk", 7, 0)
        break
    else:
        raise AssertionError("B did not notice A's users leaving")
    assert await b.store.lapsed() == []  # once only


async def test_an_instance_back_after_lapsing_puts_its_users_back_online(
    pair: tuple[Instance, Instance],
) -> None:
    a, b = pair
    a.presence.opened(FAITH)
    await a.presence.settled()
    # A was cut off from Redis too long: B took Faith offline.
    await a.store.redis.zadd(a.store.alive_key, {a.store.instance: 0})
    await b.presence.heartbeat()
    assert b.said() == [("changed", 7, False), ("available", 0, False)]
    # A is back: its next heartbeat finds Faith missing and brings her back, once.
    await a.presence.heartbeat()
    await a.presence.settled()
    await a.presence.heartbeat()
    await a.presence.settled()
    assert a.said()[-2:] == [("changed", 7, True), ("available", 0, True)]
    assert len(a.said()) == 4
    assert await b.presence.online("front_desk") == {7}
