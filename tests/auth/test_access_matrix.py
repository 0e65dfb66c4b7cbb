"""Every route, called as every seat, answers as the access table says.

The routes come from the app's own /openapi.json (and its WebSockets), so a route added
without a rule fails here by name. Ids in paths are made up and bodies are empty: the gate
decides before either is looked at, so a refused caller gets 401 or 403, and an allowed one
gets past the gate to whatever the handler makes of the made-up request (404, 422 ...).
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.routing import BaseRoute

from premier.auth import access
from premier.auth.access import RULES, SEATS
from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import signed_in

SOURCE = Path(access.__file__).resolve().parents[1]
ANONYMOUS = "anonymous"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only: the rules do not depend on the database, and this runs every route."""
    import shutil

    path = tmp_path / "premier.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


def _routes(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    """The app's routes, looking into included routers."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _routes(included.routes)
        else:
            yield route


def _permissions(app: Any) -> dict[tuple[str, str], tuple[str, str] | None]:
    """(method, path) -> the permission its function declared."""
    found: dict[tuple[str, str], tuple[str, str] | None] = {}
    for route in _routes(app.routes):
        if isinstance(route, APIRoute):
            for method in route.methods:
                found[(method.lower(), route.path)] = access.declared(route.endpoint)
        elif isinstance(route, APIWebSocketRoute):
            found[("websocket", route.path)] = access.declared(route.endpoint)
    return found


def _url(path: str) -> str:
    """A path with made-up ids: numbers, except for a token in the path."""
    return re.sub(r"\{(\w+)\}", lambda m: "not-a-token" if m[1] == "token" else "1", path)


async def _headers_for(seat: str, client: httpx.AsyncClient, database: Database) -> dict[str, str]:
    if seat == ANONYMOUS:
        return {}
    if seat in (Role.GUEST, Role.MANAGER, Role.ADMIN):
        _, headers = await signed_in(client, database, role=Role(seat))
    else:
        _, headers = await signed_in(client, database, role=Role.STAFF, department=Department(seat))
    return headers


def _expected(seat: str, permission: tuple[str, str]) -> str:
    if access.is_public(permission):
        return "public"
    if seat == ANONYMOUS:
        return "401"
    return "allowed" if seat in (RULES[permission] or {}) else "403"


@pytest.mark.parametrize("seat", [ANONYMOUS, *SEATS])
async def test_every_route_answers_each_seat_as_the_access_table_says(
    seat: str, app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    headers = await _headers_for(seat, client, database)
    declared = _permissions(app)
    schema = (await client.get("/openapi.json")).json()
    wrong: list[str] = []
    for path, operations in schema["paths"].items():
        for method in (m for m in METHODS if m in operations):
            permission = declared.get((method, path))
            if permission is None:
                wrong.append(f"{method.upper()} {path} has no access rule: add @access(...)")
                continue
            body = {} if method in ("post", "put", "patch") else None
            response = await client.request(method, _url(path), json=body, headers=headers)
            expected = _expected(seat, permission)
            if not _answers(response, expected):
                wrong.append(
                    f"{method.upper()} {path} {permission} as {seat}: expected {expected}, "
                    f"got {response.status_code} {response.text[:160]}"
                )
    assert not wrong, "\n".join(wrong)


def _answers(response: httpx.Response, expected: str) -> bool:
    status = response.status_code
    if expected == "401":
        return status == 401
    if expected == "403":
        return status == 403
    if expected == "public":
        # Past the gate, which asks for no sign-in here; the handler may still refuse what
        # it checks itself (a provider's signature, a refresh token it was not given).
        code = response.json().get("error", {}).get("code") if status in (401, 403) else None
        return code not in ("not_authenticated", "no_access_rule")
    # Past the gate, a handler may refuse one row with its own 403 (a manager changing an
    # admin's account): its code names the reason, where the gate's is permission_denied.
    if status == 403:
        return response.json().get("error", {}).get("code") not in GATE_CODES
    return status != 401


GATE_CODES = ("permission_denied", "not_authenticated", "no_access_rule")


async def test_every_websocket_declares_a_rule_every_seat_holds(app: Any) -> None:
    """The socket authenticates in its first frame and then checks this rule itself."""
    sockets = {path: p for (kind, path), p in _permissions(app).items() if kind == "websocket"}
    assert sockets, "the app serves a WebSocket"
    for path, permission in sockets.items():
        assert permission == ("realtime", "connect"), path
        assert set(RULES[permission] or {}) == set(SEATS)


async def test_every_seat_may_open_the_websocket_and_anonymous_callers_may_not(
    app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    from tests.realtime.wsclient import serving, ws_client

    async with serving(app) as url:
        async with ws_client(f"{url}/api/v1/ws", token="not-a-jwt", ready=False) as ws:
            assert (await ws.closed_with())[0] == 4401
        for seat in SEATS:
            headers = await _headers_for(seat, client, database)
            token = headers["Authorization"].removeprefix("Bearer ")
            async with ws_client(f"{url}/api/v1/ws", token=token) as ws:
                await ws.barrier()


async def test_a_route_without_a_rule_is_refused(
    app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    async def forgotten() -> dict[str, str]:
        return {"secret": "yes"}

    app.add_api_route("/api/v1/forgotten", forgotten)
    # Ahead of the web UI's catch-all route, which the app adds last.
    app.router.routes.insert(0, app.router.routes.pop())
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    response = await client.get("/api/v1/forgotten", headers=admin)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_access_rule"


def test_the_table_has_no_rule_that_nothing_uses() -> None:
    """Each rule is declared by a route or checked by name in the code."""
    code = "\n".join(p.read_text() for p in SOURCE.rglob("*.py") if p.name != "access.py")
    unused = [(r, a) for r, a in RULES if f'"{r}", "{a}"' not in code]
    assert not unused, f"rules nothing uses: {unused}"


def test_the_table_names_only_known_seats() -> None:
    for permission, rule in RULES.items():
        assert rule is None or set(rule) <= set(SEATS), permission
