"""Signed-in users kept for a few seconds, so most requests skip reading their user row.

Entries are keyed by token version, and a `user.changed` event drops a user at once on this
instance; other instances notice within the time to live.
"""

import random
import time

from premier import events
from premier.auth.actor import Actor


class ActorCache:
    def __init__(self, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[tuple[int, int], tuple[float, Actor]] = {}

    def get(self, user_id: int, token_version: int) -> Actor | None:
        entry = self._entries.get((user_id, token_version))
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, token_version: int, actor: Actor) -> None:
        if self.ttl_seconds <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        # Spread over the last half of the time to live: users who signed in together (a
        # shift starting, a load test) would otherwise all miss at once and queue for
        # connections together.
        ttl = self.ttl_seconds * random.uniform(0.5, 1.0)
        self._entries[(actor.id, token_version)] = (time.monotonic() + ttl, actor)

    def forget(self, user_id: int) -> None:
        for key in [k for k in self._entries if k[0] == user_id]:
            del self._entries[key]

    async def on_user_changed(self, event: events.DomainEvent) -> None:
        if isinstance(event, events.UserChanged):
            self.forget(event.user_id)
