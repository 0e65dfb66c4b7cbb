"""Build the payment providers whose credentials are set; cash is always there.

Here rather than in the package's `__init__`, so importing one provider module does not
import them all."""

import aiohttp

from premier.payments.providers.base import PaymentProvider
from premier.payments.providers.cash import CashProvider
from premier.payments.providers.flutterwave import FlutterwaveProvider
from premier.payments.providers.mpesa import MpesaProvider
from premier.payments.providers.paypal import PayPalProvider
from premier.payments.providers.stripe import StripeProvider
from premier.payments.registry import Providers
from premier.payments.settings import PaymentSettings


def build_providers(
    *, settings: PaymentSettings, http: aiohttp.ClientSession, hotel_name: str
) -> Providers:
    s = settings
    found: list[PaymentProvider] = [CashProvider()]
    if s.mpesa_consumer_key and s.mpesa_consumer_secret and s.mpesa_shortcode and s.mpesa_passkey:
        found.append(
            MpesaProvider(
                http=http,
                base_url=s.mpesa_base_url,
                consumer_key=s.mpesa_consumer_key,
                consumer_secret=s.mpesa_consumer_secret,
                shortcode=s.mpesa_shortcode,
                passkey=s.mpesa_passkey,
                transaction_type=s.mpesa_transaction_type,
                party_b=s.mpesa_party_b,
                timeout_seconds=s.timeout_seconds,
            )
        )
    if s.stripe_secret_key and s.stripe_webhook_secret:
        found.append(
            StripeProvider(
                secret_key=s.stripe_secret_key,
                webhook_secret=s.stripe_webhook_secret,
                base_url=s.stripe_base_url,
                timeout_seconds=s.timeout_seconds,
                tolerance_seconds=s.webhook_tolerance_seconds,
            )
        )
    if s.paypal_client_id and s.paypal_client_secret and s.paypal_webhook_id:
        found.append(
            PayPalProvider(
                http=http,
                base_url=s.paypal_base_url,
                client_id=s.paypal_client_id,
                client_secret=s.paypal_client_secret,
                webhook_id=s.paypal_webhook_id,
                timeout_seconds=s.timeout_seconds,
                tolerance_seconds=s.webhook_tolerance_seconds,
            )
        )
    if s.flutterwave_secret_key and s.flutterwave_secret_hash:
        found.append(
            FlutterwaveProvider(
                http=http,
                base_url=s.flutterwave_base_url,
                secret_key=s.flutterwave_secret_key,
                secret_hash=s.flutterwave_secret_hash,
                timeout_seconds=s.timeout_seconds,
                hotel_name=hotel_name,
            )
        )
    return Providers(found)
