"""Domain events and the bus that carries them.

Services `emit` events into the session that holds their change. Handlers subscribed
`deferred` (the notification fan-out: in-app rows, email, SMS) run later: `emit` writes the
event to the `event_outbox` table in the change's transaction, so a rollback sends nothing
and a crash after commit loses nothing, and the `EventDispatcher` runs them in a transaction
of their own, away from the request that made the change. Everything else runs after
`commit` succeeds (live updates), so nobody hears of a change that did not happen.
"""

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime
from functools import cache
from typing import Any, ClassVar
from uuid import uuid4

import structlog
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from premier.db import core_table
from premier.db.bulk import insert_new
from premier.events.models import OutboxEvent, QueueStatus
from premier.kit.time import utcnow

log = structlog.get_logger(__name__)
OUTBOX = core_table(OutboxEvent)


class DomainEvent(BaseModel):
    type: ClassVar[str]
    event_id: str = Field(default_factory=lambda: uuid4().hex)
    occurred_at: datetime = Field(default_factory=utcnow)

    # Fields that only route the event (who hears it) and are not for its listeners'
    # eyes: left out of what the realtime layer sends.
    routing_only: ClassVar[frozenset[str]] = frozenset()

    def channels(self) -> list[str]:
        """Realtime channels whose subscribers may see this event."""
        return []

    def live_json(self) -> str:
        """The event as its listeners receive it."""
        return self.model_dump_json(exclude=set(self.routing_only))

    def date_span(self) -> tuple[date, date] | None:
        """The nights the event is about, first to the one after the last, for listeners
        who asked for a window of dates (availability); None when it is about no dates."""
        return None


DeferredHandler = Callable[[AsyncSession, DomainEvent], Awaitable[None]]
# Takes every event of one type in a dispatched batch at once, so its work for all of them
# can go to the database in a few statements.
BatchHandler = Callable[[AsyncSession, Sequence[DomainEvent]], Awaitable[None]]
AfterCommitHandler = Callable[[DomainEvent], Awaitable[None]]
ALL = "*"


class EventBus:
    """In-process bus; the realtime layer forwards to Redis when several instances run."""

    def __init__(self) -> None:
        self._deferred: dict[str, list[BatchHandler]] = defaultdict(list)
        self._after_commit: dict[str, list[AfterCommitHandler]] = defaultdict(list)
        # Set when this process commits outbox rows, so its dispatcher need not poll.
        self.outbox_written = asyncio.Event()

    def subscribe_deferred(self, event_type: str, handler: DeferredHandler) -> None:
        async def each(session: AsyncSession, batch: Sequence[DomainEvent]) -> None:
            for event in batch:
                await handler(session, event)

        self._deferred[event_type].append(each)

    def subscribe_deferred_batch(self, event_type: str, handler: BatchHandler) -> None:
        self._deferred[event_type].append(handler)

    def is_deferred(self, event_type: str) -> bool:
        return bool(self._deferred.get(event_type))

    async def run_deferred(self, session: AsyncSession, batch: Sequence[DomainEvent]) -> None:
        """Run the deferred subscribers of these events, all of one type."""
        if batch:
            for handler in self._deferred[batch[0].type]:
                await handler(session, batch)

    def subscribe(self, event_type: str, handler: AfterCommitHandler) -> None:
        self._after_commit[event_type].append(handler)

    async def deliver(self, event: DomainEvent) -> None:
        for handler in [*self._after_commit[event.type], *self._after_commit[ALL]]:
            try:
                await handler(event)
            except Exception:
                # One broken listener must not undo a committed change or starve the others.
                log.exception("event_handler_failed", event_type=event.type, handler=handler)


# What a session carries for its events: the bus they go to (the same for every session of
# a Database, see carrying) and those emitted so far (its own). A session's `info` is where
# SQLAlchemy keeps what belongs to a unit of work; these functions are the only code that
# reads or writes these two entries.
_BUS = "premier.events.bus"
_EMITTED = "premier.events.emitted"


def carrying(bus: EventBus) -> dict[str, object]:
    """The session info that sends the events of a Database's sessions to `bus`:
    `Database(url, session_info=events.carrying(bus))`."""
    return {_BUS: bus}


def bus_of(session: AsyncSession) -> EventBus | None:
    bus = session.info.get(_BUS)
    return bus if isinstance(bus, EventBus) else None


def _emitted(session: AsyncSession) -> list[DomainEvent]:
    emitted: list[DomainEvent] = session.info.setdefault(_EMITTED, [])
    return emitted


async def emit(
    session: AsyncSession, event: DomainEvent, *, not_before: datetime | None = None
) -> None:
    """Record the event with the change. `not_before` holds its deferred handlers back until
    then (a reminder that is moot if its subject changes meanwhile); after-commit handlers
    hear of it at commit regardless."""
    _emitted(session).append(event)
    bus = bus_of(session)
    if bus is not None and bus.is_deferred(event.type):
        session.add(OutboxEvent(**_outbox_row(event, not_before)))


def _outbox_row(event: DomainEvent, not_before: datetime | None = None) -> dict[str, Any]:
    """The event's row in `event_outbox`, due at `not_before` or at once."""
    return {
        "event_id": event.event_id,
        "event_type": event.type,
        "payload": event.model_dump_json(),
        "status": QueueStatus.PENDING,
        "attempts": 0,
        "created_at": event.occurred_at,
        "available_at": not_before or event.occurred_at,
    }


async def emit_new(session: AsyncSession, batch: Sequence[DomainEvent]) -> None:
    """Record those of these events whose `event_id` the outbox does not hold yet, in one
    statement. For news that may arrive more than once (a
    provider redelivering a webhook): given an `event_id` derived from the news, the
    outbox's unique event ids drop a repeat as long as the outbox keeps the first (a
    week, see the dispatcher's pruning). Only events with deferred subscribers can go."""
    bus = bus_of(session)
    if bus is None or not all(bus.is_deferred(event.type) for event in batch):
        raise ValueError("emit_new takes events with deferred subscribers only")
    rows = [_outbox_row(event) for event in batch]
    new = {row.event_id for row in await insert_new(session, OUTBOX, rows, ("event_id",))}
    _emitted(session).extend(event for event in batch if event.event_id in new)


async def commit(session: AsyncSession) -> None:
    """Commit the unit of work, then wake the dispatcher if any event went to the outbox
    and deliver the events to their after-commit handlers."""
    await session.commit()
    pending: list[DomainEvent] = session.info.pop(_EMITTED, [])
    bus = bus_of(session)
    if bus is None:
        return
    if any(bus.is_deferred(event.type) for event in pending):
        bus.outbox_written.set()
    for event in pending:
        await bus.deliver(event)


@asynccontextmanager
async def savepoint(session: AsyncSession) -> AsyncIterator[None]:
    """A savepoint whose events are forgotten if it rolls back: they did not happen."""
    emitted = _emitted(session)
    announced = len(emitted)
    try:
        async with session.begin_nested():
            yield
    except BaseException:
        del emitted[announced:]
        raise


@cache
def event_class(event_type: str) -> type["DomainEvent"]:
    """The event class of a type name, to read events back from the outbox."""
    found: list[type[DomainEvent]] = [DomainEvent]
    while found:
        cls = found.pop()
        if cls.__dict__.get("type") == event_type:
            return cls
        found.extend(cls.__subclasses__())
    raise LookupError(f"no domain event of type {event_type!r}")


# --- the hotel's events -------------------------------------------------------------


class BookingEvent(DomainEvent):
    booking_id: int
    reference: str
    guest_id: int
    room_id: int
    room_number: str
    room_type_id: int
    check_in: date
    check_out: date
    status: str
    # What the stay costs, for the guest's confirmation; absent from events written before.
    total_amount: int | None = None
    currency: str | None = None

    def channels(self) -> list[str]:
        return [
            f"user:{self.guest_id}",
            f"booking:{self.booking_id}",
            "department:front_desk",
            "role:manager",
        ]


class BookingCreated(BookingEvent):
    type: ClassVar[str] = "booking.created"


class BookingStatusChanged(BookingEvent):
    type: ClassVar[str] = "booking.status_changed"
    previous_status: str


class BookingStayChanged(BookingEvent):
    """The stay itself changed: moved to another room or extended (re-priced). A departure
    or a no-show is a status change (BookingStatusChanged) instead."""

    type: ClassVar[str] = "booking.stay_changed"
    change: str  # moved, extended
    previous_room_number: str
    previous_check_out: date
    previous_total_amount: int


class RoomAvailabilityChanged(DomainEvent):
    type: ClassVar[str] = "room.availability_changed"
    room_type_id: int
    room_id: int
    start: date
    end: date

    def channels(self) -> list[str]:
        return ["availability"]

    def date_span(self) -> tuple[date, date] | None:
        return self.start, self.end


class RoomStatusChanged(DomainEvent):
    """A room's place on the status board changed: cleaned, made dirty by a departure, taken
    out of or returned to service, or a guest checked in or moved. Every open board (front
    desk, housekeeping, managers) updates from it."""

    type: ClassVar[str] = "room.status_changed"
    room_id: int
    room_number: str
    status: str  # the board's status (premier.rooms.housekeeping.BoardStatus)
    previous_status: str
    changed_by_id: int | None

    def channels(self) -> list[str]:
        return ["department:front_desk", "department:housekeeping", "role:manager"]


class OrderEvent(DomainEvent):
    order_id: int
    guest_id: int
    status: str
    room_number: str | None
    total_amount: int
    currency: str
    # Charged to the stay's folio (premier.folio) instead of paid on its own.
    booking_id: int | None = None
    charge_to_room: bool = False

    def channels(self) -> list[str]:
        found = [f"user:{self.guest_id}", f"order:{self.order_id}", "department:kitchen"]
        if self.charge_to_room and self.booking_id is not None:
            # On the stay's bill: the desk that settles it hears of it too.
            found += [f"folio:{self.booking_id}", "department:front_desk"]
        return found


class OrderCreated(OrderEvent):
    type: ClassVar[str] = "order.created"


class OrderStatusChanged(OrderEvent):
    type: ClassVar[str] = "order.status_changed"
    previous_status: str


class PaymentStatusChanged(DomainEvent):
    type: ClassVar[str] = "payment.status_changed"
    payment_id: int
    payer_id: int
    booking_id: int | None
    order_id: int | None
    amount: int
    currency: str
    method: str
    status: str
    previous_status: str | None
    # Cash: what the guest handed over and the change given back, for the receipt.
    tendered_amount: int | None = None
    change_due: int | None = None

    def channels(self) -> list[str]:
        found = [f"user:{self.payer_id}", f"payment:{self.payment_id}", "department:front_desk"]
        if self.booking_id is not None:
            found.append(f"folio:{self.booking_id}")
        return found


class PaymentFlagged(DomainEvent):
    """A provider reported a payment that does not match what was asked (amount or
    currency): nothing was credited, and managers must look."""

    type: ClassVar[str] = "payment.flagged"
    payment_id: int
    reference: str
    provider: str
    reason: str

    def channels(self) -> list[str]:
        return [f"payment:{self.payment_id}", "role:manager"]


class FolioChanged(DomainEvent):
    """A stay's bill changed other than by a payment or an order (which say so themselves
    on the folio's channel): a charge posted or voided, a check-out with money owed."""

    type: ClassVar[str] = "folio.changed"
    booking_id: int
    guest_id: int
    change: str  # charge_posted, charge_voided, checked_out_with_balance
    charge_id: int | None
    balance_due: int
    currency: str

    def channels(self) -> list[str]:
        return [
            f"user:{self.guest_id}",
            f"folio:{self.booking_id}",
            "department:front_desk",
            "role:manager",
        ]


class ServiceRequestEvent(DomainEvent):
    request_id: int
    guest_id: int | None  # None: a task the hotel raised itself
    kind: str
    status: str
    assignee_id: int | None
    room_number: str | None

    def channels(self) -> list[str]:
        # A request's kind is named after the department that answers it.
        audience = [f"department:{self.kind}", "department:front_desk"]
        if self.guest_id is not None:
            audience.append(f"user:{self.guest_id}")
        if self.assignee_id is not None:
            audience.append(f"user:{self.assignee_id}")
        return audience


class ServiceRequestCreated(ServiceRequestEvent):
    type: ClassVar[str] = "service_request.created"


class ServiceRequestAssigned(ServiceRequestEvent):
    type: ClassVar[str] = "service_request.assigned"


class ServiceRequestStatusChanged(ServiceRequestEvent):
    type: ClassVar[str] = "service_request.status_changed"
    previous_status: str


class ReviewCreated(DomainEvent):
    type: ClassVar[str] = "review.created"
    review_id: int
    booking_id: int
    guest_id: int
    rating: int
    comment: str

    def channels(self) -> list[str]:
        return ["role:manager"]


class ReviewReplied(DomainEvent):
    type: ClassVar[str] = "review.replied"
    review_id: int
    booking_id: int
    guest_id: int

    def channels(self) -> list[str]:
        return [f"user:{self.guest_id}", "role:manager"]


class UserChanged(DomainEvent):
    """Role, status or credentials changed: cached views of the user must be dropped."""

    type: ClassVar[str] = "user.changed"
    user_id: int


class UserRegistered(DomainEvent):
    type: ClassVar[str] = "user.registered"
    user_id: int
    email: str
    role: str


class NotificationCreated(DomainEvent):
    type: ClassVar[str] = "notification.created"
    notification_id: int
    user_id: int
    event_type: str
    category: str
    priority: str
    title: str
    body: str

    def channels(self) -> list[str]:
        return [f"user:{self.user_id}"]


class NotificationsChanged(DomainEvent):
    """Someone read, unread or removed notifications: their other tabs and devices follow.
    `notification_ids` empty means all of theirs."""

    type: ClassVar[str] = "notification.state_changed"
    user_id: int
    change: str  # read, unread, removed
    notification_ids: list[int] = []

    def channels(self) -> list[str]:
        return [f"user:{self.user_id}"]


class AnnouncementSent(DomainEvent):
    """An announcement went out (its recipients hear of it as notifications)."""

    type: ClassVar[str] = "announcement.sent"
    announcement_id: int
    priority: str
    recipients: int

    def channels(self) -> list[str]:
        return ["role:manager"]


class AnnouncementAcknowledged(DomainEvent):
    type: ClassVar[str] = "announcement.acknowledged"
    announcement_id: int
    user_id: int

    def channels(self) -> list[str]:
        return ["role:manager", f"user:{self.user_id}"]


class MessageCreated(DomainEvent):
    """A message or an internal note was stored in a conversation.

    `recipient_ids` are the participants who hear of it on their user channel: for a note,
    the staff among them only, so a note never reaches a guest's channel. A guest
    conversation's department channel (staff only) hears of every one.
    """

    type: ClassVar[str] = "message.created"
    # The participants' ids route it; a guest must not learn who else reads along.
    routing_only: ClassVar[frozenset[str]] = frozenset({"recipient_ids"})
    message_id: int
    conversation_id: int
    sender_id: int
    sender_name: str
    kind: str
    body: str
    attachment_ids: list[int] = []
    created_at: datetime
    department: str | None
    recipient_ids: list[int]

    def channels(self) -> list[str]:
        audience = [f"user:{user_id}" for user_id in self.recipient_ids]
        if self.department is not None:
            audience.append(f"department:{self.department}")
        return audience


class ConversationUpdated(DomainEvent):
    """A conversation was opened, assigned, closed or reopened (`change`), heard by its
    participants and its department; or one participant read or unread it (`read`,
    `unread`), heard by that participant only (their other tabs and devices), with their
    `unread` count there and `unread_total` over all their conversations."""

    type: ClassVar[str] = "conversation.updated"
    # The participants' ids route it; a guest must not learn who else reads along.
    routing_only: ClassVar[frozenset[str]] = frozenset({"recipient_ids"})
    conversation_id: int
    change: str
    status: str
    assignee_id: int | None
    department: str | None
    recipient_ids: list[int]
    last_read_message_id: int | None = None
    unread: int | None = None
    unread_total: int | None = None

    def channels(self) -> list[str]:
        audience = [f"user:{user_id}" for user_id in self.recipient_ids]
        if self.department is not None and self.change not in ("read", "unread"):
            audience.append(f"department:{self.department}")
        return audience


class MessageNotificationDue(DomainEvent):
    """Time to tell the recipients of a message who have not read it (emitted with a
    delay, see premier.messaging.notices). Not on any live channel."""

    type: ClassVar[str] = "message.notification_due"
    message_id: int
    conversation_id: int
    recipient_ids: list[int]


class ConversationTyping(DomainEvent):
    """Someone is typing in a conversation: a hint for the others, stored nowhere by the
    conversation (the live feed's short resume history aside)."""

    type: ClassVar[str] = "conversation.typing"
    # The participants' ids route it; a guest must not learn who else reads along.
    routing_only: ClassVar[frozenset[str]] = frozenset({"recipient_ids"})
    conversation_id: int
    user_id: int
    user_name: str
    recipient_ids: list[int]

    def channels(self) -> list[str]:
        return [f"user:{user_id}" for user_id in self.recipient_ids]


class ConversationRead(DomainEvent):
    """A participant's read mark moved (`conversation.read`): the others show "Seen" from
    it at once. A guest hears only of people known to them, and only a mark at a message
    (the last one up to the mark), never one at a note (premier.messaging.reading)."""

    type: ClassVar[str] = "conversation.read"
    # The participants' ids route it; a guest must not learn who else reads along.
    routing_only: ClassVar[frozenset[str]] = frozenset({"recipient_ids"})
    conversation_id: int
    user_id: int
    last_read_message_id: int | None
    recipient_ids: list[int]

    def channels(self) -> list[str]:
        return [f"user:{user_id}" for user_id in self.recipient_ids]


class PresenceChanged(DomainEvent):
    """A staff member came online (their first socket opened, on any instance) or went
    offline (their last one closed), heard by their department's staff and managers only
    (premier.realtime.presence); `online_count` is how many of the department are online."""

    type: ClassVar[str] = "presence.changed"
    department: str
    user_id: int
    online: bool
    online_count: int

    def channels(self) -> list[str]:
        return [f"presence:{self.department}"]


class DepartmentAvailable(DomainEvent):
    """Someone of a department is online now, or nobody is any more: what a guest may know
    of its staff's presence (never who)."""

    type: ClassVar[str] = "presence.available"
    department: str
    available: bool

    def channels(self) -> list[str]:
        return [f"online:{self.department}"]


class SmsBudgetExceeded(DomainEvent):
    """An SMS was held because it would break a spending budget (first of the day)."""

    type: ClassVar[str] = "sms.budget_exceeded"
    budget: str


def event_payload(event: DomainEvent) -> dict[str, Any]:
    return {"type": event.type, **event.model_dump(mode="json")}
