"""SMS tests run with the real adapters pointed at local fakes; `@pytest.mark.sms(...)`
overrides SMS settings for one test."""

from collections.abc import Iterator
from typing import Any

import pytest

from premier.config import Settings
from premier.sms.settings import SmsSettings
from tests.fakes.africastalking import FakeAfricasTalking, running_fake_africastalking
from tests.fakes.twilio import FakeTwilio, running_fake_twilio

PUBLIC_URL = "https://hotel.example"
AT_TOKEN = "at-callback-secret"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sms(**overrides): SMS settings for this test")


@pytest.fixture(scope="session")
def twilio_fake() -> Iterator[FakeTwilio]:
    with running_fake_twilio() as fake:
        yield fake


@pytest.fixture(scope="session")
def at_fake() -> Iterator[FakeAfricasTalking]:
    with running_fake_africastalking() as fake:
        yield fake


@pytest.fixture
def fakes(twilio_fake: FakeTwilio, at_fake: FakeAfricasTalking) -> Iterator[None]:
    """Fakes in their normal state for this test."""
    for fake in (twilio_fake, at_fake):
        fake.outages.clear()
    twilio_fake.down = False
    twilio_fake.unsubscribed.clear()
    twilio_fake.answer_without_sid.clear()
    at_fake.blacklisted.clear()
    at_fake.unknown_numbers.clear()
    at_fake.balance_exhausted = False
    at_fake.delay_seconds = 0.0
    yield


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    marker = request.node.get_closest_marker("sms")
    overrides: dict[str, Any] = dict(marker.kwargs) if marker else {}
    values: dict[str, Any] = {
        "africastalking_callback_token": AT_TOKEN,
        "twilio_auth_token": "fake-twilio-auth-token",
        "twilio_account_sid": "AC" + "0123456789abcdef" * 2,
        "twilio_from_number": "+15005550006",
        "africastalking_api_key": "fake-at-api-key",
    }
    twilio_fake = request.getfixturevalue("twilio_fake")
    at_fake = request.getfixturevalue("at_fake")
    request.getfixturevalue("fakes")
    values |= {
        "twilio_base_url": twilio_fake.url,
        "africastalking_base_url": f"{at_fake.url}/version1",
    }
    values |= overrides
    settings.sms = SmsSettings(**values)
    settings.public_base_url = PUBLIC_URL
    return settings
