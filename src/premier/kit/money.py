"""Money is an integer of minor units plus an ISO 4217 currency code, never a float."""

from typing import Annotated

from pydantic import AfterValidator, Field

# Currencies a hotel in our markets takes; extend when a hotel asks.
MINOR_UNITS = {
    "KES": 2, "UGX": 0, "TZS": 2, "RWF": 0, "NGN": 2, "GHS": 2, "ZAR": 2,
    "USD": 2, "EUR": 2, "GBP": 2, "AED": 2, "INR": 2, "JPY": 0, "CHF": 2,
}  # fmt: skip


def _known_currency(code: str) -> str:
    code = code.upper()
    if code not in MINOR_UNITS:
        raise ValueError(f"unsupported currency {code!r}; expected one of {sorted(MINOR_UNITS)}")
    return code


Currency = Annotated[
    str,
    Field(min_length=3, max_length=3, json_schema_extra={"enum": sorted(MINOR_UNITS)}),
    AfterValidator(_known_currency),
]
MinorUnits = Annotated[int, Field(ge=0, le=10**12, description="amount in minor units")]


def format_amount(amount: int, currency: str) -> str:
    digits = MINOR_UNITS.get(currency, 2)
    return f"{currency} {amount / 10**digits:,.{digits}f}"
