"""The notifications the hotel sends: category, channels and the variables each template
may use. Templates (built-in or admin-edited) are checked against these variables."""

from dataclasses import dataclass, field
from typing import Any

from premier.notifications.models import Channel

COMMON_VARIABLES = frozenset({"hotel", "recipient", "unsubscribe_url"})
# Messages about the account itself (password reset, phone verification): they may carry a
# secret, so they are essential and nobody but the system sends them.
ACCOUNT_CATEGORY = "account"

CATEGORIES = (
    "account",
    "bookings",
    "orders",
    "payments",
    "service_requests",
    "reviews",
    "messages",
    "announcements",
    "promotions",
    "general",
)
ALL_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.IN_APP, Channel.PUSH)

# What a user gets when they never touched their preferences. Promotions are opt-in.
DEFAULT_PREFERENCES: dict[str, dict[str, bool]] = {
    category: {"email": True, "sms": False, "in_app": True, "push": True} for category in CATEGORIES
}
DEFAULT_PREFERENCES["bookings"]["sms"] = True
DEFAULT_PREFERENCES["orders"]["sms"] = True
DEFAULT_PREFERENCES["promotions"] = {"email": False, "sms": False, "in_app": False, "push": False}


@dataclass(frozen=True)
class EventSpec:
    event_type: str
    category: str
    variables: frozenset[str]
    sample: dict[str, Any]
    channels: tuple[Channel, ...] = ALL_CHANNELS
    # Essential mail (password reset) ignores preferences, quiet hours and unsubscribes.
    essential: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def allowed_variables(self) -> frozenset[str]:
        return self.variables | COMMON_VARIABLES


_BOOKING = {
    "reference": "PH-7Q2K",
    "room_number": "204",
    "check_in": "2026-12-20",
    "check_out": "2026-12-23",
    "status": "confirmed",
    "nights": 3,
    "total": "KES 36,000.00",
}
_ORDER = {"id": 1042, "status": "ready", "room_number": "204", "total": "KES 1,850.00"}
_PAYMENT = {
    "id": 77,
    "amount": "KES 24,000.00",
    "method": "mpesa",
    "status": "succeeded",
    "booking": "PH-7Q2K",
    "order": None,
    "tendered": None,
    "change": None,
}

EVENTS: dict[str, EventSpec] = {
    spec.event_type: spec
    for spec in [
        EventSpec("booking.created", "bookings", frozenset({"booking"}), {"booking": _BOOKING}),
        EventSpec("booking.received", "bookings", frozenset({"booking"}), {"booking": _BOOKING}),
        EventSpec(
            "booking.status_changed",
            "bookings",
            frozenset({"booking", "previous_status"}),
            {"booking": _BOOKING, "previous_status": "pending"},
        ),
        EventSpec("order.created", "orders", frozenset({"order"}), {"order": _ORDER}),
        EventSpec(
            "order.status_changed",
            "orders",
            frozenset({"order", "previous_status"}),
            {"order": _ORDER, "previous_status": "preparing"},
        ),
        EventSpec("payment.receipt", "payments", frozenset({"payment"}), {"payment": _PAYMENT}),
        EventSpec("payment.failed", "payments", frozenset({"payment"}), {"payment": _PAYMENT}),
        EventSpec(
            "review.created",
            "reviews",
            frozenset({"review"}),
            {
                "review": {
                    "id": 9,
                    "rating": 4,
                    "comment": "Lovely stay",
                    "booking_id": 3,
                    "guest_name": "Grace Guest",
                }
            },
        ),
        EventSpec(
            "review.replied",
            "reviews",
            frozenset({"review"}),
            {"review": {"id": 9, "rating": 4, "reply": "Thank you, Grace!", "booking": "PH-7Q2K"}},
        ),
        EventSpec(
            "service_request.assigned",
            "service_requests",
            frozenset({"request"}),
            {
                "request": {
                    "id": 12,
                    "kind": "housekeeping",
                    "room_number": "204",
                    "status": "assigned",
                }
            },
        ),
        EventSpec(
            "message.received",
            "messages",
            frozenset({"conversation", "message", "unread"}),
            {
                "conversation": {"id": 31, "subject": "Late checkout", "department": "front_desk"},
                "message": {"sender_name": "Grace Guest", "preview": "Can I leave at 2pm?"},
                "unread": 2,
            },
            # A chat message is not worth an SMS.
            channels=(Channel.IN_APP, Channel.EMAIL, Channel.PUSH),
        ),
        EventSpec(
            "payment.flagged",
            "payments",
            frozenset({"payment"}),
            {
                "payment": {
                    "reference": "PAY-3F9A1C2B7D10",
                    "provider": "stripe",
                    "reason": "paid USD 10.00, expected USD 100.00",
                }
            },
            channels=(Channel.IN_APP, Channel.EMAIL, Channel.PUSH),
        ),
        EventSpec(
            "sms.budget_exceeded",
            "general",
            frozenset({"budget"}),
            {"budget": "hotel daily"},
            # Never by SMS: that is the budget it is about.
            channels=(Channel.IN_APP, Channel.EMAIL, Channel.PUSH),
        ),
        EventSpec(
            "auth.password_reset",
            "account",
            frozenset({"reset_url", "minutes"}),
            {"reset_url": "https://hotel.example/reset?token=abc", "minutes": 30},
            channels=(Channel.EMAIL,),
            essential=True,
        ),
        EventSpec(
            "promotion",
            "promotions",
            frozenset({"title", "message", "cta_url"}),
            {
                "title": "Weekend spa offer",
                "message": "20% off every treatment.",
                "cta_url": "https://hotel.example/spa",
            },
        ),
        EventSpec(
            "announcement",
            "announcements",
            frozenset({"title", "message", "sw"}),
            {
                "title": "Pool closed on Friday",
                "message": "The pool is closed for maintenance on Friday.",
                "sw": {"title": "Bwawa limefungwa Ijumaa", "message": "Bwawa limefungwa Ijumaa."},
            },
        ),
        EventSpec(
            "announcement.emergency",
            "announcements",
            frozenset({"title", "message", "sw"}),
            {
                "title": "Fire alarm test",
                "message": "Please stay calm and follow the staff's directions.",
                "sw": {"title": "Jaribio la kengele", "message": "Tafadhali tulia."},
            },
            # Reaches everyone on every channel: past preferences, quiet hours and budgets.
            essential=True,
        ),
        EventSpec(
            "general",
            "general",
            frozenset({"title", "message", "url"}),
            {
                "title": "A note from the hotel",
                "message": "The pool reopens at 10:00.",
                "url": None,
            },
        ),
    ]
}


def spec_for(event_type: str) -> EventSpec | None:
    return EVENTS.get(event_type)


def system_links() -> frozenset[str]:
    """Template variables holding links only the system makes (a reset link, an unsubscribe
    link): a caller who could set them could send a genuine-looking mail to any page."""
    made = {"unsubscribe_url", "reset_url", "verify_url", "verification_url"}
    for spec in EVENTS.values():
        if spec.essential or spec.category == ACCOUNT_CATEGORY:
            made |= {name for name in spec.variables if name.endswith("_url")}
    return frozenset(made)
