"""Verification codes skip opt-outs and rate limits, so they have caps of their own: per
number, per client address, per account; only to allowed countries; within the budgets."""

import httpx
import pytest

from premier.db import Database
from premier.users.models import Role
from tests.helpers import signed_in
from tests.sms.helpers import sms_rows

START = "/api/v1/auth/phone/verify/start"


async def ask(client: httpx.AsyncClient, database: Database, phone: str) -> httpx.Response:
    """A code asked for by a new account."""
    _, headers = await signed_in(client, database)
    return await client.post(START, headers=headers, json={"phone": phone})


@pytest.mark.sms(otp_max_per_number_per_hour=3, otp_resend_seconds=0)
async def test_one_number_cannot_be_flooded_with_codes_from_many_accounts(
    client: httpx.AsyncClient, database: Database
) -> None:
    for _ in range(3):
        assert (await ask(client, database, "+254722000111")).status_code == 202
    refused = await ask(client, database, "+254722000111")
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"]["details"]["limit"] == "number"
    assert 0 < int(refused.headers["Retry-After"]) <= 3601
    assert (await ask(client, database, "+254722000222")).status_code == 202
    assert len(await sms_rows(database, template="auth.phone_otp")) == 4


@pytest.mark.sms(otp_max_per_address_per_hour=3, otp_resend_seconds=0)
async def test_one_client_address_cannot_ask_for_codes_without_end(
    client: httpx.AsyncClient, database: Database
) -> None:
    for n in range(3):
        assert (await ask(client, database, f"+25472200011{n}")).status_code == 202
    refused = await ask(client, database, "+254722000119")
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"]["details"]["limit"] == "address"


@pytest.mark.sms(otp_max_per_hour=2, otp_resend_seconds=0)
async def test_one_account_cannot_ask_for_codes_to_many_numbers(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, headers = await signed_in(client, database)
    for n in range(2):
        answer = await client.post(START, headers=headers, json={"phone": f"+25472200011{n}"})
        assert answer.status_code == 202, answer.text
    refused = await client.post(START, headers=headers, json={"phone": "+254722000119"})
    assert refused.status_code == 429
    assert refused.json()["error"]["details"]["limit"] == "account"


async def test_codes_go_only_to_allowed_countries(
    client: httpx.AsyncClient, database: Database
) -> None:
    refused = await ask(client, database, "+14155552671")
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "otp_country_not_allowed"
    assert refused.json()["error"]["details"]["country"] == "US"
    assert await sms_rows(database) == []


@pytest.mark.sms(budget_daily=100)
async def test_codes_count_against_the_budget_and_stop_at_it(
    client: httpx.AsyncClient, database: Database
) -> None:
    assert (await ask(client, database, "+254722000111")).status_code == 202  # KES 0.80
    refused = await ask(client, database, "+254722000222")
    assert refused.status_code == 503, refused.text
    assert refused.json()["error"]["code"] == "sms_budget_reached"
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    ordinary = await client.post(
        "/api/v1/sms/send", headers=manager, json={"to": "+254722000333", "message": "Hi"}
    )
    assert ordinary.json()["status"] == "held", "the code's cost counted"
    assert len(await sms_rows(database, template="auth.phone_otp")) == 1
