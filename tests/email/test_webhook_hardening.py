"""Tracking webhooks cannot be driven by strangers: SES notifications count only from our
own SNS topics with SNS's own certificates, and a Mailgun signature carries one event once."""

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from premier.config import Settings
from premier.db import Database
from premier.email.providers import ses as ses_provider
from premier.kit.errors import PermissionDenied
from tests.email.test_tracking import HOOKS, suppressed
from tests.fakes import mailgun as mg
from tests.fakes import ses
from tests.fakes.server import serve

ATTACKER_TOPIC = "arn:aws:sns:eu-west-1:999999999999:anyone-can-make-a-topic"
FAKE_CERTIFICATE = r"http://127\.0\.0\.1:\d+/sns/cert\.pem"


def _bounce_of(address: str) -> dict[str, object]:
    return {
        "eventType": "Bounce",
        "mail": {"messageId": "m-1", "destination": [address]},
        "bounce": {"bounceType": "Permanent",
                   "bouncedRecipients": [{"emailAddress": address}]},
    }  # fmt: skip


def _use_ses(settings: Settings) -> None:
    settings.ses_access_key_id = ses.ACCESS_KEY
    settings.ses_webhook_topic_arns = [ses.TOPIC]
    settings.sns_certificate_url_pattern = FAKE_CERTIFICATE


async def test_the_ses_endpoint_does_not_exist_unless_ses_is_configured(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    with ses.running_ses() as fake:
        body = fake.sns_notification(_bounce_of("guest@example.com"))
        assert (await client.post(f"{HOOKS}/ses", content=body)).status_code == 404
        settings.ses_access_key_id = ses.ACCESS_KEY
        settings.sns_certificate_url_pattern = FAKE_CERTIFICATE
        answer = await client.post(f"{HOOKS}/ses", content=body)
        assert answer.status_code == 403, "configured, but no topic is trusted yet"
        assert answer.json()["error"]["code"] == "webhook_not_configured"


async def test_a_bounce_signed_through_someone_elses_topic_suppresses_nobody(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    _use_ses(settings)
    with ses.running_ses() as fake:
        forged = fake.sns_notification(_bounce_of("guest@example.com"), topic=ATTACKER_TOPIC)
        answer = await client.post(f"{HOOKS}/ses", content=forged)
        assert answer.status_code == 403
        assert answer.json()["error"]["code"] == "unknown_topic"
        ours = fake.sns_notification(_bounce_of("other@example.com"))
        assert (await client.post(f"{HOOKS}/ses", content=ours)).status_code == 200
    assert await suppressed(database) == {("other@example.com", "*", "bounce")}


async def test_only_allow_listed_topics_get_their_subscription_confirmed(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _use_ses(settings)
    with ses.running_ses() as fake:
        stranger = fake.sns_subscription_confirmation(topic=ATTACKER_TOPIC)
        assert (await client.post(f"{HOOKS}/ses", content=stranger)).status_code == 403
        assert fake.confirmed == []
        ours = fake.sns_subscription_confirmation()
        assert (await client.post(f"{HOOKS}/ses", content=ours)).status_code == 200
        assert fake.confirmed == [ses.TOPIC]


async def test_a_subscribe_url_elsewhere_is_not_visited(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _use_ses(settings)
    with ses.running_ses() as fake:
        message = json.loads(fake.sns_subscription_confirmation())
        message["SubscribeURL"] = "http://169.254.169.254/latest/meta-data/"
        assert not ses_provider.subscribe_url_allowed(message)


@contextmanager
def redirecting() -> Iterator[tuple[str, list[str]]]:
    """A server whose every path redirects to /elsewhere; yields its URL and the paths hit."""
    hits: list[str] = []

    async def anything(request: Request) -> Response:
        hits.append(request.url.path)
        return RedirectResponse("/elsewhere", status_code=302)

    app = Starlette(routes=[Route("/{path:path}", anything)])
    with serve(app) as url:
        yield url, hits


async def test_a_certificate_url_that_redirects_is_not_followed() -> None:
    with redirecting() as (url, hits), pytest.raises(PermissionDenied):
        await ses_provider._certificate(f"{url}/sns/cert.pem?redirected=1")
    assert hits == ["/sns/cert.pem"]


async def test_a_subscribe_url_that_redirects_is_not_followed() -> None:
    with redirecting() as (url, hits):
        await ses_provider.confirm_subscription(
            {
                "TopicArn": ses.TOPIC,
                "SigningCertURL": f"{url}/sns/cert.pem",
                "SubscribeURL": f"{url}/?Action=ConfirmSubscription&TopicArn={ses.TOPIC}",
            }
        )
    assert hits == ["/"]


TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:ses-events"
PEM = "SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        (f"https://sns.eu-west-1.amazonaws.com/{PEM}", True),
        # An S3 bucket named "sns", virtual-hosted: anyone can create one.
        (f"https://sns.s3.amazonaws.com/{PEM}", False),
        ("https://sns.eu-west-1.amazonaws.com/attacker-bucket/cert.pem", False),
        (f"https://sns.eu-west-1.amazonaws.com.evil.example/{PEM}", False),
        (f"https://sns.us-east-1.amazonaws.com/{PEM}", False),  # not the topic's region
        (f"http://sns.eu-west-1.amazonaws.com/{PEM}", False),
        (f"https://sns.eu-west-1.amazonaws.com/{PEM}?x=1", False),
    ],
)
def test_signing_certificates_come_only_from_sns_in_the_topics_region(
    url: str, allowed: bool
) -> None:
    pattern = Settings.model_fields["sns_certificate_url_pattern"].default
    assert (
        ses_provider.certificate_url_allowed(url, topic_arn=TOPIC_ARN, cert_url_pattern=pattern)
        is allowed
    )


async def test_the_certificate_cache_stays_small(settings: Settings) -> None:
    with ses.running_ses() as fake:
        for n in range(ses_provider.MAX_CERTIFICATES + 10):
            await ses_provider._certificate(f"{fake.url}/sns/cert.pem?n={n}")
    assert len(ses_provider._certificates) == ses_provider.MAX_CERTIFICATES


def _mailgun_body(data: dict[str, object], *, timestamp: str, token: str) -> bytes:
    signature = hmac.new(
        mg.SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return json.dumps(
        {"signature": {"timestamp": timestamp, "token": token, "signature": signature},
         "event-data": data}
    ).encode()  # fmt: skip


def _complaint(address: str) -> dict[str, object]:
    return {"id": secrets.token_hex(8), "timestamp": time.time(), "event": "complained",
            "recipient": address}  # fmt: skip


async def test_a_captured_mailgun_signature_cannot_carry_another_event(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.mailgun_webhook_signing_key = mg.SIGNING_KEY
    timestamp, token = str(int(time.time())), secrets.token_hex(25)
    first = _mailgun_body(_complaint("first@example.com"), timestamp=timestamp, token=token)
    assert (await client.post(f"{HOOKS}/mailgun", content=first)).status_code == 200
    replayed = _mailgun_body(_complaint("victim@example.com"), timestamp=timestamp, token=token)
    answer = await client.post(f"{HOOKS}/mailgun", content=replayed)
    assert answer.status_code == 406
    assert answer.json()["error"]["code"] == "replayed"
    assert await suppressed(database) == {("first@example.com", "*", "complaint")}


async def test_a_stale_mailgun_signature_is_refused(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.mailgun_webhook_signing_key = mg.SIGNING_KEY
    old = str(int(time.time()) - settings.mailgun_webhook_max_age_seconds - 60)
    body = _mailgun_body(_complaint("victim@example.com"), timestamp=old, token="t" * 50)
    assert (await client.post(f"{HOOKS}/mailgun", content=body)).status_code == 406
    assert await suppressed(database) == set()
