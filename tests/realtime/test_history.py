"""The database backplane numbers each channel's events and keeps their history, without
remembering every channel it ever numbered (each booking, order and payment has one)."""

import time

from premier.db import Database
from premier.realtime.backplanes.base import Delivery, Head, Outgoing
from premier.realtime.backplanes.database import DatabaseBackplane
from premier.realtime.protocol import event_tail


def outgoing(event_id: str, *channels: str) -> Outgoing:
    tail = event_tail(event_id=event_id, event_type="booking.created", ts=0, data_json="{}")
    return Outgoing(event_id=event_id, channels=channels, tail=tail, ts=time.time(), span=None)


async def test_a_forgotten_channel_carries_on_its_numbering(database: Database) -> None:
    heard: list[Delivery] = []
    backplane = DatabaseBackplane(database=database, history_seconds=3600, max_channels=2)
    await backplane.start(heard.append)
    await backplane.publish([outgoing("e1", "booking:1", "role:manager")])
    await backplane.publish([outgoing("e2", "booking:2"), outgoing("e3", "booking:3")])
    await backplane.publish([outgoing("e4", "booking:1", "role:manager")])

    numbered = [(channel, seq) for d in heard for channel, seq, _ in d.frames]
    assert numbered == [
        ("booking:1", 1), ("role:manager", 1), ("booking:2", 1), ("booking:3", 1),
        ("booking:1", 2), ("role:manager", 2),
    ]  # fmt: skip
    assert len(backplane._newest) <= 2, "it remembers at most max_channels channels"
    assert await backplane.head("booking:2") == Head(1, "e2")
    assert [e.event_id for e in await backplane.entries_after("booking:1", 0, limit=10)] == [
        "e1",
        "e4",
    ]
    await backplane.stop()
