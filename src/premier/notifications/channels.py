"""The channels `notify()` hands messages to, registered at start-up.

The core knows no channel by name: email, SMS and push each implement `DeliveryChannel`
in their own package and register themselves (see `premier.wiring`). A channel receives
every message of one `notify()` call at once, so it can write its queue rows, check
suppressions and budgets in a few statements rather than a few per person.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.delivery.attachment import Attachment
from premier.notifications.models import Channel, Notification, Priority
from premier.users.models import User


@dataclass(frozen=True, slots=True)
class Message:
    """One rendered notification for one person on one channel."""

    user_id: int | None
    recipient_name: str
    address: str
    event_type: str
    category: str
    locale: str
    priority: Priority
    subject: str
    text: str
    html: str
    # Ignores preferences, quiet hours and suppressions (the catalog says which).
    essential: bool = False
    # Not before the end of the recipient's quiet hours.
    not_before: datetime | None = None
    unsubscribe_url: str | None = None
    attachments: tuple[Attachment, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    created_by: int | None = None
    # The in-app notification this message repeats, once written.
    notification_id: int | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a channel did with one message: a line of the delivery log."""

    status: str
    recipient: str | None
    queue_id: int | None = None
    detail: str | None = None
    # Set by the in-app channel only: the inbox row the other channels point at.
    notification: Notification | None = None


class DeliveryChannel(Protocol):
    name: Channel

    def address_of(self, user: User) -> str | None:
        """Where this user is reached on this channel; None when they cannot be."""
        ...

    async def deliver(
        self, *, session: AsyncSession, settings: Settings, messages: Sequence[Message]
    ) -> list[Delivery]:
        """Queue (or write) each message in the caller's transaction; one result each."""
        ...


_registered: dict[Channel, DeliveryChannel] = {}


def register(channel: DeliveryChannel) -> None:
    """Make `notify()` use this channel; registering a name again replaces the channel."""
    _registered[channel.name] = channel


def unregister(name: Channel) -> None:
    _registered.pop(name, None)


def registered() -> list[DeliveryChannel]:
    return list(_registered.values())


def for_event(channels: Sequence[Channel]) -> list[DeliveryChannel]:
    """The registered channels among an event's."""
    return [_registered[name] for name in channels if name in _registered]


def in_app_first(channels: Iterable[DeliveryChannel]) -> list[DeliveryChannel]:
    """The in-app channel first: the others' messages link to the inbox rows it writes."""
    return sorted(channels, key=lambda channel: channel.name != Channel.IN_APP)
