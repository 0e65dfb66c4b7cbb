"""The OpenAPI document declares the errors each operation really answers with, in the one
error body every error has."""

from typing import Any

import httpx
import pytest

from premier.app import create_app
from premier.config import Settings
from premier.db import Database
from tests.helpers import signed_in

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app(Settings(environment="development")).openapi()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_error_answer_is_declared_with_the_error_body(document: dict[str, Any]) -> None:
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        for code in ("400", "422", "429", "503"):
            assert code in responses, f"{method.upper()} {path} does not declare {code}"
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]
                assert schema == ERROR_REF, f"{method.upper()} {path} {code}"
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_signed_in_routes_declare_401_and_403_and_public_ones_do_not(
    document: dict[str, Any],
) -> None:
    bookings = document["paths"]["/api/v1/bookings"]["post"]["responses"]
    assert {"401", "403", "404", "409", "413"} <= set(bookings)
    room_types = document["paths"]["/api/v1/rooms/types"]["get"]["responses"]
    assert "401" not in room_types
    assert "403" not in room_types


def test_an_error_a_route_names_itself_gets_its_description_and_the_error_body(
    document: dict[str, Any],
) -> None:
    """A server without a VAPID key answers the push key 404: the document says so."""
    not_found = document["paths"]["/api/v1/push/public-key"]["get"]["responses"]["404"]
    assert "VAPID" in not_found["description"]
    assert not_found["content"]["application/json"]["schema"] == ERROR_REF


def _declared(document: dict[str, Any], method: str, path: str) -> set[str]:
    return set(document["paths"][path][method]["responses"])


async def test_what_the_api_answers_is_what_the_document_says(
    client: httpx.AsyncClient, database: Database
) -> None:
    document = (await client.get("/openapi.json")).json()
    _, guest = await signed_in(client, database)
    answers = [
        ("post", "/api/v1/bookings", await client.post("/api/v1/bookings", json={})),
        ("post", "/api/v1/bookings", await client.post("/api/v1/bookings", json={}, headers=guest)),
        ("get", "/api/v1/bookings/{booking_id}",
         await client.get("/api/v1/bookings/999999", headers=guest)),
        ("get", "/api/v1/users", await client.get("/api/v1/users", headers=guest)),
    ]  # fmt: skip
    assert [answer.status_code for *_, answer in answers] == [401, 422, 404, 403]
    for method, path, answer in answers:
        assert str(answer.status_code) in _declared(document, method, path)
        error = answer.json()["error"]
        assert isinstance(error["code"], str) and isinstance(error["message"], str)
        assert "details" in error
