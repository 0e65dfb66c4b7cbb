"""Finding a booking the way a guest at the desk or on the phone names it: by its reference,
their name, their email address or their phone number."""

import re

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.orm import InstrumentedAttribute

from premier.bookings.models import Booking
from premier.users.models import User

_LIKE_SPECIALS = re.compile(r"([\\%_])")
# A phone number as people say it: digits with spaces, dashes, dots, brackets or a plus.
_PHONE = re.compile(r"^[+0-9 ().-]+$")
_PHONE_MIN_DIGITS = 4


def matching(text: str) -> ColumnElement[bool]:
    """Bookings whose reference starts with `text`, or whose guest's name or email contains
    it, or whose guest's phone contains its digits (whatever the spacing). Case-insensitive;
    `%` and `_` are taken literally."""
    escaped = _LIKE_SPECIALS.sub(r"\\\1", text.strip())
    return or_(Booking.reference.ilike(f"{escaped}%", escape="\\"), guest_matching(text))


def guest_matching(text: str) -> ColumnElement[bool]:
    """Users whose name or email contains `text`, or whose phone contains its digits."""
    words = text.strip()
    escaped = _LIKE_SPECIALS.sub(r"\\\1", words)
    found: list[ColumnElement[bool]] = [
        User.full_name.ilike(f"%{escaped}%", escape="\\"),
        User.email.ilike(f"%{escaped}%", escape="\\"),
    ]
    digits = re.sub(r"\D", "", words)
    if _PHONE.match(words) and len(digits) >= _PHONE_MIN_DIGITS:
        found.append(_digits_of(User.phone).contains(digits.removeprefix("0")))
    return or_(*found)


def _digits_of(
    column: ColumnElement[str | None] | InstrumentedAttribute[str | None],
) -> ColumnElement[str]:
    stripped: ColumnElement[str] = func.coalesce(column, "")
    for character in (" ", "-", "+", "(", ")", "."):
        stripped = func.replace(stripped, character, "")
    return stripped
