"""Push tests send through the real adapter into a local fake push service, which checks
the VAPID signature and decrypts every message as the browser would."""

import base64
from collections.abc import AsyncIterator, Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import SecretStr

from premier.config import Settings
from premier.db import Database
from premier.delivery.http import provider_session
from premier.delivery.worker import QueueWorker
from premier.push.models import PushQueue
from premier.push.sending import push_worker
from premier.push.webpush import OutboundPush
from tests.fakes.push import FakePushService, running_fake_push_service


def new_vapid_key() -> str:
    number = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


@pytest.fixture(scope="session")
def push_service() -> Iterator[FakePushService]:
    with running_fake_push_service() as fake:
        yield fake


@pytest.fixture(scope="session")
def vapid_key() -> str:
    return new_vapid_key()


@pytest.fixture
def settings(settings: Settings, push_service: FakePushService, vapid_key: str) -> Settings:
    push_service.reset()
    settings.push_vapid_private_key = SecretStr(vapid_key)
    settings.push_vapid_subject = "mailto:frontdesk@premier.test"
    return settings


@pytest.fixture
async def pusher(
    settings: Settings, database: Database
) -> AsyncIterator[QueueWorker[PushQueue, OutboundPush]]:
    async with provider_session(connections=8) as http:
        yield push_worker(database=database, settings=settings, http=http)
