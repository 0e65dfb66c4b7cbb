"""The bus every process of the hotel runs: the API, and `premier worker`, whose
dispatcher needs the same deferred subscribers as the API that wrote the events."""

from premier.config import Settings
from premier.events import EventBus
from premier.notifications import subscribers as notification_subscribers
from premier.sms import subscribers as sms_subscribers


def hotel_bus(settings: Settings) -> EventBus:
    bus = EventBus()
    notification_subscribers.register(bus, settings=settings)
    sms_subscribers.register(bus, settings=settings)
    return bus
