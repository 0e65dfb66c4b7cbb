"""Payment settings, read from `PREMIER_PAYMENTS_*` variables (and `.env`).

A provider is offered only when its credentials are set: an M-Pesa shortcode without a
passkey, or a Stripe account without its webhook secret, is not a way to pay. Sandbox or
live is chosen per provider by its base URL (Flutterwave and Stripe decide by the key).

Exchange rates (`PREMIER_PAYMENTS_FX_RATES='{"USD": "129.25", "EUR": "140.10"}'`) give
how many units of the hotel's currency one unit of each other currency buys; they are
used only where a method does not take the bill's currency, and the rate used is recorded
on the payment with the time it was set (`PREMIER_PAYMENTS_FX_RATES_AS_OF`; unset, the time
the rate was applied).
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MPESA_SANDBOX = "https://sandbox.safaricom.co.ke"
MPESA_LIVE = "https://api.safaricom.co.ke"
PAYPAL_SANDBOX = "https://api-m.sandbox.paypal.com"
PAYPAL_LIVE = "https://api-m.paypal.com"
FLUTTERWAVE_BASE = "https://api.flutterwave.com"
STRIPE_BASE = "https://api.stripe.com"


class PaymentSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PREMIER_PAYMENTS_", env_file=".env", extra="ignore"
    )

    # Cash is always taken at the desk; the others need their credentials below.
    timeout_seconds: float = Field(default=20.0, gt=0)
    # A payment still pending this long after it began is asked about at its provider.
    reconcile_after_seconds: float = Field(default=90.0, gt=0)
    reconcile_interval_seconds: float = Field(default=30.0, gt=0)
    # Past this, a pending payment nobody could confirm is given up as failed.
    abandon_after_seconds: float = Field(default=6 * 3600.0, gt=0)
    # Signed webhooks older than this are refused (replays).
    webhook_tolerance_seconds: int = Field(default=300, ge=30, le=3600)
    # Where providers reach this server's per-payment callbacks, when that is not the
    # public base URL: Daraja calls back only over HTTPS, so a server tried out at
    # http://127.0.0.1 needs a tunnel (e.g. `https://<name>.ngrok.app`) named here.
    callback_base_url: str | None = Field(default=None, pattern=r"^https?://[^/\s]+(/\S*)?$")

    fx_rates: dict[str, Decimal] = {}
    fx_rates_as_of: datetime | None = None

    mpesa_base_url: str = MPESA_SANDBOX
    mpesa_consumer_key: str | None = None
    mpesa_consumer_secret: str | None = None
    mpesa_shortcode: str | None = None
    mpesa_passkey: str | None = None
    mpesa_transaction_type: Literal["CustomerPayBillOnline", "CustomerBuyGoodsOnline"] = (
        "CustomerPayBillOnline"
    )
    mpesa_party_b: str | None = None  # the till for Buy Goods; the shortcode otherwise

    stripe_base_url: str = STRIPE_BASE
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None

    paypal_base_url: str = PAYPAL_SANDBOX
    paypal_client_id: str | None = None
    paypal_client_secret: str | None = None
    paypal_webhook_id: str | None = None

    flutterwave_base_url: str = FLUTTERWAVE_BASE
    flutterwave_secret_key: str | None = None
    flutterwave_secret_hash: str | None = None

    @field_validator("fx_rates")
    @classmethod
    def _positive_rates(cls, rates: dict[str, Decimal]) -> dict[str, Decimal]:
        bad = [code for code, rate in rates.items() if rate <= 0]
        if bad:
            raise ValueError(f"exchange rates must be positive: {bad}")
        return {code.upper(): rate for code, rate in rates.items()}
