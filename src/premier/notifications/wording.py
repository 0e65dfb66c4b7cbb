"""Words for the codes and dates that messages carry, in each language we write in.

Statuses, payment methods and request kinds travel as codes (`checked_in`); a guest reads
"checked in" or "mgeni ameingia". Dates travel as ISO strings; a guest reads "Fri 1 Jan 2027",
with the year, since a message is read days later and stays can be in another year.
Templates use them as filters: `{{ booking.status | label }}`, `{{ booking.check_in | day }}`.
"""

from datetime import date
from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "pending": "pending", "confirmed": "confirmed", "checked_in": "checked in",
        "checked_out": "checked out", "cancelled": "cancelled", "placed": "received",
        "preparing": "being prepared", "ready": "ready", "delivered": "delivered",
        "processing": "being processed", "succeeded": "paid", "failed": "failed",
        "refunded": "refunded", "partially_refunded": "partly refunded", "open": "open",
        "assigned": "assigned", "in_progress": "in progress", "done": "done",
        "cash": "cash", "mpesa": "M-Pesa", "card": "card", "stripe": "card",
        "paypal": "PayPal", "flutterwave": "Flutterwave", "housekeeping": "housekeeping",
        "maintenance": "maintenance", "concierge": "concierge",
    },
    "sw": {
        "pending": "inasubiri", "confirmed": "imethibitishwa", "checked_in": "mgeni ameingia",
        "checked_out": "mgeni ameondoka", "cancelled": "imeghairiwa", "placed": "imepokelewa",
        "preparing": "inaandaliwa", "ready": "iko tayari", "delivered": "imefikishwa",
        "processing": "inashughulikiwa", "succeeded": "imelipwa", "failed": "imeshindikana",
        "refunded": "imerejeshwa", "partially_refunded": "imerejeshwa kwa sehemu",
        "open": "wazi", "assigned": "imekabidhiwa", "in_progress": "inaendelea",
        "done": "imekamilika", "cash": "pesa taslimu", "mpesa": "M-Pesa", "card": "kadi",
        "stripe": "kadi", "paypal": "PayPal", "flutterwave": "Flutterwave",
        "housekeeping": "usafi wa chumba", "maintenance": "matengenezo",
        "concierge": "huduma kwa wageni",
    },
}  # fmt: skip

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "sw": ("Jumatatu", "Jumanne", "Jumatano", "Alhamisi", "Ijumaa", "Jumamosi", "Jumapili"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "sw": ("Januari", "Februari", "Machi", "Aprili", "Mei", "Juni", "Julai", "Agosti",
           "Septemba", "Oktoba", "Novemba", "Desemba"),
}  # fmt: skip


def label(code: Any, locale: str) -> str:
    """The word for a code; an unknown code reads as itself, without underscores."""
    text = str(code)
    words = LABELS.get(locale, LABELS["en"])
    return words.get(text) or LABELS["en"].get(text) or text.replace("_", " ")


def day(value: Any, locale: str) -> str:
    """A date as people write it, year included: "Fri 1 Jan 2027", "Ijumaa 1 Januari 2027"."""
    try:
        when = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    lang = locale if locale in _MONTHS else "en"
    weekday = _WEEKDAYS[lang][when.weekday()]
    return f"{weekday} {when.day} {_MONTHS[lang][when.month - 1]} {when.year}"
