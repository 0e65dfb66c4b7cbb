"""Phone numbers: validated with `phonenumbers` and stored only as E.164.

`PhoneNumber` is a Pydantic type for request bodies; `normalise` is the same rule for code
that has a string from elsewhere (a user's profile, a provider callback).
"""

from functools import lru_cache
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, Field, StringConstraints

from premier.kit.errors import InvalidInput
from premier.sms.settings import SmsSettings

_default_region = SmsSettings().default_region


def configure_default_region(region: str) -> None:
    """Set the region used for numbers written without a country code (e.g. `0712 345678`)."""
    global _default_region
    _default_region = region.upper()


def normalise(raw: str, *, region: str | None = None) -> str:
    """Return the number in E.164 (`+254712345678`), or raise ValueError saying why not."""
    return _normalise(raw.strip(), (region or _default_region).upper())


# Parsing is slow and the same few numbers (guests', staff's) come back all the time.
@lru_cache(maxsize=8192)
def _normalise(text: str, region: str) -> str:
    if not text:
        raise ValueError("phone number is empty")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {exc}") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError("not a valid phone number for its country")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalise_or_422(raw: str, *, region: str | None = None) -> str:
    try:
        return normalise(raw, region=region)
    except ValueError as exc:
        raise InvalidInput(str(exc), details={"phone": raw}, code="invalid_phone") from exc


@lru_cache(maxsize=8192)
def country_of(e164: str) -> str:
    """ISO 3166 alpha-2 region of an E.164 number, or "*" when unknown."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "*"
    return phonenumbers.region_code_for_number(parsed) or "*"


def _validate(value: str) -> str:
    return normalise(value)


PhoneNumber = Annotated[
    str,
    StringConstraints(max_length=32),
    AfterValidator(_validate),
    Field(description="phone number; stored as E.164", examples=["+254712345678"]),
]
