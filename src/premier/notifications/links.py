"""Where a notification leads in the web UI: the page of the thing it is about, read from
the ids its `data` carries. The inbox, the push messages and the emails use the same."""

from collections.abc import Mapping
from typing import Any

# The first id a notification carries decides; the order is from specific to general.
TARGETS = (
    ("conversation_id", "/messages?c={}"),
    ("announcement_id", "/notifications?announcement={}"),
    ("booking_id", "/my-bookings#booking-{}"),
    ("order_id", "/room-service#order-{}"),
    ("payment_id", "/my-bookings#payment-{}"),
    ("request_id", "/requests#request-{}"),
)
DEFAULT_TARGET = "/notifications"


def target_of(data: Mapping[str, Any] | None) -> str:
    """A path inside the web UI (never a full URL: nothing in `data` can send anyone away)."""
    for key, path in TARGETS:
        value = (data or {}).get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return path.format(value)
    return DEFAULT_TARGET
