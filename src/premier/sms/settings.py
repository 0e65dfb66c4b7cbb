"""SMS settings, read from `PREMIER_SMS_*` variables (and `.env`).

Lists accept a comma-separated value (`PREMIER_SMS_PROVIDERS=africastalking,twilio`) and the
mappings JSON (`PREMIER_SMS_ROUTES='{"KE": ["africastalking", "twilio"]}'`).
"""

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from premier.delivery.names import current_names

ProviderName = Literal["capture", "twilio", "africastalking"]


def _comma_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _provider_names(value: object) -> object:
    """A list of provider names; the old name of one (`outbox`) still means it."""
    value = _comma_list(value)
    if isinstance(value, list):
        return current_names((str(name) for name in value), setting="PREMIER_SMS_PROVIDERS")
    return value


ProviderList = Annotated[list[ProviderName], NoDecode, BeforeValidator(_provider_names)]
RouteList = Annotated[list[ProviderName], BeforeValidator(_provider_names)]


def _upper_list(value: object) -> object:
    value = _comma_list(value)
    if isinstance(value, list):
        return [str(part).upper() for part in value]
    return value


CountryList = Annotated[
    list[Annotated[str, Field(min_length=2, max_length=2)]],
    NoDecode,
    BeforeValidator(_upper_list),
]


class SmsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PREMIER_SMS_", env_file=".env", extra="ignore")

    # Ordered: the first healthy provider sends; the next ones are the failover.
    providers: ProviderList = ["capture"]
    # Per destination country (ISO 3166 alpha-2), an ordered list that overrides `providers`.
    routes: dict[str, RouteList] = {}
    default_region: str = Field(default="KE", min_length=2, max_length=2)
    sender_id: str | None = None

    twilio_base_url: str = "https://api.twilio.com"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from_number: str | None = None
    twilio_messaging_service_sid: str | None = None

    africastalking_base_url: str = "https://api.sandbox.africastalking.com/version1"
    africastalking_username: str = "sandbox"
    africastalking_api_key: str = ""
    # A secret path segment for the (unsigned) Africa's Talking callbacks.
    africastalking_callback_token: str = ""

    timeout_seconds: float = Field(default=10.0, gt=0)

    # Estimated price of one segment, in minor units of `price_currency`, per destination
    # country; "*" is the price anywhere else.
    prices: dict[str, int] = {"KE": 80, "UG": 250, "TZ": 200, "RW": 300, "*": 600}
    price_currency: str = "KES"

    # Budgets in minor units of `price_currency`; None means no limit.
    budget_daily: int | None = Field(default=None, ge=0)
    budget_monthly: int | None = Field(default=None, ge=0)
    recipient_budget_daily: int | None = Field(default=None, ge=0)
    recipient_budget_monthly: int | None = Field(default=None, ge=0)

    # Rate limits: messages per recipient per hour, per sending staff member per minute.
    recipient_per_hour: int = Field(default=10, ge=1)
    sender_per_minute: int = Field(default=30, ge=1)

    otp_ttl_seconds: int = Field(default=600, ge=30)
    otp_max_attempts: int = Field(default=5, ge=1)
    otp_resend_seconds: int = Field(default=60, ge=0)
    otp_max_per_hour: int = Field(default=5, ge=1)  # per account
    # Codes cost money and bypass opt-outs: capped per destination number and per client
    # address as well as per account, and sent only to numbers of these countries.
    otp_max_per_number_per_hour: int = Field(default=5, ge=1)
    otp_max_per_address_per_hour: int = Field(default=10, ge=1)
    otp_countries: CountryList = ["KE"]

    # Back-off between attempts of one message (base doubles each attempt, up to max), and
    # the attempts after which it fails.
    retry_base_seconds: float = Field(default=30.0, gt=0)
    retry_max_seconds: float = Field(default=3600.0, gt=0)
    max_attempts: int = Field(default=6, ge=1, le=50)

    # Check-in reminders go out the day before arrival at this hour, hotel time.
    checkin_reminder_hour: int = Field(default=18, ge=0, le=23)
