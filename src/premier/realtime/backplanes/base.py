"""How numbered events travel between API instances and where their history is kept.

`database` (the embedded default) numbers events in this process and keeps the history in
the `realtime_events` table; `redis` numbers them in Redis, keeps the history in one Redis
Stream per channel and carries them to every instance over pub/sub.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(slots=True, frozen=True)
class Outgoing:
    """A committed domain event, serialized once, waiting for its sequence numbers."""

    event_id: str
    channels: tuple[str, ...]
    tail: str  # the frame after its sequence number (see protocol.event_tail)
    ts: float  # seconds since the epoch, when the event was handed to the hub
    span: tuple[date, date] | None  # the dates it touches, for the availability filter


@dataclass(slots=True, frozen=True)
class Delivery:
    """A numbered event ready for the local subscribers: (channel, seq, frame) per channel."""

    event_id: str
    frames: tuple[tuple[str, int, str], ...]
    span: tuple[date, date] | None


@dataclass(slots=True, frozen=True)
class Entry:
    seq: int
    event_id: str
    ts: float
    frame: str


@dataclass(slots=True, frozen=True)
class Head:
    """The newest event of a channel (`event_id` is None when its history has expired)."""

    seq: int
    event_id: str | None


Deliver = Callable[[Delivery], None]
# Called when events may have passed this instance by (its link to the others was down).
Interrupted = Callable[[], None]


class Backplane(Protocol):
    async def start(self, deliver: Deliver, interrupted: Interrupted | None = None) -> None:
        """Begin calling `deliver` with every numbered event, in order per channel, and
        `interrupted` each time the delivery resumes after a break (what was published
        meanwhile is in the history, not delivered)."""

    async def stop(self) -> None: ...

    async def publish(self, batch: list[Outgoing]) -> None:
        """Number, record and send these events (in this order). Safe to call again with
        the same batch after it failed: an event is numbered once however often it is
        published."""

    async def head(self, channel: str) -> Head: ...

    async def seq_of(self, channel: str, event_id: str) -> int | None:
        """The sequence number of this event on this channel, if it is still in the history."""

    async def event_id_at(self, channel: str, seq: int) -> str | None: ...

    async def entries_after(self, channel: str, seq: int, *, limit: int) -> list[Entry]: ...

    async def trim(self) -> None:
        """Forget what is older than the history window."""
