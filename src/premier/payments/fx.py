"""Converting a bill into the currency a payment method takes, with the hotel's own rates.

Rates are units of the hotel's currency per unit of another (`{"USD": "129.25"}`); a pair
of foreign currencies goes through the hotel's. The amount is rounded up to the method's
step, so the hotel is never paid less than the bill."""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, Decimal

from premier.kit.errors import InvalidInput
from premier.kit.money import MINOR_UNITS


@dataclass(frozen=True, slots=True)
class Converted:
    amount: int
    currency: str
    rate: Decimal | None  # None when no conversion was needed
    rate_at: datetime | None


def _per_hotel_unit(currency: str, *, hotel: str, rates: dict[str, Decimal]) -> Decimal:
    if currency == hotel:
        return Decimal(1)
    rate = rates.get(currency)
    if rate is None:
        raise InvalidInput(
            f"no exchange rate for {currency} is set", details={"currency": currency}
        )
    return rate


def convert(
    amount: int,
    source: str,
    target: str,
    *,
    hotel: str,
    rates: dict[str, Decimal],
    rates_at: datetime | None,
    step: int = 1,
) -> Converted:
    """`amount` minor units of `source` in minor units of `target`, rounded up to `step`."""
    if source == target:
        exact = Decimal(amount)
        rate = None
    else:
        rate = _per_hotel_unit(source, hotel=hotel, rates=rates) / _per_hotel_unit(
            target, hotel=hotel, rates=rates
        )
        scale = Decimal(10) ** (MINOR_UNITS[target] - MINOR_UNITS[source])
        exact = Decimal(amount) * rate * scale
    steps = (exact / step).to_integral_value(rounding=ROUND_CEILING)
    return Converted(
        amount=int(steps) * step,
        currency=target,
        rate=rate.quantize(Decimal("0.00000001")) if rate is not None else None,
        rate_at=rates_at if rate is not None else None,
    )
