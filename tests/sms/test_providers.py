"""The production provider adapters against local fakes of Twilio and Africa's Talking."""

from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

from premier.delivery.http import provider_session
from premier.sms.providers.africastalking import AfricasTalkingProvider
from premier.sms.providers.base import OutboundSms, PermanentFailure, TransientFailure
from premier.sms.providers.build import build_providers, provider_order
from premier.sms.providers.capture import CaptureProvider
from premier.sms.providers.twilio import TwilioProvider
from premier.sms.settings import SmsSettings
from tests.fakes.africastalking import FakeAfricasTalking, running_fake_africastalking
from tests.fakes.twilio import FakeTwilio, running_fake_twilio

TIMEOUT_SECONDS = 5


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with provider_session(connections=4) as session:
        yield session


@pytest.fixture(scope="module")
def twilio_fake() -> Iterator[FakeTwilio]:
    with running_fake_twilio() as fake:
        yield fake


@pytest.fixture(scope="module")
def at_fake() -> Iterator[FakeAfricasTalking]:
    with running_fake_africastalking() as fake:
        yield fake


def twilio(fake: FakeTwilio, http: aiohttp.ClientSession, **overrides: str) -> TwilioProvider:
    options = {
        "account_sid": fake.account_sid,
        "auth_token": fake.auth_token,
        "from_number": "+15005550006",
        **overrides,
    }
    return TwilioProvider(http=http, timeout_seconds=TIMEOUT_SECONDS, base_url=fake.url, **options)


def africastalking(
    fake: FakeAfricasTalking, http: aiohttp.ClientSession, api_key: str | None = None
) -> AfricasTalkingProvider:
    return AfricasTalkingProvider(
        http=http,
        timeout_seconds=TIMEOUT_SECONDS,
        base_url=f"{fake.url}/version1",
        username=fake.username,
        api_key=api_key or fake.api_key,
    )


def sms(to: str = "+254712345678", body: str = "Your room 204 is ready. Karibu!") -> OutboundSms:
    return OutboundSms(
        reference="42",
        to=to,
        body=body,
        status_callback_url="https://hotel.example/api/v1/sms/webhooks/twilio/status",
    )


async def test_twilio_sends_a_spec_valid_request(
    twilio_fake: FakeTwilio, http: aiohttp.ClientSession
) -> None:
    accepted = await twilio(twilio_fake, http).send(sms(body="Karibu 👋 room 204"))
    assert accepted.provider == "twilio"
    assert accepted.provider_message_id.startswith("SM")
    assert accepted.status == "queued"
    sent = twilio_fake.messages[-1]
    assert sent["To"] == "+254712345678"
    assert sent["Body"] == "Karibu 👋 room 204"
    assert sent["StatusCallback"].endswith("/webhooks/twilio/status")


async def test_twilio_with_a_messaging_service(
    twilio_fake: FakeTwilio, http: aiohttp.ClientSession
) -> None:
    provider = TwilioProvider(
        http=http,
        timeout_seconds=TIMEOUT_SECONDS,
        base_url=twilio_fake.url,
        account_sid=twilio_fake.account_sid,
        auth_token=twilio_fake.auth_token,
        messaging_service_sid="MG" + "ab" * 16,
    )
    await provider.send(sms())
    assert twilio_fake.messages[-1]["MessagingServiceSid"] == "MG" + "ab" * 16
    assert "From" not in twilio_fake.messages[-1]


async def test_twilio_wrong_credentials_are_a_provider_problem(
    twilio_fake: FakeTwilio, http: aiohttp.ClientSession
) -> None:
    with pytest.raises(TransientFailure) as failure:
        await twilio(twilio_fake, http, auth_token="wrong").send(sms())
    assert failure.value.code == "20003"


async def test_twilio_invalid_number_fails_permanently(
    twilio_fake: FakeTwilio, http: aiohttp.ClientSession
) -> None:
    with pytest.raises(PermanentFailure) as failure:
        await twilio(twilio_fake, http).send(sms(to="0712345678"))
    assert failure.value.code == "21211"
    assert "Phone Number" in failure.value.reason


async def test_twilio_unsubscribed_recipient_fails_permanently(
    twilio_fake: FakeTwilio, http: aiohttp.ClientSession
) -> None:
    twilio_fake.unsubscribed.add("+254700000009")
    with pytest.raises(PermanentFailure) as failure:
        await twilio(twilio_fake, http).send(sms(to="+254700000009"))
    assert failure.value.code == "21610"


async def test_twilio_outages_are_transient_and_keep_retry_after(
    twilio_fake: FakeTwilio, http: aiohttp.ClientSession
) -> None:
    twilio_fake.outages = [(429, {"Retry-After": "7"}), (500, {})]
    provider = twilio(twilio_fake, http)
    with pytest.raises(TransientFailure) as limited:
        await provider.send(sms())
    assert limited.value.retry_after == 7
    with pytest.raises(TransientFailure):
        await provider.send(sms())
    assert (await provider.send(sms())).provider_message_id.startswith("SM")


async def test_twilio_unreachable_is_transient(http: aiohttp.ClientSession) -> None:
    provider = TwilioProvider(
        http=http,
        timeout_seconds=TIMEOUT_SECONDS,
        base_url="http://127.0.0.1:9",
        account_sid="AC" + "0" * 32,
        auth_token="x",
        from_number="+15005550006",
    )
    with pytest.raises(TransientFailure):
        await provider.send(sms())


async def test_africastalking_sends_and_reports_cost(
    at_fake: FakeAfricasTalking, http: aiohttp.ClientSession
) -> None:
    accepted = await africastalking(at_fake, http).send(sms())
    assert accepted.provider_message_id.startswith("ATXid_")
    assert (accepted.price, accepted.price_currency) == (80, "KES")
    assert at_fake.messages[-1]["message"] == "Your room 204 is ready. Karibu!"
    assert at_fake.messages[-1]["username"] == "sandbox"


@pytest.mark.parametrize(
    ("setup", "to", "code", "words"),
    [
        ("none", "0712345678", "403", "InvalidPhoneNumber"),
        ("blacklist", "+254711999999", "406", "UserInBlacklist"),
        ("broke", "+254712345678", "405", "InsufficientBalance"),
    ],
)
async def test_africastalking_rejections_are_permanent_with_a_reason(
    at_fake: FakeAfricasTalking,
    http: aiohttp.ClientSession,
    setup: str,
    to: str,
    code: str,
    words: str,
) -> None:
    at_fake.blacklisted = {"+254711999999"} if setup == "blacklist" else set()
    at_fake.balance_exhausted = setup == "broke"
    try:
        with pytest.raises(PermanentFailure) as failure:
            await africastalking(at_fake, http).send(sms(to=to))
    finally:
        at_fake.balance_exhausted = False
    assert failure.value.code == code
    assert words in failure.value.reason


async def test_africastalking_bad_key_and_outage_are_transient(
    at_fake: FakeAfricasTalking, http: aiohttp.ClientSession
) -> None:
    with pytest.raises(TransientFailure) as refused:
        await africastalking(at_fake, http, api_key="wrong").send(sms())
    assert "authentication is invalid" in refused.value.reason
    at_fake.outages = [503]
    with pytest.raises(TransientFailure):
        await africastalking(at_fake, http).send(sms())


async def test_capture_keeps_the_message_local() -> None:
    accepted = await CaptureProvider().send(sms(body="a" * 200))
    assert accepted.provider_message_id == "capture-42"
    assert accepted.segments == 2


def test_routes_by_destination_country(http: aiohttp.ClientSession) -> None:
    settings = SmsSettings(
        providers=["twilio", "capture"],
        routes={"KE": ["africastalking", "twilio"]},
        twilio_from_number="+15005550006",
    )
    assert provider_order(settings=settings, to="+254712345678") == ["africastalking", "twilio"]
    assert provider_order(settings=settings, to="+14155552671") == ["twilio", "capture"]
    assert set(build_providers(settings=settings, http=http)) == {
        "twilio",
        "capture",
        "africastalking",
    }


def test_provider_list_reads_a_comma_separated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREMIER_SMS_PROVIDERS", "africastalking, twilio")
    assert SmsSettings().providers == ["africastalking", "twilio"]


def test_the_old_name_of_the_capture_provider_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREMIER_SMS_PROVIDERS", "outbox, twilio")
    monkeypatch.setenv("PREMIER_SMS_ROUTES", '{"KE": ["outbox"]}')
    settings = SmsSettings()
    assert settings.providers == ["capture", "twilio"]
    assert settings.routes == {"KE": ["capture"]}
