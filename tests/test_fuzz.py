"""Property-based: no request the OpenAPI document allows, or nearly allows, crashes the API."""

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from premier.seed import DEMO_PASSWORD
from tests.live_server import live_server

MAX_EXAMPLES = 15


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("fuzz") / "premier.db"
    with live_server(
        f"sqlite:///{database}",
        env={
            "PREMIER_SEED_DEMO_DATA": "true",
            # Fuzzed sign-ins and sign-ups all come from one address: let them all through
            # to the code behind the throttle.
            "PREMIER_LOGIN_ADDRESS_FREE_FAILURES": "1000000",
            "PREMIER_LOGIN_FREE_FAILURES": "1000000",
            "PREMIER_REGISTER_PER_ADDRESS_PER_HOUR": "1000000",
            "PREMIER_PASSWORD_FORGOT_PER_ADDRESS_PER_HOUR": "1000000",
        },
    ) as server:
        yield server.url


@pytest.fixture(scope="module")
def api_schema(served: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{served}/openapi.json")


@pytest.fixture(scope="module")
def admin_headers(served: str) -> dict[str, str]:
    response = httpx.post(
        f"{served}/api/v1/auth/login",
        json={"email": "admin@premier.test", "password": DEMO_PASSWORD},
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _check(case: schemathesis.Case, headers: dict[str, str]) -> None:
    if case.path == "/api/v1/users/{user_id}" and case.method == "PATCH":
        # Fuzzing must not switch off the account it is signed in with.
        case.path_parameters = {"user_id": 10_000}
    response = case.call(headers=headers, timeout=30)
    assert response.status_code < 500, case.as_curl_command()
    content_type = "".join(response.headers.get("content-type", []))
    if response.status_code >= 400 and content_type.startswith("application/json"):
        assert "error" in response.json(), response.text


def test_no_request_crashes_the_api(
    api_schema: schemathesis.BaseSchema, admin_headers: dict[str, str]
) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
            database=None,
        )  # fmt: skip
        def fuzz(case: schemathesis.Case) -> None:
            _check(case, admin_headers)

        fuzz()


def test_schema_is_served(served: str) -> None:
    document = httpx.get(f"{served}/openapi.json").json()
    assert "/api/v1/bookings" in document["paths"]
