"""Where the hotel's parts are put together: the channels `notify()` delivers through and
the subscribers of the event bus, the same for the API and for `premier worker`.

The notification core knows no channel; this module, which may import everything, is the
one place that tells it which exist."""

from premier.bookings import paid as paid_bookings
from premier.bookings import repository as bookings
from premier.config import Settings
from premier.email.channel import EmailChannel
from premier.events import EventBus
from premier.folio import service as folio
from premier.messaging import notices as message_notices
from premier.notifications import channels
from premier.notifications import subscribers as notification_subscribers
from premier.notifications.in_app import InAppChannel
from premier.orders import service as orders
from premier.payments import apply as payment_news
from premier.payments import service as payments
from premier.push.channel import PushChannel
from premier.realtime.service import register_owner_check
from premier.sms import subscribers as sms_subscribers
from premier.sms.channel import SmsChannel


def register_channels() -> None:
    for channel in (InAppChannel(), EmailChannel(), SmsChannel(), PushChannel()):
        channels.register(channel)


def hotel_bus(settings: Settings) -> EventBus:
    """The bus every process runs: the API, and `premier worker`, whose dispatcher needs
    the same deferred subscribers as the API that wrote the events."""
    register_channels()
    bus = EventBus()
    notification_subscribers.register(bus, settings=settings)
    sms_subscribers.register(bus, settings=settings)
    payment_news.register(bus)
    paid_bookings.register(bus)
    message_notices.register(bus, settings=settings)
    return bus


def register_channel_owners() -> None:
    """Each domain says whose its things are, for the realtime channels named after them."""
    register_owner_check("booking", bookings.guest_of_booking)
    register_owner_check("order", orders.guest_of_order)
    register_owner_check("payment", payments.payer_of_payment)
    register_owner_check("folio", folio.guest_of_folio)
