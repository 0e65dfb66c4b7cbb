"""Cost estimates and budgets. Money is integer minor units of the price table's currency."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from premier.kit.money import MINOR_UNITS
from premier.sms.phone import country_of
from premier.sms.segments import count_segments
from premier.sms.settings import SmsSettings


@dataclass(frozen=True, slots=True)
class CostEstimate:
    country: str
    segments: int
    unit_price: int
    amount: int
    currency: str


def estimate_cost(*, settings: SmsSettings, to: str, body: str) -> CostEstimate:
    country = country_of(to)
    segments = count_segments(body).segments
    unit_price = settings.prices.get(country, settings.prices.get("*", 0))
    return CostEstimate(country, segments, unit_price, unit_price * segments,
                        settings.price_currency)  # fmt: skip


def parse_provider_price(text: str | None, currency: str | None = None) -> tuple[int, str] | None:
    """A provider's reported price as (minor units, currency).

    Africa's Talking says `"KES 0.8000"`; Twilio gives `price="-0.00750"` and
    `price_unit="USD"` (negative: money leaving the account). Unparseable prices are None.
    """
    if not text:
        return None
    parts = text.strip().split()
    if len(parts) == 2:
        currency, text = parts[0], parts[1]
    if not currency:
        return None
    currency = currency.upper()
    try:
        value = abs(Decimal(text))
    except InvalidOperation:
        return None
    if value == 0 and text.strip() in {"0", ""}:
        return 0, currency
    digits = MINOR_UNITS.get(currency, 2)
    return int((value * 10**digits).to_integral_value()), currency


@dataclass(frozen=True, slots=True)
class Spend:
    """What has already been committed (estimated or reported) in each budget window."""

    hotel_day: int
    hotel_month: int
    recipient_day: int
    recipient_month: int


def budget_exceeded(*, settings: SmsSettings, spend: Spend, amount: int) -> str | None:
    """The name of the first budget this message would break, or None if it fits."""
    checks = (
        ("hotel daily", settings.budget_daily, spend.hotel_day),
        ("hotel monthly", settings.budget_monthly, spend.hotel_month),
        ("recipient daily", settings.recipient_budget_daily, spend.recipient_day),
        ("recipient monthly", settings.recipient_budget_monthly, spend.recipient_month),
    )
    for name, limit, spent in checks:
        if limit is not None and spent + amount > limit:
            return name
    return None
