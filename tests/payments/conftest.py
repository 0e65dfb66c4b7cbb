"""Payment tests run the real provider adapters against local fakes of M-Pesa Daraja,
Stripe, PayPal and Flutterwave. Each fake's server runs once per session; every test gets
a fresh fake behind it (`fakes`), so no test sees another's payments."""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from starlette.types import Receive, Scope, Send

from premier.config import Settings
from premier.payments.settings import PaymentSettings
from tests.fakes import daraja, flutterwave, paypal, stripe
from tests.fakes.server import serve

PUBLIC_URL = "https://hotel.example"
RATES = {"USD": Decimal("130"), "EUR": Decimal("140"), "GBP": Decimal("165")}


class Swappable:
    """An ASGI app that serves whichever fake is current."""

    def __init__(self) -> None:
        self.current: Any = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.current(scope, receive, send)


@dataclass
class Fakes:
    daraja: daraja.FakeDaraja
    stripe: stripe.FakeStripe
    paypal: paypal.FakePayPal
    flutterwave: flutterwave.FakeFlutterwave


@pytest.fixture(scope="session")
def fake_servers() -> Iterator[dict[str, tuple[Swappable, str]]]:
    servers: dict[str, tuple[Swappable, str]] = {}
    names = ("daraja", "stripe", "paypal", "flutterwave")
    apps = {name: Swappable() for name in names}
    paypal.validators()  # PayPal's schemas are read once, before any test's clock runs
    with contextlib.ExitStack() as stack:
        for name in names:
            servers[name] = (apps[name], stack.enter_context(serve(apps[name])))
        yield servers


@pytest.fixture
def fakes(fake_servers: dict[str, tuple[Swappable, str]]) -> Fakes:
    made = Fakes(
        daraja=daraja.FakeDaraja(),
        stripe=stripe.FakeStripe(),
        paypal=paypal.FakePayPal(),
        flutterwave=flutterwave.FakeFlutterwave(),
    )
    for name in ("daraja", "stripe", "paypal", "flutterwave"):
        fake = getattr(made, name)
        app, url = fake_servers[name]
        fake.url = url
        app.current = fake.app()
    return made


@pytest.fixture
def payment_settings(fakes: Fakes) -> PaymentSettings:
    return PaymentSettings(
        timeout_seconds=3.0,
        fx_rates=RATES,
        mpesa_base_url=fakes.daraja.url,
        mpesa_consumer_key=daraja.CONSUMER_KEY,
        mpesa_consumer_secret=daraja.CONSUMER_SECRET,
        mpesa_shortcode=daraja.SHORTCODE,
        mpesa_passkey=daraja.PASSKEY,
        stripe_base_url=fakes.stripe.url,
        stripe_secret_key=stripe.SECRET_KEY,
        stripe_webhook_secret=stripe.WEBHOOK_SECRET,
        paypal_base_url=fakes.paypal.url,
        paypal_client_id=paypal.CLIENT_ID,
        paypal_client_secret=paypal.CLIENT_SECRET,
        paypal_webhook_id=paypal.WEBHOOK_ID,
        flutterwave_base_url=fakes.flutterwave.url,
        flutterwave_secret_key=flutterwave.SECRET_KEY,
        flutterwave_secret_hash=flutterwave.SECRET_HASH,
    )


@pytest.fixture
def settings(settings: Settings, payment_settings: PaymentSettings) -> Settings:
    return settings.model_copy(update={"payments": payment_settings, "public_base_url": PUBLIC_URL})
