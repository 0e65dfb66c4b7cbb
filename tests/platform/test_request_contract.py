"""What a client generated from the OpenAPI document can count on, checked directly: the
methods an address takes, the JSON types a body takes, and rules the document states."""

from typing import Any

import httpx
import pytest

from premier.app import create_app
from premier.config import Settings
from premier.db import Database
from premier.users.models import Role
from tests.helpers import signed_in


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app(Settings(environment="development")).openapi()


async def test_a_method_an_address_does_not_take_is_405_naming_those_it_does(
    client: httpx.AsyncClient,
) -> None:
    sign_in = await client.get("/api/v1/auth/login")
    assert sign_in.status_code == 405
    assert sign_in.headers["allow"] == "POST"
    assert sign_in.json()["error"]["code"] == "method_not_allowed"

    both = await client.request("OPTIONS", "/api/v1/announcements")
    assert both.status_code == 405
    assert both.headers["allow"] == "GET, POST"


async def test_a_literal_address_is_not_read_as_an_id_of_its_neighbour(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    wrong = await client.delete("/api/v1/notifications/unread-count", headers=guest)
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET"
    # A bad id where only ids go is still a bad id, and an unknown address is unknown.
    bad_id = await client.get("/api/v1/bookings/abc", headers=guest)
    assert bad_id.status_code == 422
    assert (await client.get("/api/v1/nowhere", headers=guest)).status_code == 404


async def test_a_body_takes_the_json_types_the_document_states(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    room_type = await client.post(
        "/api/v1/rooms/types",
        headers=manager,
        json={"code": "STD", "name": "Standard", "base_rate": 1000, "currency": "KES",
              "capacity": 2},
    )  # fmt: skip
    assert room_type.status_code == 201, room_type.text
    type_id = room_type.json()["id"]

    flag_as_floor = await client.post(
        "/api/v1/rooms", headers=manager,
        json={"number": "101", "room_type_id": type_id, "floor": False},
    )  # fmt: skip
    assert flag_as_floor.status_code == 422
    assert "floor must be a whole number" in flag_as_floor.json()["error"]["message"]
    [refusal] = flag_as_floor.json()["error"]["details"]
    assert refusal["field"] == "body.floor", "a form shows it beside the floor"

    whole = await client.post(
        "/api/v1/rooms", headers=manager,
        json={"number": "101", "room_type_id": type_id, "floor": 2.0},
    )  # fmt: skip
    assert whole.status_code == 201, whole.text
    assert whole.json()["floor"] == 2

    number_as_flag = await client.patch(
        f"/api/v1/rooms/types/{type_id}", headers=manager, json={"is_active": 0}
    )
    assert number_as_flag.status_code == 422
    assert "is_active must be true or false" in number_as_flag.json()["error"]["message"]


async def test_a_date_in_a_query_is_a_date_not_seconds_since_1970(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, desk = await signed_in(client, database, role=Role.MANAGER)
    seconds = await client.get("/api/v1/bookings", params={"staying_on": "0"}, headers=desk)
    assert seconds.status_code == 422
    day = await client.get("/api/v1/bookings", params={"staying_on": "2026-12-05"}, headers=desk)
    assert day.status_code == 200


def _schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]  # type: ignore[no-any-return]


def test_the_document_states_rules_across_fields(document: dict[str, Any]) -> None:
    target = _schema(document, "Target")
    shapes = target["anyOf"]
    department = next(s for s in shapes if s.get("allOf", [{}])[0] == {
        "properties": {"kind": {"enum": ["department"]}}})  # fmt: skip
    assert department["allOf"][1]["required"] == ["department"]

    payment = _schema(document, "PaymentCreate")
    assert len(payment["anyOf"]) == 2  # a booking or an order, never both


def test_the_document_offers_null_only_where_null_clears(document: dict[str, Any]) -> None:
    room_patch = _schema(document, "RoomUpdate")["properties"]["status"]
    assert "anyOf" not in room_patch or {"type": "null"} not in room_patch["anyOf"]


def test_the_document_lists_currencies_and_event_types(document: dict[str, Any]) -> None:
    currency = _schema(document, "RoomTypeCreate")["properties"]["currency"]
    assert "KES" in currency["enum"]
    event_type = _schema(document, "TemplateIn")["properties"]["event_type"]
    assert "booking.created" in event_type["enum"]


def test_parameters_are_left_out_rather_than_null(document: dict[str, Any]) -> None:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                choices = parameter["schema"].get("anyOf", [])
                assert {"type": "null"} not in choices, f"{method} {path} {parameter['name']}"
